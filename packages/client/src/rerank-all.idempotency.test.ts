import { buildRerankResponse, documentText, RerankRequest } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { testClient } from './testing/disposable-client.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

const REQUEST = { model: 'm', query: 'q', documents: ['a', 'bb', 'ccc'] };

describe('rerankAll idempotency keys', () => {
  it.each([
    ['the idempotencyKey option', { idempotencyKey: 'call-7' }],
    ['an Idempotency-Key header', { headers: { 'Idempotency-Key': 'call-7', 'x-extra': 'kept' } }],
  ])('gives each chunk its own key when the key comes from %s', async (_how, options) => {
    await using server = await startScriptedServer((request, response) => {
      const texts = RerankRequest.parse(JSON.parse(request.body)).documents.map(documentText);
      sendJson(
        response,
        200,
        buildRerankResponse({ model: 'm', documents: texts, scores: texts.map(() => 0.5), totalTokens: 1 }),
      );
    });
    await using client = testClient(server.url);
    const merged = await client.rerankAll(REQUEST, { chunkSize: 1, ...options });
    expect(merged.results).toHaveLength(3);
    const keys = server.requests.map((request) => request.headers['idempotency-key']).sort();
    expect(keys).toEqual(['call-7-0', 'call-7-1', 'call-7-2']);
    if ('headers' in options) {
      expect(server.requests.map((request) => request.headers['x-extra'])).toEqual(['kept', 'kept', 'kept']);
    }
  });
});
