import { connect } from 'node:net';
import { createOpenApiDocument, type Model } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { ScoringError } from './backend/scoring-error.js';
import { createRerankApp, type RerankAppOptions } from './create-rerank-app.js';
import { RequestRateLimiter } from './rate-limit/request-rate-limiter.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { ConstantScoreBackend } from './testing/constant-score-backend.js';
import { ScriptedBackend } from './testing/scripted-backend.js';

// Every status the spec documents for a route is one the server answers on it, with the headers the spec
// names for that status: sent requests provoke each one and check the answer against the spec.

const KEY = 'sk-spec-answers-0123456789';
const document = createOpenApiDocument();

type RouteName = 'POST /v1/rerank' | 'GET /v1/models' | 'GET /v1/models/{model}';
const ROUTES: readonly RouteName[] = ['POST /v1/rerank', 'GET /v1/models', 'GET /v1/models/{model}'];

interface DocumentedHeader {
  required?: boolean;
}

/** The documented responses of a route, by status. */
function documentedResponses(
  route: RouteName,
): Record<string, { headers?: Record<string, DocumentedHeader> }> {
  const [method, path] = route.split(' ') as ['GET' | 'POST', string];
  const operation = document.paths?.[path]?.[method.toLowerCase() as 'get' | 'post'];
  return (operation?.responses ?? {}) as Record<string, { headers?: Record<string, DocumentedHeader> }>;
}

/** The statuses that only a hosting layer in front of the server answers on a route, never the server. */
const HOSTING_LAYER_ONLY: Record<RouteName, readonly number[]> = {
  'POST /v1/rerank': [403],
  'GET /v1/models': [403, 429],
  'GET /v1/models/{model}': [403, 429],
};

/** The headers the check is about: `x-*`, `retry-after` and `allow`, lower case, sorted. */
function checkedHeaders(headers: Headers | Record<string, string>): string[] {
  const names = headers instanceof Headers ? [...headers.keys()] : Object.keys(headers);
  return names
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith('x-') || name === 'retry-after' || name === 'allow')
    .sort();
}

/** An answer as the check reads it. */
interface Answer {
  status: number;
  headers: Headers | Record<string, string>;
}

/**
 * Checks an answer against the spec: its status is documented for the route, every header it sends is a
 * documented one, and every required one is sent. Returns the status and the headers sent.
 */
function checkAgainstSpec(route: RouteName, answer: Answer): { status: number; sent: string[] } {
  const responses = documentedResponses(route);
  const documented = responses[String(answer.status)];
  expect(documented, `${route} answered ${answer.status}, which the spec does not list for it`).toBeDefined();
  const headers = documented?.headers ?? {};
  const sent = checkedHeaders(answer.headers);
  const undocumented = sent.filter((name) => !Object.hasOwn(headers, name));
  expect(undocumented, `${route} ${answer.status} sent headers the spec does not name`).toEqual([]);
  const required = Object.keys(headers).filter((name) => headers[name]?.required === true);
  expect(
    required.filter((name) => !sent.includes(name)),
    `${route} ${answer.status} left out headers the spec requires`,
  ).toEqual([]);
  return { status: answer.status, sent };
}

const RERANK_BODY = JSON.stringify({
  model: 'm',
  query: 'api gateway',
  documents: ['an api gateway', 'bread'],
});

function makeApp(
  options: Partial<RerankAppOptions> & { backend?: ScriptedBackend | ConstantScoreBackend } = {},
) {
  const { backend, ...rest } = options;
  const registry =
    rest.registry ?? new ModelRegistry([{ id: 'm', backend: backend ?? new ConstantScoreBackend() }]);
  return createRerankApp({ auth: { apiKeys: [KEY] }, logger: captureLogger().logger, ...rest, registry });
}

type App = ReturnType<typeof makeApp>;

