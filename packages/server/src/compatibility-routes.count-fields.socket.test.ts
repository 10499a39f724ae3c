import { describe, expect, it } from 'vitest';
import { createRerankApp } from './create-rerank-app.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { ScriptedBackend } from './testing/scripted-backend.js';

/**
 * The compatibility routes take the count fields their providers take: any integer of 1 or more, beyond
 * 2^53 too, as `POST /v1/rerank` does. Python clients send `sys.maxsize` for "all"; the body is sent as
 * raw text, as such a client writes it.
 */

const API_KEY = 'sk-count-fields-test';
const SYS_MAXSIZE = '9223372036854775807';
const DOCUMENTS = [
  'feed the sourdough starter daily',
  'stock markets closed higher',
  'a starter needs feeding',
];

async function startServer() {
  const app = createRerankApp({
    registry: new ModelRegistry([{ id: 'm', backend: new ScriptedBackend() }]),
    auth: { apiKeys: [API_KEY] },
    logger: captureLogger('fatal').logger,
  });
  const server = await serveRerankApp(app, { hostname: '127.0.0.1', port: 0 });
  const post = async (path: string, text: string) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: text,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return Object.assign(server, { post });
}

const documents = JSON.stringify(DOCUMENTS);

describe('compatibility routes with count fields beyond 2^53, over a real socket', () => {
  it('POST /v2/rerank ranks every document for a top_n and max_tokens_per_doc of sys.maxsize, as /v1/rerank does', async () => {
    await using server = await startServer();
    const fields = `"top_n":${SYS_MAXSIZE},"max_tokens_per_doc":${SYS_MAXSIZE}`;
    const cohere = await server.post(
      '/v2/rerank',
      `{"model":"m","query":"sourdough starter","documents":${documents},${fields}}`,
    );
    const native = await server.post(
      '/v1/rerank',
      `{"model":"m","query":"sourdough starter","documents":${documents},${fields}}`,
    );
    expect({ cohere: cohere.status, native: native.status }).toEqual({ cohere: 200, native: 200 });
    const ranked = (results: unknown) =>
      (results as { index: number; relevance_score: number }[]).map(({ index, relevance_score }) => ({
        index,
        relevance_score,
      }));
    expect(ranked(cohere.json.results)).toHaveLength(DOCUMENTS.length);
    expect(ranked(cohere.json.results)).toEqual(ranked(native.json.results));
  });

  it('POST /v2/rerank still answers 400 naming top_n for a top_n that is not an integer of 1 or more', async () => {
    await using server = await startServer();
    for (const value of ['1.5', '0', `-${SYS_MAXSIZE}`]) {
      const answer = await server.post(
        '/v2/rerank',
        `{"model":"m","query":"q","documents":${documents},"top_n":${value}}`,
      );
      expect({
        value,
        status: answer.status,
        param: (answer.json.error as { param?: string }).param,
      }).toEqual({
        value,
        status: 400,
        param: 'top_n',
      });
    }
  });

  it('POST /rerank (TEI, which has no top_n) ignores a top_n of sys.maxsize and ranks every text', async () => {
    await using server = await startServer();
    const answer = await server.post(
      '/rerank',
      `{"query":"sourdough starter","texts":${documents},"top_n":${SYS_MAXSIZE}}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toHaveLength(DOCUMENTS.length);
  });
});
