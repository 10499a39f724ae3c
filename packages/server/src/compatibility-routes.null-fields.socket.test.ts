import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { Bm25Backend } from './bm25/bm25-backend.js';
import { createRerankApp } from './create-rerank-app.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';

const API_KEY = 'sk-null-fields-test';
const DOCUMENTS = [
  'feed the sourdough starter daily',
  'stock markets closed higher',
  'a starter needs feeding',
];

describe('POST /v2/rerank with the null fields cohere-python sends', () => {
  it('answers top_n: null and max_tokens_per_doc: null like omitted fields, as Cohere does', async () => {
    const registry = new ModelRegistry([{ id: 'bm25', backend: new Bm25Backend() }]);
    await registry.load();
    const app = createRerankApp({
      registry,
      auth: { apiKeys: [API_KEY] },
      logger: captureLogger('fatal').logger,
    });
    await using server = await serveRerankApp(app);
    try {
      const post = async (body: unknown) => {
        const response = await request(`${server.url}/v2/rerank`, {
          method: 'POST',
          // What cohere-python (httpx) sends for ClientV2.rerank(..., top_n=None, max_tokens_per_doc=None),
          // LangChain's CohereRerank default.
          headers: {
            authorization: `Bearer ${API_KEY}`,
            'content-type': 'application/json',
            accept: 'application/json',
            'x-client-name': 'langchain:partner',
            'x-fern-language': 'Python',
          },
          body: JSON.stringify(body),
        });
        return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
      };
      const base = { model: 'bm25', query: 'sourdough starter', documents: DOCUMENTS };
      const withNulls = await post({ ...base, top_n: null, max_tokens_per_doc: null });
      const omitted = await post(base);
      expect(withNulls.status).toBe(200);
      expect(omitted.status).toBe(200);
      expect(withNulls.json.results).toEqual(omitted.json.results);
      expect(withNulls.json.results).toHaveLength(3);
    } finally {
      await registry.close();
    }
  });
});
