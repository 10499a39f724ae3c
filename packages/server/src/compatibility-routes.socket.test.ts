import { ErrorResponse } from '@sealink/rerank-contract';
import { cohereV2Dialect, logit } from '@sealink/rerank-contract/dialects';
import { junkBodyArbitrary, rerankRequestArbitrary } from '@sealink/rerank-contract/testing';
import { lexicalScore, startMockEngine } from '@sealink/rerank-mock-server';
import { CohereClientV2, CohereError } from 'cohere-ai';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createRerankApp } from './create-rerank-app.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { ConstantScoreBackend } from './testing/constant-score-backend.js';
import { ScriptedBackend } from './testing/scripted-backend.js';
import { UpstreamBackend } from './upstream/upstream-backend.js';

const API_KEY = 'sk-compatibility-test';

/** The app serving `qwen3-rerank` (default model) and `other` from a mock TEI engine, on real sockets. */
async function startServer() {
  const engine = await startMockEngine({ dialect: 'tei', maxBatch: 1000 });
  const backend = (model: string) =>
    new UpstreamBackend({ type: 'tei', baseUrls: [engine.url], model, healthCheck: false });
  const registry = new ModelRegistry([
    { id: 'qwen3-rerank', backend: backend('qwen3') },
    { id: 'other', backend: backend('other') },
  ]);
  await registry.load();
  const app = createRerankApp({
    registry,
    auth: { apiKeys: [API_KEY] },
    defaultModel: 'qwen3-rerank',
    logger: captureLogger('fatal').logger,
  });
  const server = await serveRerankApp(app);
  return Object.assign(server, {
    engine,
    async post(path: string, body: unknown, headers: Record<string, string> = {}) {
      const response = await request(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      });
      const text = await response.body.text();
      return { status: response.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
    },
    async [Symbol.asyncDispose]() {
      await server.close();
      await registry.close();
      await engine.close();
    },
  });
}

const QUERY = 'sourdough starter feeding';
const DOCUMENTS = [
  'feed the sourdough starter daily',
  'stock markets closed higher',
  'a starter needs feeding',
  'sourdough',
];

