import { rerankRequestArbitrary } from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectContractError,
  headerValueArbitrary,
  PROPERTY_API_KEY,
  type RawAnswer,
  sendRaw,
  startPropertyServer,
} from './http-property-test-kit.js';

/**
 * CORS over a real socket, against what the server's README documents: random policies (named origins or
 * `*`), random origins, methods, requested methods and request headers, on preflights and actual requests,
 * while serving or draining. Allowed origins get exactly the documented headers, on errors too; other
 * origins get no `Access-Control-*` header; preflights never get a 5xx.
 */

/** The request headers a preflight answer allows, as documented. */
const ALLOWED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'x-request-id',
  'idempotency-key',
  'x-sealink-retry-count',
];
/** The answer headers a page may read, as documented: the request id, Retry-After, the rate-limit headers and x-should-retry. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'retry-after',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-should-retry',
];

/** Origins a policy may name, as browsers send them. */
const ORIGINS = ['https://app.example.com', 'http://localhost:5173', 'https://docs.example.org:8443'];

/** The paths of the routes with their methods (GET routes also take HEAD), and paths of no route. */
const ROUTE_METHODS: Readonly<Record<string, readonly string[]>> = {
  '/v1/rerank': ['POST'],
  '/v2/rerank': ['POST'],
  '/rerank': ['POST'],
  '/v1/models': ['GET', 'HEAD'],
  '/v1/models/bm25': ['GET', 'HEAD'],
  '/v1/models/no-such-model': ['GET', 'HEAD'],
  '/openapi.json': ['GET', 'HEAD'],
  '/healthz': ['GET', 'HEAD'],
  '/readyz': ['GET', 'HEAD'],
  '/metrics': ['GET', 'HEAD'],
  '/nowhere': [],
  '/v1/rerank/': [],
  '/v1': [],
};
/** The routes the drain leaves alone. */
const UNDRAINED = new Set(['/healthz', '/metrics']);

const policyArbitrary = fc.oneof(
  fc.subarray(ORIGINS, { minLength: 1 }).map((allowedOrigins) => ({ allowedOrigins, any: false })),
  fc.constant({ allowedOrigins: ['*'], any: true }),
);

/** An `Origin`: one of the policy's origins, a near miss of one, `null`, any URL's origin, or junk. */
const originArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ORIGINS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'https://APP.example.com',
      'https://app.example.com/',
      'https://app.example.com:443',
      'http://app.example.com',
      'https://evil.example.com',
      'https://app.example.com.evil.example',
      'null',
      '*',
      '',
      ' https://app.example.com',
    ),
  },
  { weight: 1, arbitrary: fc.webUrl().map((url) => new URL(url).origin) },
  { weight: 1, arbitrary: headerValueArbitrary },
);

/** An `Access-Control-Request-Method`: a method of the API in any case, another one, or junk. */
const requestedMethodArbitrary = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('POST', 'GET', 'HEAD', 'post', ' POST ', 'PUT', 'DELETE', 'OPTIONS'),
  },
  { weight: 1, arbitrary: headerValueArbitrary },
);

/** An `Access-Control-Request-Headers`: names a page sends, in any case, or junk. */
const requestedHeadersArbitrary = fc.oneof(
  fc
    .subarray(['Authorization', 'content-type', 'X-Request-Id', 'idempotency-key', 'x-custom', 'cookie'])
    .map((names) => names.join(', ')),
  headerValueArbitrary,
);

