import { ErrorResponse, Model, ModelList } from '@sealink/rerank-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_HINTS } from './create-rerank-app.js';
import { PROPERTY_API_KEY, sendRaw, startPropertyServer } from './http-property-test-kit.js';

const AUTH: [string, string][] = [['authorization', `Bearer ${PROPERTY_API_KEY}`]];

/**
 * A model id that a path segment can carry: any text but the dot segments `.` and `..`, which every
 * URL parser resolves away (`%2e` included), so no request can name them.
 */
const modelIdArbitrary = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 30 }),
    fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
    fc.constantFrom('bm25', 'qwen3-rerank', 'constructor', '__proto__', 'toString', 'a/b', 'x%2Fy', ' '),
  )
  .filter((id) => id !== '.' && id !== '..');

const retrieve = (port: number, id: string) =>
  sendRaw(port, { method: 'GET', path: `/v1/models/${encodeURIComponent(id)}`, headers: AUTH });

describe('GET /v1/models/{id}, properties over a real socket', () => {
  it('answers every registered id with that model, and any other id with a 404 that lists the models', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(modelIdArbitrary, { minLength: 1, maxLength: 5 }),
        fc.array(modelIdArbitrary, { maxLength: 4 }),
        async (ids, probes) => {
          await using server = await startPropertyServer(ids);
          const list = await sendRaw(server.port, { method: 'GET', path: '/v1/models', headers: AUTH });
          expect(list.status).toBe(200);
          expect(ModelList.parse(JSON.parse(list.body)).data.map((model) => model.id)).toEqual(ids);
          for (const id of ids) {
            const answer = await retrieve(server.port, id);
            expect({ id, status: answer.status }).toEqual({ id, status: 200 });
            expect(Model.parse(JSON.parse(answer.body)).id).toBe(id);
          }
          for (const id of probes.filter((probe) => !ids.includes(probe))) {
            const answer = await retrieve(server.port, id);
            expect({ id, status: answer.status }).toEqual({ id, status: 404 });
            const { error } = ErrorResponse.parse(JSON.parse(answer.body));
            // Exactly the contract's message: the id, every model, and a hint only for ids configured with one.
            const hint = Object.hasOwn(DEFAULT_MODEL_HINTS, id) ? ` ${DEFAULT_MODEL_HINTS[id]}` : '';
            expect(error).toEqual({
              type: 'not_found_error',
              code: 'model_not_found',
              param: 'model',
              message: `The model '${id}' does not exist. Available models: ${ids.join(', ')}.${hint}`,
              request_id: answer.headers.get('x-request-id'),
            });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