/** Results sorted by score descending, ties by index ascending, as every rerank answer is. */
function expectedRanking(query: string, documents: readonly string[]) {
  return documents
    .map((document, index) => ({ index, score: lexicalScore(query, document) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
}

describe('compatibility routes', () => {
  it('the official cohere-ai v2 client reranks through POST /v2/rerank, unchanged but for the base URL', async () => {
    await using server = await startServer();
    const cohere = new CohereClientV2({ token: API_KEY, baseUrl: server.url });
    const answer = await cohere.rerank({
      model: 'qwen3-rerank',
      query: QUERY,
      documents: DOCUMENTS,
      topN: 3,
    });
    const expected = expectedRanking(QUERY, DOCUMENTS).slice(0, 3);
    expect(answer.results).toEqual(
      expected.map(({ index, score }) => ({ index, relevanceScore: expect.closeTo(score, 6) })),
    );
    expect(answer.id).toMatch(/^rerank-/);
    expect(server.engine.requests.at(-1)?.body).toMatchObject({ texts: DOCUMENTS });
  });

  it('cohere-ai raises its own error classes for our errors', async () => {
    await using server = await startServer();
    const wrongKey = new CohereClientV2({
      token: 'sk-wrong',
      baseUrl: server.url,
      maxRetries: 0,
    } as ConstructorParameters<typeof CohereClientV2>[0]);
    const unauthorized = await wrongKey
      .rerank({ model: 'qwen3-rerank', query: QUERY, documents: DOCUMENTS })
      .catch((error: unknown) => error);
    expect(unauthorized).toBeInstanceOf(CohereError);
    expect((unauthorized as CohereError).statusCode).toBe(401);
    const cohere = new CohereClientV2({ token: API_KEY, baseUrl: server.url });
    const unknownModel = await cohere
      .rerank({ model: 'rerank-v3.5', query: QUERY, documents: DOCUMENTS })
      .catch((error: unknown) => error);
    expect((unknownModel as CohereError).statusCode).toBe(404);
    expect(ErrorResponse.safeParse((unknownModel as CohereError).body).success).toBe(true);
  });

  it('POST /rerank answers in TEI’s shape for the default model, in logits when raw_scores asks', async () => {
    await using server = await startServer();
    const plain = await server.post('/rerank', { query: QUERY, texts: DOCUMENTS, return_text: true });
    expect(plain.status).toBe(200);
    const expected = expectedRanking(QUERY, DOCUMENTS);
    expect(plain.json).toEqual(
      expected.map(({ index, score }) => ({
        index,
        text: DOCUMENTS[index],
        score: expect.closeTo(score, 6),
      })),
    );
    const raw = await server.post('/rerank', { query: QUERY, texts: DOCUMENTS, raw_scores: true });
    expect(raw.json).toEqual(
      expected.map(({ index, score }) => ({ index, score: expect.closeTo(logit(score), 3) })),
    );
  });

  it('answers a compatibility request that breaks the contract’s limits with the contract’s 400', async () => {
    await using server = await startServer();
    const tooMany = await server.post('/v2/rerank', {
      model: 'qwen3-rerank',
      query: 'q',
      documents: Array.from({ length: 1001 }, () => 'd'),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toMatchObject({ error: { type: 'invalid_request_error' } });
    const missing = await server.post('/rerank', { query: 'q' });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ error: { type: 'invalid_request_error', param: 'texts' } });
  });

  it('names TEI’s texts, not documents, when a request has more texts than the model takes', async () => {
    const registry = new ModelRegistry([{ id: 'small', backend: new ScriptedBackend(), maxDocuments: 2 }]);
    const app = createRerankApp({
      registry,
      auth: { disabled: true },
      logger: captureLogger('fatal').logger,
    });
    await using server = await serveRerankApp(app);
    const cases = [
      ['/rerank', { query: 'q', texts: ['a', 'b', 'c'] }, 'texts'],
      ['/v2/rerank', { model: 'small', query: 'q', documents: ['a', 'b', 'c'] }, 'documents'],
      ['/v1/rerank', { model: 'small', query: 'q', documents: ['a', 'b', 'c'] }, 'documents'],
    ] as const;
    for (const [path, body, param] of cases) {
      const init = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };
      // Over the socket (the node:http fast path) and in process (Hono), alike.
      const overSocket = await request(`${server.url}${path}`, init);
      const inProcess = await app.request(path, init);
      for (const [status, answer] of [
        [overSocket.statusCode, await overSocket.body.json()],
        [inProcess.status, await inProcess.json()],
      ] as const) {
        expect(status).toBe(400);
        expect(ErrorResponse.parse(answer).error).toMatchObject({ code: 'too_many_documents', param });
      }
    }
  });

  it('bills one Cohere search unit per started 100 documents on POST /v2/rerank', async () => {
    // Cohere bills one search unit per query with up to 100 documents; LiteLLM and other cost
    // trackers read meta.billed_units.search_units, so 250 documents must report 3, not 1.
    const registry = new ModelRegistry([
      { id: 'wide', backend: new ConstantScoreBackend(), maxDocuments: 250 },
    ]);
    const app = createRerankApp({
      registry,
      auth: { disabled: true },
      logger: captureLogger('fatal').logger,
    });
    await using server = await serveRerankApp(app, { hostname: '127.0.0.1', port: 0 });
    for (const [count, units] of [
      [250, 3],
      [100, 1],
      [101, 2],
    ] as const) {
      const response = await request(`${server.url}/v2/rerank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'wide',
          query: 'q',
          documents: Array.from({ length: count }, (_, index) => `document ${index}`),
          top_n: 5,
        }),
      });
      expect(response.statusCode).toBe(200);
      const answer = cohereV2Dialect.response.parse(await response.body.json());
      expect(answer.results).toHaveLength(5);
      expect(answer.meta?.billed_units).toEqual({ search_units: units });
    }
  });

  it('answers another method on a compatibility route with 405 and Allow: POST', async () => {
    await using server = await startServer();
    for (const path of ['/v2/rerank', '/rerank']) {
      const response = await request(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      const body = await response.body.json();
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST');
      expect(ErrorResponse.safeParse(body).success).toBe(true);
    }
  });

  it('keeps every invariant for random valid Cohere v2 requests: same scores as /v1/rerank', async () => {
    await using server = await startServer();
    await fc.assert(
      fc.asyncProperty(rerankRequestArbitrary({ models: ['qwen3-rerank', 'other'] }), async (generated) => {
        const documents = generated.documents.map((document) =>
          typeof document === 'string' ? document : document.text,
        );
        const body = {
          model: generated.model,
          query: generated.query,
          documents,
          ...(generated.top_n === undefined ? {} : { top_n: generated.top_n }),
        };
        const cohere = await server.post('/v2/rerank', body);
        const native = await server.post('/v1/rerank', { ...body, return_documents: false });
        expect(cohere.status).toBe(200);
        expect(native.status).toBe(200);
        const results = (cohere.json as { results: { index: number; relevance_score: number }[] }).results;
        expect(results).toEqual((native.json as { results: unknown[] }).results);
        expect(results).toHaveLength(Math.min(generated.top_n ?? documents.length, documents.length));
      }),
      { numRuns: 40 },
    );
  });

  it('never answers junk on a compatibility route with a 5xx, always with the contract’s error shape', async () => {
    await using server = await startServer();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v2/rerank', '/rerank'), junkBodyArbitrary, async (path, junk) => {
        const answer = await server.post(path, junk);
        if (answer.status === 200) return;
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(ErrorResponse.safeParse(answer.json).success).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
