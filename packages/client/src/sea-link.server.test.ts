import { checkRerankResponse } from '@sealink/rerank-contract/testing';
import { Bm25Backend, createRerankApp, ModelRegistry, serveRerankApp } from '@sealink/rerank-server';
import { captureLogger } from '@sealink/rerank-server/testing';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, BadRequestError, NotFoundError } from './api-error.js';
import { SeaLink } from './sea-link.js';
import { EXAMPLE_REQUEST } from './testing/fixed-rerank-response.js';

const API_KEY = 'sk-client-server-test';

async function startServer() {
  const app = createRerankApp({
    registry: new ModelRegistry([{ id: 'bm25', backend: new Bm25Backend() }]),
    auth: { apiKeys: [API_KEY] },
    logger: captureLogger('warn').logger,
  });
  return serveRerankApp(app);
}

describe('against the real server (bm25)', () => {
  it("answers the public page's example", async () => {
    await using server = await startServer();
    await using client = new SeaLink({ apiKey: API_KEY, baseURL: `${server.url}/v1` });
    const request = { ...EXAMPLE_REQUEST, model: 'bm25' };
    const response = await client.rerank(request);
    expect(checkRerankResponse(request, response)).toEqual([]);
    expect(response.model).toBe('bm25');
    expect(response.results).toHaveLength(2);
    // The sourdough document shares no term with the query, so it is not in the top 2.
    expect(response.results.map((result) => result.index).sort()).toEqual([0, 2]);
    expect(response.request_id).toMatch(/\S/);
    expect(response.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('maps the server errors to their classes and lists the model', async () => {
    await using server = await startServer();
    await using client = new SeaLink({ apiKey: API_KEY, baseURL: `${server.url}/v1` });
    await using stranger = new SeaLink({ apiKey: 'sk-wrong', baseURL: `${server.url}/v1` });
    await expect(stranger.rerank(EXAMPLE_REQUEST)).rejects.toBeInstanceOf(AuthenticationError);
    const notFound = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as NotFoundError;
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.code).toBe('model_not_found');
    const badRequest = (await client
      .rerank({ model: 'bm25', query: ' ', documents: ['a'] })
      .catch((caught: unknown) => caught)) as BadRequestError;
    expect(badRequest).toBeInstanceOf(BadRequestError);
    expect(badRequest.param).toBe('query');
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['bm25']);
  });

  it('ranks more documents than one request may carry with rerankAll (approximate for BM25)', async () => {
    await using server = await startServer();
    await using client = new SeaLink({ apiKey: API_KEY, baseURL: `${server.url}/v1` });
    const documents = Array.from({ length: 2500 }, (_, index) =>
      index % 10 === 0 ? `api gateway for qwen models number ${index}` : `sourdough starter note ${index}`,
    );
    const request = { model: 'bm25', query: 'api gateway qwen', documents, top_n: 5 };
    const response = await client.rerankAll(request);
    expect(checkRerankResponse(request, response)).toEqual([]);
    expect(response.request_ids).toHaveLength(3);
    expect(response.results.every((result) => result.index % 10 === 0)).toBe(true);
  });
});