const caseArbitrary = fc.record({
  policy: policyArbitrary,
  draining: fc.boolean(),
  requests: fc.array(
    fc.record({
      method: fc.constantFrom(
        'OPTIONS',
        'OPTIONS',
        'OPTIONS',
        'GET',
        'HEAD',
        'POST',
        'PUT',
        'DELETE',
        'PATCH',
      ),
      path: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...Object.keys(ROUTE_METHODS)) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom(...Object.keys(ROUTE_METHODS)), fc.webQueryParameters())
            .map(([path, query]) => `${path}?${query}`),
        },
      ),
      origin: fc.option(originArbitrary, { nil: undefined }),
      requestedMethod: fc.option(requestedMethodArbitrary, { nil: undefined }),
      requestedHeaders: fc.option(requestedHeadersArbitrary, { nil: undefined }),
      authorized: fc.boolean(),
      body: fc.option(
        rerankRequestArbitrary({ models: ['bm25'], maxDocuments: 3 }).map((request) =>
          JSON.stringify(request),
        ),
        { nil: undefined },
      ),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

/** The `Access-Control-*` headers of an answer, by lower-case name. */
const corsHeadersOf = (answer: RawAnswer): Map<string, string> =>
  new Map([...answer.headers].filter(([name]) => name.startsWith('access-control-')));

const list = (value: string | undefined): string[] =>
  (value ?? '').split(',').map((item) => item.trim().toLowerCase());

describe('CORS over a real socket (property, against the documented headers)', () => {
  it('allowed origins get exactly the documented headers, on preflights, answers and errors, while serving or draining; other origins none; never a 5xx but the drain 503', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async ({ policy, draining, requests }) => {
        await using server = await startPropertyServer(['bm25'], {
          cors: { allowedOrigins: policy.allowedOrigins },
          ...(draining ? { drainSignal: AbortSignal.abort() } : {}),
        });
        for (const request of requests) {
          const headers: [string, string][] = [];
          if (request.origin !== undefined) headers.push(['origin', request.origin]);
          if (request.requestedMethod !== undefined) {
            headers.push(['access-control-request-method', request.requestedMethod]);
          }
          if (request.requestedHeaders !== undefined) {
            headers.push(['access-control-request-headers', request.requestedHeaders]);
          }
          if (request.authorized) headers.push(['authorization', `Bearer ${PROPERTY_API_KEY}`]);
          if (request.body !== undefined) headers.push(['content-type', 'application/json']);
          const answer = await sendRaw(server.port, {
            method: request.method,
            path: request.path,
            headers,
            ...(request.body === undefined ? {} : { body: request.body }),
          });
          const label = `${JSON.stringify({ policy: policy.allowedOrigins, draining, request })}: ${answer.status} ${JSON.stringify([...answer.headers])} ${answer.body}`;
          const path = request.path.split('?')[0]!;
          const routeMethods = ROUTE_METHODS[path]!;
          // Node trims the outer blanks of a header value: the origin the server sees.
          const origin = request.origin?.trim();
          const originAllowed =
            origin !== undefined && (policy.any || policy.allowedOrigins.includes(origin));
          const preflight = request.method === 'OPTIONS' && request.requestedMethod !== undefined;
          const preflightGranted =
            preflight &&
            originAllowed &&
            routeMethods.includes(request.requestedMethod!.trim().toUpperCase());

          expect(answer.status, label).toBeGreaterThanOrEqual(200);
          if (answer.status === 503) {
            // Only the drain answers 503, never to a preflight nor on the routes it leaves alone.
            expect(draining && !preflight && !UNDRAINED.has(path), label).toBe(true);
            expect(expectContractError(answer, request.method)?.code ?? 'server_draining', label).toBe(
              'server_draining',
            );
          } else {
            expect(answer.status, label).toBeLessThan(500);
            if (draining) expect(preflight || UNDRAINED.has(path), label).toBe(true);
          }

          const cors = corsHeadersOf(answer);
          const vary = answer.headers.get('vary');
          if (preflightGranted) {
            expect(answer.status, label).toBe(204);
            expect(answer.body, label).toBe('');
            expect(cors.get('access-control-allow-origin'), label).toBe(policy.any ? '*' : origin);
            expect(cors.get('access-control-allow-methods'), label).toBe(routeMethods.join(', '));
            expect(list(cors.get('access-control-allow-headers')).sort(), label).toEqual(
              [...ALLOWED_REQUEST_HEADERS].sort(),
            );
            expect(cors.get('access-control-max-age'), label).toBe('600');
            expect(list(cors.get('access-control-expose-headers')).sort(), label).toEqual(
              [...EXPOSED_HEADERS].sort(),
            );
            expect([...cors.keys()].sort(), label).toEqual(
              [
                'access-control-allow-headers',
                'access-control-allow-methods',
                'access-control-allow-origin',
                'access-control-expose-headers',
                'access-control-max-age',
              ].sort(),
            );
            expect(vary, label).toBe(policy.any ? undefined : 'Origin');
            expect(answer.headers.get('x-request-id'), label).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
            continue;
          }
          expect(answer.status, label).not.toBe(204);
          if (answer.status >= 400) expectContractError(answer, request.method);
          if (request.method === 'OPTIONS' && answer.status !== 503) {
            // Not a preflight this server grants: the route's 405 with its methods, or 404.
            expect(answer.status, label).toBe(routeMethods.length > 0 ? 405 : 404);
            if (routeMethods.length > 0)
              expect(answer.headers.get('allow'), label).toBe(routeMethods.join(', '));
          }
          if (policy.any) {
            // With `*` every answer says so, `Origin` or not, and depends on no request header.
            expect([...cors.keys()].sort(), label).toEqual([
              'access-control-allow-origin',
              'access-control-expose-headers',
            ]);
            expect(cors.get('access-control-allow-origin'), label).toBe('*');
            expect(list(cors.get('access-control-expose-headers')).sort(), label).toEqual(
              [...EXPOSED_HEADERS].sort(),
            );
            expect(vary, label).toBeUndefined();
          } else if (originAllowed) {
            expect([...cors.keys()].sort(), label).toEqual([
              'access-control-allow-origin',
              'access-control-expose-headers',
            ]);
            expect(cors.get('access-control-allow-origin'), label).toBe(origin);
            expect(list(cors.get('access-control-expose-headers')).sort(), label).toEqual(
              [...EXPOSED_HEADERS].sort(),
            );
            expect(vary, label).toBe('Origin');
          } else {
            expect([...cors.keys()], label).toEqual([]);
            expect(vary, label).toBe('Origin');
          }
        }
      }),
      { numRuns: 60 },
    );
  }, 30_000);
});
