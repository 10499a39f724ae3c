import { connect } from 'node:net';
import {
  checkRerankResponse,
  junkBodyArbitrary,
  rerankRequestArbitrary,
} from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRerankApp } from './create-rerank-app.js';
import {
  authorizationArbitrary,
  echoedRequestId,
  expectContractError,
  junkHeadersArbitrary,
  methodArbitrary,
  PROPERTY_API_KEY,
  parseRawAnswers,
  type RawAnswer,
  requestIdArbitrary,
  sendRaw,
  startPropertyServer,
} from './http-property-test-kit.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { gatedBackend } from './testing/scripted-backend.js';

/**
 * The drain answer over a real socket: once the app's drain signal is aborted, random requests on random
 * routes get 503 `overloaded_error` `server_draining` with `Retry-After` and `Connection: close`, except
 * `/healthz` and `/metrics` (the routes `createRerankApp` leaves out of the drain), while the requests in
 * flight when the drain started still complete with 200.
 */

/** The routes the drain leaves alone: liveness, and metrics so the drain itself can be watched. */
const UNDRAINED_PATHS = new Set(['/healthz', '/metrics']);

const KNOWN_PATHS = [
  '/v1/rerank',
  '/v2/rerank',
  '/rerank',
  '/v1/models',
  '/v1/models/bm25',
  '/v1/models/no-such-model',
  '/openapi.json',
  '/readyz',
  '/healthz',
  '/healthz?verbose=1',
  '/metrics',
  '/metrics?name[]=x',
  '/healthz/',
  '/HEALTHZ',
  '//metrics',
  '/v1/rerank/',
  '/nowhere',
];

const pathArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/%68ealthz',
      '/./healthz',
      '/v1/../metrics',
      '/healthz%3Fx',
      '/healthz;x',
      '/metrics#x',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.webPath(), fc.option(fc.webQueryParameters(), { nil: undefined }))
      .map(
        ([path, query]) =>
          `${path.startsWith('/') ? path : `/${path}`}${query === undefined ? '' : `?${query}`}`,
      ),
  },
);

/** A request sent while the server drains. */
interface RandomRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body: string | Uint8Array | undefined;
}

const randomRequestArbitrary = (methods: fc.Arbitrary<string>): fc.Arbitrary<RandomRequest> =>
  fc
    .record({
      method: methods,
      path: pathArbitrary,
      authorization: fc.option(authorizationArbitrary(PROPERTY_API_KEY), { nil: undefined }),
      requestId: fc.option(requestIdArbitrary, { nil: undefined }),
      extra: junkHeadersArbitrary,
      body: fc.option(
        fc.oneof(
          rerankRequestArbitrary({ models: ['bm25'], maxDocuments: 3 }).map((request) =>
            JSON.stringify(request),
          ),
          junkBodyArbitrary,
        ),
        { nil: undefined },
      ),
    })
    .map(({ method, path, authorization, requestId, extra, body }) => {
      const headers: [string, string][] = [];
      if (authorization !== undefined) headers.push(['authorization', authorization]);
      if (requestId !== undefined) headers.push(['x-request-id', requestId]);
      headers.push(['content-type', 'application/json'], ...extra);
      return { method, path, headers, body };
    });

/**
 * The path of a request target as the app routes it: resolved as a URL (no query or fragment, dot segments
 * removed) and percent-decoded except for reserved characters, so that `/v1/../healthz` and `/%68ealthz`
 * are `/healthz`, but `/healthz%3Fx` is not.
 */
function routedPath(target: string): string {
  const { pathname } = new URL(`http://127.0.0.1${target}`);
  try {
    return decodeURI(pathname);
  } catch {
    return pathname;
  }
}

/** Codes of the answers given before the app sees a request (Node's parser, the contract's server, the adapter). */
const BEFORE_APP_CODES = new Set([
  'malformed_http',
  'invalid_request_target',
  'missing_host',
  'duplicate_host',
  'method_not_allowed',
]);

/**
 * Checks an answer to a request that arrived while draining: the drain 503 in full, unless the route is
 * one the drain leaves alone (then an ordinary answer, never a 5xx) or the request never reached the app.
 */
function expectDrainAnswer(request: RandomRequest, answer: RawAnswer, retryAfter: string) {
  const label = `${request.method} ${request.path}: ${answer.status} ${answer.body}`;
  expect(answer.status, label).toBeGreaterThanOrEqual(200);
  if (answer.status === 503) {
    expect(UNDRAINED_PATHS.has(routedPath(request.path)), label).toBe(false);
    const error = expectContractError(answer, request.method);
    if (error !== undefined) {
      expect(error, label).toMatchObject({ type: 'overloaded_error', code: 'server_draining' });
    }
    expect(answer.headers.get('retry-after'), label).toBe(retryAfter);
    expect(answer.headers.get('connection'), label).toBe('close');
    const echoed = echoedRequestId(request.headers);
    if (echoed !== undefined) expect(answer.headers.get('x-request-id'), label).toBe(echoed);
    return;
  }
  expect(answer.status, label).toBeLessThan(500);
  if (UNDRAINED_PATHS.has(routedPath(request.path))) {
    if (answer.status === 200) expect(['GET', 'HEAD']).toContain(request.method);
    else expectContractError(answer, request.method);
    return;
  }
  // Not a route the drain leaves alone: only a request that never reached the app escapes the drain answer.
  const error = expectContractError(answer, request.method);
  expect(BEFORE_APP_CODES.has(error?.code ?? ''), label).toBe(true);
}

