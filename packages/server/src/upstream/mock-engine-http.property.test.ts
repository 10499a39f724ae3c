import { DIALECT_NAMES, DIALECTS, type DialectName } from '@sealink/rerank-contract/dialects';
import { junkBodyArbitrary, queryArbitrary, textArbitrary } from '@sealink/rerank-contract/testing';
import { startMockEngine } from '@sealink/rerank-mock-server';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  headerValueArbitrary,
  junkHeadersArbitrary,
  methodArbitrary,
  sendRaw,
} from '../http-property-test-kit.js';

const ENGINE_KEY = 'engine-property-key';

/** A valid scoring body in the dialect's wire format. */
const validBodyArbitrary = (dialect: DialectName) =>
  fc
    .tuple(queryArbitrary, fc.array(textArbitrary(60), { minLength: 1, maxLength: 8 }))
    .map(([query, documents]) =>
      JSON.stringify(
        DIALECTS[dialect].dialect.toRequest(
          { model: 'engine-model', query, documents, topN: documents.length, returnDocuments: false },
          { upstreamModel: 'engine-model' },
        ),
      ),
    );

/** What the engines' callers send as `Authorization`: the key, nothing, or junk. */
const authorizationArbitrary = fc.option(
  fc.oneof(
    fc.constant(`Bearer ${ENGINE_KEY}`),
    fc.constant(`bearer ${ENGINE_KEY}`),
    fc.constant(ENGINE_KEY),
    headerValueArbitrary.map((value) => `Bearer ${value}`),
  ),
  { nil: undefined },
);

/** Methods Node's HTTP parser takes (the ones `methodArbitrary` draws by name). */
const NODE_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'SEARCH',
  'PURGE',
  'MKCOL',
  'LOCK',
  'QUERY',
]);

/** The path without its query string. */
const routeOf = (path: string) => path.split('?')[0];

describe('mock engines as HTTP surfaces, properties over a real socket', () => {
  it.each(DIALECT_NAMES)(
    '%s: never answers random methods, paths, auth and headers with a 5xx unless told to fault',
    async (dialect) => {
      await using engine = await startMockEngine({ dialect, apiKey: ENGINE_KEY });
      const info = DIALECTS[dialect];
      const port = Number(new URL(engine.url).port);
      const path = fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom(...info.paths, '/health', '/health?x=1', `${info.paths[0]}?a=b`),
        },
        { weight: 1, arbitrary: fc.webPath().map((value) => (value.startsWith('/') ? value : `/${value}`)) },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 2, arbitrary: fc.constantFrom('GET', 'POST') },
            { weight: 1, arbitrary: methodArbitrary },
          ),
          path,
          authorizationArbitrary,
          junkHeadersArbitrary,
          fc.option(fc.oneof(junkBodyArbitrary, validBodyArbitrary(dialect)), { nil: undefined }),
          async (method, target, authorization, extra, body) => {
            const headers: [string, string][] = [['content-type', 'application/json'], ...extra];
            if (authorization !== undefined) headers.push(['authorization', authorization]);
            const answer = await sendRaw(port, {
              method,
              path: target,
              headers,
              ...(body === undefined ? {} : { body }),
            });
            expect(answer.status).toBeGreaterThanOrEqual(200);
            expect(answer.status).toBeLessThan(500);
            const route = routeOf(target);
            const isScoring = method === 'POST' && (info.paths as readonly string[]).includes(route!);
            if (method === 'GET' && route === '/health') {
              expect(answer.status).toBe(200);
              expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
              return;
            }
            if (answer.body === '' && method !== 'HEAD') {
              // Node's parser refused a method it does not know, before the engine saw the request.
              expect(answer.status).toBe(400);
              expect(NODE_METHODS.has(method)).toBe(false);
              return;
            }
            if (!isScoring) {
              expect(answer.status).toBe(404);
            } else if (authorization !== `Bearer ${ENGINE_KEY}`) {
              expect(answer.status).toBe(401);
            }
            if (answer.status !== 200 && method !== 'HEAD') {
              expect(info.dialect.describeError(JSON.parse(answer.body))).toBeDefined();
            }
          },
        ),
        { numRuns: 40 },
      );
      // Only what the engine was told: the next scoring requests fail with the status asked for, then it recovers.
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 3 }),
          fc.constantFrom(500, 502, 503, 504),
          validBodyArbitrary(dialect),
          async (count, status, body) => {
            engine.failNext(count, status);
            const headers: [string, string][] = [
              ['content-type', 'application/json'],
              ['authorization', `Bearer ${ENGINE_KEY}`],
            ];
            for (let attempt = 0; attempt <= count; attempt++) {
              // A health check in between does not use up a fault.
              expect((await sendRaw(port, { method: 'GET', path: '/health' })).status).toBe(200);
              const answer = await sendRaw(port, { method: 'POST', path: info.paths[0], headers, body });
              expect(answer.status).toBe(attempt < count ? status : 200);
            }
          },
        ),
        { numRuns: 5 },
      );
    },
  );
});
