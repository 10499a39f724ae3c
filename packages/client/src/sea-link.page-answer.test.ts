import {
  buildRerankResponse,
  documentText,
  EXAMPLE_RERANK_REQUEST,
  EXAMPLE_RERANK_RESPONSE_TEXT,
  RerankRequest,
} from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { testClient } from './testing/disposable-client.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

/** The public API page's request, and its response example verbatim: the answer carries no `usage`. */
const PAGE_REQUEST = { ...EXAMPLE_RERANK_REQUEST, documents: [...EXAMPLE_RERANK_REQUEST.documents] };
const PAGE_RESPONSE_TEXT = EXAMPLE_RERANK_RESPONSE_TEXT;

describe('answers exactly as the public API page shows them (no usage)', () => {
  it('rerank returns the page answer', async () => {
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(PAGE_RESPONSE_TEXT);
    });
    await using client = testClient(server.url);
    const answer = await client.rerank(PAGE_REQUEST);
    expect(answer).toEqual(JSON.parse(PAGE_RESPONSE_TEXT));
    expect(answer.usage).toBeUndefined();
  });

  it('rerankAll merges chunk answers without usage, and sums usage only when every chunk reports it', async () => {
    let call = 0;
    await using server = await startScriptedServer((request, response) => {
      const body = RerankRequest.parse(JSON.parse(request.body));
      const texts = body.documents.map(documentText);
      const { usage, ...withoutUsage } = buildRerankResponse({
        model: body.model,
        documents: texts,
        scores: texts.map((text) => text.length / 100),
        topN: body.top_n,
        totalTokens: texts.length * 10,
      });
      // The first chunk's answer reports usage, the others do not.
      sendJson(response, 200, call++ === 0 ? { ...withoutUsage, usage } : withoutUsage);
    });
    await using client = testClient(server.url);
    const merged = await client.rerankAll(PAGE_REQUEST, { chunkSize: 1 });
    expect(merged.results.map((result) => result.index)).toEqual([0, 2]);
    expect(merged.results.map((result) => result.relevance_score)).toEqual([0.63, 0.48]);
    expect(merged.usage).toBeUndefined();
    expect(server.requests).toHaveLength(3);
  });
});
