import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authorizationArbitrary,
  echoedRequestId,
  expectContractError,
  headerValueArbitrary,
  junkHeadersArbitrary,
  methodArbitrary,
  PROPERTY_API_KEY,
  requestIdArbitrary,
  sendRaw,
  startPropertyServer,
} from './http-property-test-kit.js';

/** The operational and model routes, and near misses of them. */
const KNOWN_PATHS = [
  '/openapi.json',
  '/healthz',
  '/readyz',
  '/metrics',
  '/v1/models',
  '/v1/models/bm25',
  '/v1/models/other',
  '/v1/models/no-such-model',
  '/v1/models/constructor',
  '/v1/models/__proto__',
  '/v1/models/x%2Fy',
  '/healthz?verbose=1',
  '/metrics?name[]=x',
  '/healthz/',
  '/v1/models/',
  '/HEALTHZ',
  '/openapi.json/..',
  '//metrics',
];

/** Paths served with GET and HEAD: every other method gets 405. */
const GET_PATHS = /^\/(openapi\.json|healthz|readyz|metrics|v1\/models(\/[^/?]+)?)(\?.*)?$/;

/**
 * Whether `path` is one of {@link GET_PATHS} as the server reads it: a URL parser resolves dot segments
 * (`.` and `..`, percent-encoded too) away first, so `/v1/models/.` is `/v1/models/`, which no route takes.
 */
function isGetPath(path: string): boolean {
  const pathname = path.split(/[?#]/)[0]!;
  return GET_PATHS.test(path) && !pathname.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}

const pathArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.webPath(),
        fc.option(fc.webQueryParameters(), { nil: undefined }),
        fc.option(fc.webFragments(), { nil: undefined }),
      )
      .map(([path, query, fragment]) => {
        let target = path.startsWith('/') ? path : `/${path}`;
        if (query !== undefined) target += `?${query}`;
        // A fragment is not sent by clients, but a server must survive one in the target.
        if (fragment !== undefined) target += `#${fragment}`;
        return target;
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('/v1/models/', '/healthz/', '/metrics/'), fc.webSegment())
      .map(([prefix, segment]) => prefix + segment),
  },
);

describe('operational and model routes, junk over a real socket', () => {
  it('never answers random methods, paths and headers with a 5xx; errors in the contract shape with a request id', async () => {
    await using server = await startPropertyServer();
    await fc.assert(
      fc.asyncProperty(
        methodArbitrary,
        pathArbitrary,
        fc.option(authorizationArbitrary(PROPERTY_API_KEY), { nil: undefined }),
        fc.option(requestIdArbitrary, { nil: undefined }),
        junkHeadersArbitrary,
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        async (method, path, authorization, requestId, extra, body) => {
          const headers: [string, string][] = [];
          if (authorization !== undefined) headers.push(['authorization', authorization]);
          if (requestId !== undefined) headers.push(['x-request-id', requestId]);
          headers.push(...extra);
          const answer = await sendRaw(server.port, {
            method,
            path,
            headers,
            ...(body === undefined ? {} : { body }),
          });
          expect(answer.status).toBeGreaterThanOrEqual(200);
          expect(answer.status).toBeLessThan(500);
          if (answer.status === 200) {
            expect(['GET', 'HEAD']).toContain(method);
            expect(answer.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
            if (method === 'GET' && path.split(/[?#]/)[0] === '/healthz') {
              expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
            }
            return;
          }
          const error = expectContractError(answer, method);
          if (error?.code === 'malformed_http') {
            // Node's parser refused the request (a method it does not know): no route saw it.
            expect(answer.status).toBe(400);
            return;
          }
          const echoed = echoedRequestId(headers);
          if (echoed !== undefined) expect(answer.headers.get('x-request-id')).toBe(echoed);
          if (answer.status === 405) {
            expect(answer.headers.get('allow')).toBe('GET, HEAD');
            expect(['GET', 'HEAD']).not.toContain(method);
            if (error !== undefined) expect(error.type).toBe('method_not_allowed');
          } else if (isGetPath(path) && method !== 'GET' && method !== 'HEAD') {
            throw new Error(`${method} ${path} answered ${answer.status}, not 405`);
          }
          if (answer.status === 404 && error !== undefined) {
            expect(error.type).toBe('not_found_error');
            expect(['route_not_found', 'model_not_found']).toContain(error.code);
          }
        },
      ),
      {
        numRuns: 300,
        // Dot segments, which fc.webSegment makes now and then: a URL parser resolves them away.
        examples: [
          ['PUT', '/v1/models/.', undefined, undefined, [], undefined],
          ['DELETE', '/v1/models/%2E%2e', undefined, undefined, [], undefined],
          ['POST', '/v1/models/.a', undefined, undefined, [], undefined],
        ],
      },
    );
  });
});

describe('CORS over a real socket (property)', () => {
  it('never answers random origins, preflights and methods with a 5xx; CORS headers only for the allowed origin', async () => {
    const allowed = 'https://app.example.com';
    await using server = await startPropertyServer(undefined, { cors: { allowedOrigins: [allowed] } });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('OPTIONS', 'OPTIONS', 'GET', 'POST', 'DELETE'),
        fc.oneof(fc.constantFrom(...KNOWN_PATHS, '/v1/rerank', '/v2/rerank', '/rerank'), pathArbitrary),
        fc.option(fc.oneof(fc.constant(allowed), headerValueArbitrary, fc.webUrl()), { nil: undefined }),
        fc.option(fc.oneof(fc.constantFrom('POST', 'GET', 'PUT', 'post'), headerValueArbitrary), {
          nil: undefined,
        }),
        async (method, path, origin, requestedMethod) => {
          const headers: [string, string][] = [['authorization', `Bearer ${PROPERTY_API_KEY}`]];
          if (origin !== undefined) headers.push(['origin', origin]);
          if (requestedMethod !== undefined) headers.push(['access-control-request-method', requestedMethod]);
          const answer = await sendRaw(server.port, { method, path, headers });
          expect(answer.status).toBeGreaterThanOrEqual(200);
          expect(answer.status).toBeLessThan(500);
          const allowOrigin = answer.headers.get('access-control-allow-origin');
          if (answer.status >= 400 && expectContractError(answer, method)?.code === 'malformed_http') return;
          // Node trims header values: an origin with outer white space is still the allowed one.
          expect(allowOrigin).toBe(origin?.trim() === allowed ? allowed : undefined);
          if (answer.status === 204) {
            expect(method).toBe('OPTIONS');
            expect(answer.headers.get('access-control-allow-methods')).toMatch(/^(POST|GET, HEAD)$/);
            expect(answer.body).toBe('');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