async function rerank(
  app: App,
  init: { key?: string | null; body?: string; contentType?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? KEY}`;
  return await app.request('/v1/rerank', { method: 'POST', headers, body: init.body ?? RERANK_BODY });
}

async function get(app: App, path: string, key: string | null = KEY): Promise<Response> {
  return await app.request(path, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });
}

/** A backend whose every call throws `error`. */
const throwing = (error: Error) =>
  new ScriptedBackend({
    script: () => {
      throw error;
    },
  });

/** Sends one raw HTTP/1.1 request over a real socket and reads the answer's status and headers. */
async function rawRequest(port: number, request: string): Promise<Answer> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(request);
  });
  const [head = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers };
}

describe('answers of the public routes against the spec', () => {
  it('every status the spec documents for a route is provoked on it, with only the headers documented for it', async () => {
    const provoked: Record<RouteName, Set<number>> = {
      'POST /v1/rerank': new Set(),
      'GET /v1/models': new Set(),
      'GET /v1/models/{model}': new Set(),
    };
    const check = (route: RouteName, answer: Answer, expectedStatus: number): string[] => {
      const { status, sent } = checkAgainstSpec(route, answer);
      expect(status).toBe(expectedStatus);
      provoked[route].add(status);
      return sent;
    };
    const documentedNames = (route: RouteName, status: number) =>
      Object.keys(documentedResponses(route)[String(status)]?.headers ?? {}).sort();

    // POST /v1/rerank, counted by a rate limit (so its x-ratelimit headers show where they are sent).
    const limited = () => new RequestRateLimiter({ requests: 100, windowSeconds: 60 });
    const app = makeApp({ rateLimiter: limited(), maxBodyBytes: 512 });
    const rr: RouteName = 'POST /v1/rerank';
    // 200 sends every header its spec names.
    expect(check(rr, await rerank(app), 200)).toEqual(documentedNames(rr, 200));
    check(rr, await rerank(app, { body: '{"model":' }), 400);
    // A 401 is answered before the rate limit: not counted, no x-ratelimit headers.
    expect(check(rr, await rerank(app, { key: 'sk-wrong' }), 401)).toEqual(['x-request-id']);
    check(rr, await rerank(app, { body: RERANK_BODY.replace('"m"', '"nope"') }), 404);
    check(
      rr,
      await rerank(app, { body: JSON.stringify({ ...JSON.parse(RERANK_BODY), query: 'q'.repeat(600) }) }),
      413,
    );
    check(rr, await rerank(app, { contentType: 'text/plain' }), 415);
    const overBudget = makeApp({ rateLimiter: new RequestRateLimiter({ requests: 1, windowSeconds: 60 }) });
    await rerank(overBudget);
    // 429 sends every header its spec names: Retry-After and the x-ratelimit headers.
    expect(check(rr, await rerank(overBudget), 429)).toEqual(documentedNames(rr, 429));
    check(rr, await rerank(makeApp({ rateLimiter: limited(), backend: throwing(new Error('bug')) })), 500);
    const refused = await rerank(
      makeApp({
        rateLimiter: limited(),
        backend: throwing(
          new ScoringError({
            type: 'upstream_error',
            code: 'upstream_rejected_input',
            message: 'The engine refused the input.',
            shouldRetry: false,
          }),
        ),
      }),
    );
    expect(refused.headers.get('x-should-retry')).toBe('false');
    // 502 of an engine refusing the input sends every header its spec names, x-should-retry included.
    expect(check(rr, refused, 502)).toEqual(documentedNames(rr, 502));
    const overloaded = await rerank(
      makeApp({
        rateLimiter: limited(),
        backend: throwing(
          new ScoringError({
            type: 'overloaded_error',
            code: 'upstream_overloaded',
            message: 'every replica is overloaded',
            retryAfterSeconds: 2,
            shouldRetry: true,
          }),
        ),
      }),
    );
    expect(check(rr, overloaded, 503)).toEqual(documentedNames(rr, 503));
    const notReady = makeApp({
      rateLimiter: limited(),
      backend: new ScriptedBackend({ ready: () => false }),
    });
    expect(check(rr, await rerank(notReady), 503)).toContain('retry-after');
    const slow = new ScriptedBackend({
      script: ({ abortSignal }) =>
        new Promise((_, reject) => abortSignal?.addEventListener('abort', () => reject(abortSignal.reason))),
    });
    check(rr, await rerank(makeApp({ rateLimiter: limited(), backend: slow, requestTimeoutMs: 50 })), 504);
    const draining = new AbortController();
    draining.abort();
    const drainingApp = makeApp({ rateLimiter: limited(), drainSignal: draining.signal });
    expect(check(rr, await rerank(drainingApp), 503)).toEqual(['retry-after', 'x-request-id']);

    // The model routes: not counted by the server's rate limit, even when it has one.
    for (const [route, path] of [
      ['GET /v1/models', '/v1/models'],
      ['GET /v1/models/{model}', '/v1/models/m'],
    ] as const) {
      expect(check(route, await get(app, path), 200)).toEqual(['x-request-id']);
      expect(check(route, await get(app, path, null), 401)).toEqual(['x-request-id']);
      expect(check(route, await get(drainingApp, path), 503)).toEqual(['retry-after', 'x-request-id']);
    }
    check('GET /v1/models/{model}', await get(app, '/v1/models/nope'), 404);
    // An unexpected failure inside the handler: a listing that cannot be written, a registry that throws.
    class FailingRegistry extends ModelRegistry {
      override list(): readonly Model[] {
        return [
          {
            ...super.list()[0]!,
            toJSON() {
              throw new Error('bug');
            },
          } as Model,
        ];
      }
      override get(id: string) {
        if (id === 'explodes') throw new Error('bug');
        return super.get(id);
      }
    }
    const failing = makeApp({
      registry: new FailingRegistry([{ id: 'm', backend: new ConstantScoreBackend() }]),
    });
    expect(check('GET /v1/models', await get(failing, '/v1/models'), 500)).toEqual(['x-request-id']);
    expect(check('GET /v1/models/{model}', await get(failing, '/v1/models/explodes'), 500)).toEqual([
      'x-request-id',
    ]);
    // Malformed HTTP (two Host headers) is answered 400 on any route, before the app, over a real socket.
    await using server = await serveRerankApp(makeApp(), { port: 0, hostname: '127.0.0.1' });
    for (const [route, target] of [
      ['POST /v1/rerank', 'POST /v1/rerank'],
      ['GET /v1/models', 'GET /v1/models'],
      ['GET /v1/models/{model}', 'GET /v1/models/m'],
    ] as const) {
      const answer = await rawRequest(
        server.port,
        `${target} HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\nAuthorization: Bearer ${KEY}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      expect(check(route, answer, 400)).toEqual(['x-request-id']);
    }

    // Every documented status was provoked, but for those only a hosting layer sends.
    for (const route of ROUTES) {
      const documented = Object.keys(documentedResponses(route)).map(Number);
      const expected = documented.filter((status) => !HOSTING_LAYER_ONLY[route].includes(status));
      expect([...provoked[route]].sort(), route).toEqual(expected.sort());
    }
  });

  it('answers a method a path is not served with 405 and exactly the headers of the spec’s MethodNotAllowed', async () => {
    const component = document.components?.responses?.MethodNotAllowed as {
      headers: Record<string, DocumentedHeader>;
    };
    const app = makeApp();
    for (const [method, path, allow] of [
      ['GET', '/v1/rerank', 'POST'],
      ['DELETE', '/v1/models', 'GET, HEAD'],
      ['PUT', '/v1/models/m', 'GET, HEAD'],
    ] as const) {
      const answer = await app.request(path, { method, headers: { authorization: `Bearer ${KEY}` } });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(checkedHeaders(answer.headers)).toEqual(Object.keys(component.headers).sort());
      // No operation lists a 405: it is never the answer to the operation itself.
      for (const route of ROUTES) expect(documentedResponses(route)['405']).toBeUndefined();
    }
  });
});