describe('draining over a real socket (property)', () => {
  it('answers random requests on random routes with 503 server_draining, Retry-After and Connection: close, except /healthz and /metrics; in-flight requests complete', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rerankRequestArbitrary({ models: ['bm25'], maxDocuments: 4 }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.integer({ min: 0, max: 3600 }),
        fc.array(randomRequestArbitrary(methodArbitrary), { minLength: 1, maxLength: 8 }),
        async (inFlight, retryAfterSeconds, requests) => {
          const drain = new AbortController();
          const { backend, release } = gatedBackend();
          await using server = await startPropertyServer(
            ['bm25', 'other'],
            { drainSignal: drain.signal, retryAfterSeconds },
            { bm25: backend },
          );
          const pending = inFlight.map((request) =>
            sendRaw(server.port, {
              method: 'POST',
              path: '/v1/rerank',
              headers: [
                ['authorization', `Bearer ${PROPERTY_API_KEY}`],
                ['content-type', 'application/json'],
              ],
              body: JSON.stringify(request),
            }),
          );
          try {
            await expect.poll(() => backend.calls.length, { timeout: 10_000 }).toBe(inFlight.length);
            drain.abort();
            const answers = await Promise.all(
              requests.map(({ body, ...request }) =>
                sendRaw(server.port, body === undefined ? request : { ...request, body }),
              ),
            );
            for (const [index, answer] of answers.entries()) {
              expectDrainAnswer(requests[index]!, answer, String(retryAfterSeconds));
            }
            // Nothing that arrived while draining reached the backend.
            expect(backend.calls).toHaveLength(inFlight.length);
          } finally {
            release();
          }
          for (const [index, answer] of (await Promise.all(pending)).entries()) {
            expect(answer.status, answer.body).toBe(200);
            expect(checkRerankResponse(inFlight[index]!, JSON.parse(answer.body))).toEqual([]);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);

  it('closing the server: requests pipelined behind in-flight ones get the drain answer after them; the in-flight ones get 200', async () => {
    const plainMethods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            rerankRequestArbitrary({ models: ['bm25'], maxDocuments: 4 }),
            randomRequestArbitrary(plainMethods),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        async (connections) => {
          const drain = new AbortController();
          const { backend, release } = gatedBackend();
          const captured = captureLogger('debug');
          const app = createRerankApp({
            registry: new ModelRegistry([{ id: 'bm25', backend }]),
            auth: { apiKeys: [PROPERTY_API_KEY] },
            logger: captured.logger,
            drainSignal: drain.signal,
            retryAfterSeconds: 9,
          });
          const server = await serveRerankApp(app, { onDrainStart: () => drain.abort() });
          let closing: Promise<boolean> | undefined;
          try {
            const sockets = connections.map(([inFlight]) => {
              const socket = connect(server.port, '127.0.0.1');
              const received: Buffer[] = [];
              socket.on('data', (data: Buffer) => received.push(data));
              socket.on('error', () => {});
              const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
              const body = JSON.stringify(inFlight);
              socket.write(
                `POST /v1/rerank HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${PROPERTY_API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
              );
              return { socket, received, closed };
            });
            await expect.poll(() => backend.calls.length, { timeout: 10_000 }).toBe(connections.length);
            closing = server.close({ drainTimeoutMs: 10_000 });
            expect(drain.signal.aborted).toBe(true);
            for (const [index, { socket }] of sockets.entries()) {
              const request = connections[index]![1];
              const body = request.body === undefined ? undefined : Buffer.from(request.body);
              let head = `${request.method} ${request.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
              for (const [name, value] of request.headers) head += `${name}: ${value}\r\n`;
              if (body !== undefined) head += `Content-Length: ${body.length}\r\n`;
              socket.write(Buffer.from(`${head}\r\n`, 'latin1'));
              if (body !== undefined) socket.write(body);
            }
            // Every pipelined request is answered by the app (its log line) before the in-flight ones may
            // finish, so none of them arrives after its connection closed.
            await expect
              .poll(() => captured.records().filter((line) => 'status' in line).length, { timeout: 10_000 })
              .toBe(connections.length);
            release();
            expect(await closing).toBe(true);
            for (const [index, { received, closed }] of sockets.entries()) {
              await closed;
              const request = connections[index]![1];
              const [first, second, ...more] = parseRawAnswers(Buffer.concat(received), request.method);
              expect(first?.status, first?.body).toBe(200);
              expect(checkRerankResponse(connections[index]![0], JSON.parse(first!.body))).toEqual([]);
              expect(second, `${request.method} ${request.path}`).toBeDefined();
              expectDrainAnswer(request, second!, '9');
              expect(more).toEqual([]);
            }
            expect(backend.calls).toHaveLength(connections.length);
          } finally {
            release();
            await (closing ?? server.close({ drainTimeoutMs: 1000 }));
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 30_000);
});
