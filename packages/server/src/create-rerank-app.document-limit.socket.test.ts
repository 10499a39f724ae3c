import { ErrorResponse, RerankResponse } from '@sealink/rerank-contract';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createRerankApp } from './create-rerank-app.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { ConstantScoreBackend } from './testing/constant-score-backend.js';

const LIMITS = [1, 2, 3, 5, 8];

describe("a model's document limit, over a real socket", () => {
  it('takes exactly max_documents documents and refuses one more with 400 too_many_documents', async () => {
    const registry = new ModelRegistry(
      LIMITS.map((limit) => ({
        id: `up-to-${limit}`,
        backend: new ConstantScoreBackend(),
        maxDocuments: limit,
      })),
    );
    const app = createRerankApp({
      registry,
      auth: { disabled: true },
      logger: captureLogger('fatal').logger,
    });
    await using server = await serveRerankApp(app, { hostname: '127.0.0.1', port: 0 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LIMITS), fc.integer({ min: 1, max: 10 }), async (limit, count) => {
        const response = await request(`${server.url}/v1/rerank`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: `up-to-${limit}`,
            query: 'q',
            documents: Array.from({ length: count }, (_, index) => `document ${index}`),
          }),
        });
        const answer = await response.body.json();
        if (count <= limit) {
          expect(response.statusCode).toBe(200);
          expect(RerankResponse.parse(answer).results).toHaveLength(count);
        } else {
          expect(response.statusCode).toBe(400);
          expect(ErrorResponse.parse(answer).error).toMatchObject({
            type: 'invalid_request_error',
            code: 'too_many_documents',
            param: 'documents',
          });
          expect(ErrorResponse.parse(answer).error.message).toContain(`at most ${limit} documents`);
        }
      }),
      { numRuns: 40 },
    );
  });
});
