import { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRerankApp, type RerankAppOptions } from './create-rerank-app.js';
import { DeadlineSweeper, type SweepEntry } from './http/deadline-sweeper.js';
import { parseRawAnswer } from './http-property-test-kit.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { type RateLimitDecision, RequestRateLimiter } from './rate-limit/request-rate-limiter.js';
import { connectRedisClient, startRedisServer } from './rate-limit/start-redis-server.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { type ScoringScript, ScriptedBackend } from './testing/scripted-backend.js';

/**
 * The request deadline (`requestTimeoutMs`) runs from the request's arrival, as documented: time a request
 * spends waiting for its rate limit (a shared limiter's Redis round trip, or a stalled Redis) is part of it.
 * Each test serves the app over a real socket on 127.0.0.1 port 0 and checks what the client gets, the one
 * log line and the one count, and that no deadline is left watched (the sweeper's timer stops).
 */

const API_KEY = 'sk-deadline-test-key';
const BODY = JSON.stringify({ model: 'm', query: 'api gateway', documents: ['a gateway', 'sourdough'] });
const HEADERS = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };

/** Every deadline entry the app's sweepers made, to check that each was removed (no deadline left watched). */
function watchSweepEntries(): () => SweepEntry[] {
  const add = vi.spyOn(DeadlineSweeper.prototype, 'add');
  return () => add.mock.results.map((result) => result.value as SweepEntry);
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** A backend that scores after `delayMs`, or rejects with its signal's reason when aborted first. */
function slowScript(delayMs: number): ScoringScript {
  return (call) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => resolve({ scores: call.documents.map(() => 0.5), usage: { tokens: 3 }, warnings: [] }),
        delayMs,
      );
      call.abortSignal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(call.abortSignal?.reason);
        },
        { once: true },
      );
    });
}

/** A limiter (a `RequestRateLimiter` subclass) whose every decision takes `delayMs`, then says `decide`. */
class SlowLimiter extends RequestRateLimiter {
  readonly #delayMs: number;
  readonly #decide: () => RateLimitDecision;
  readonly #onConsume: () => void;
  constructor(delayMs: number, decide: () => RateLimitDecision, onConsume: () => void = () => {}) {
    super({ requests: 1000, windowSeconds: 60 });
    this.#delayMs = delayMs;
    this.#decide = decide;
    this.#onConsume = onConsume;
  }
  override async consume(): Promise<RateLimitDecision> {
    this.#onConsume();
    await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
    return this.#decide();
  }
}

const ALLOWED: RateLimitDecision = { allowed: true, limit: 1000, remaining: 999, resetMilliseconds: 60_000 };

/** The app over a real socket, logging at debug level to memory, with metrics of its own. */
async function startServer(overrides: Partial<RerankAppOptions>, backend = new ScriptedBackend()) {
  const captured = captureLogger('debug');
  const metrics = new ServerMetrics();
  const app = createRerankApp({
    registry: new ModelRegistry([{ id: 'm', backend }]),
    auth: { apiKeys: [API_KEY] },
    logger: captured.logger,
    metrics,
    ...overrides,
  });
  const server = await serveRerankApp(app, { hostname: '127.0.0.1', port: 0 });
  const requestLines = () =>
    captured.records().filter((record) => 'status' in record && record.route !== '/metrics');
  /** The request counts, as Prometheus scrapes them, but for the scrapes' own. */
  const requestCounts = async () =>
    (await (await fetch(`${server.url}/metrics`)).text())
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('sealink_rerank_http_requests_total{') && !line.includes('route="/metrics"'),
      );
  return Object.assign(server, { backend, requestLines, requestCounts });
}

/** Posts a rerank request and measures how long its answer took from the send. */
async function timedRerank(url: string, path = '/v1/rerank') {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: HEADERS, body: BODY });
  const body = (await response.json()) as { error?: { type: string; code: string; request_id: string } };
  return { response, body, elapsedMs: performance.now() - started };
}

describe('the request deadline with a rate limiter, over a real socket', () => {
  it('answers 504 request_timeout at the deadline from arrival while a stalled Redis holds the limiter', async () => {
    const sweepEntries = watchSweepEntries();
    await using redisServer = await startRedisServer();
    const redis = await connectRedisClient(redisServer, 1);
    try {
      const server = await startServer({
        requestTimeoutMs: 400,
        // The limiter waits for Redis up to 5 s before it counts in memory: far past the request's deadline.
        rateLimiter: new RequestRateLimiter({ requests: 10, windowSeconds: 60, redis, redisTimeoutMs: 5000 }),
      });
      redisServer.pause();
      const { response, body, elapsedMs } = await timedRerank(server.url);
      expect({ status: response.status, type: body.error?.type, code: body.error?.code }).toEqual({
        status: 504,
        type: 'timeout_error',
        code: 'request_timeout',
      });
      expect(body.error?.request_id).toBe(response.headers.get('x-request-id'));
      // At the deadline (the sweeper fires at most 40 ms late), not when the limiter gives up on Redis (5 s,
      // the bug: 200 after 5 s): the bound sits half way between the two.
      expect(elapsedMs).toBeGreaterThanOrEqual(390);
      expect(elapsedMs).toBeLessThan(2_700);
      // The limiter never decided: no budget to report.
      expect(response.headers.get('x-ratelimit-limit-requests')).toBeNull();
      // The body had arrived in full: the connection carries on.
      expect(response.headers.get('connection')).toBe('keep-alive');
      expect(server.backend.calls).toHaveLength(0);
      // Anything logged or counted twice would be within a few milliseconds of the first.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.requestLines()).toEqual([
        expect.objectContaining({ route: '/v1/rerank', status: 504, request_id: body.error?.request_id }),
      ]);
      expect(await server.requestCounts()).toEqual([
        'sealink_rerank_http_requests_total{route="/v1/rerank",model="",status="504"} 1',
      ]);
      expect(sweepEntries().length).toBeGreaterThan(0);
      expect(sweepEntries().every((entry) => entry.next === undefined)).toBe(true);
      // Nothing of the request holds the server open: what could is the limiter's wait for the stalled Redis,
      // which ends about 4.6 s from now (close would wait up to its 10 s drain timeout). Half of that.
      const closing = performance.now();
      await server.close();
      expect(performance.now() - closing).toBeLessThan(2_300);
    } finally {
      redisServer.resume();
      redis.disconnect();
    }
  });

  for (const path of ['/v1/rerank', '/v2/rerank']) {
    it(`counts the time spent waiting for the limiter against the deadline (${path})`, async () => {
      const sweepEntries = watchSweepEntries();
      // 300 ms in the limiter and 300 ms in the backend: past a 450 ms deadline, though each is within it.
      await using server = await startServer(
        { requestTimeoutMs: 450, rateLimiter: new SlowLimiter(300, () => ALLOWED) },
        new ScriptedBackend({ script: slowScript(300) }),
      );
      const { response, body, elapsedMs } = await timedRerank(server.url, path);
      expect({ status: response.status, code: body.error?.code }).toEqual({
        status: 504,
        code: 'request_timeout',
      });
      // A deadline that started after the limiter (the bug) ends at 750 ms, after the backend scored at 600 ms:
      // a 200 without an aborted backend call, which the checks on the status and the call tell apart
      // whatever the load. The bound only catches a 504 that comes long after the deadline (a loaded
      // two-core machine was seen to add up to 500 ms), so it is 1.5 s rather than a hair past 600 ms.
      expect(elapsedMs).toBeGreaterThanOrEqual(440);
      expect(elapsedMs).toBeLessThan(1_500);
      // Counted against the budget the limiter decided.
      expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('999');
      expect(server.backend.calls.map((call) => call.aborted)).toEqual([true]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.requestLines()).toEqual([
        expect.objectContaining({ route: path, status: 504, model: 'm' }),
      ]);
      expect(await server.requestCounts()).toEqual([
        `sealink_rerank_http_requests_total{route="${path}",model="m",status="504"} 1`,
      ]);
      expect(sweepEntries().every((entry) => entry.next === undefined)).toBe(true);
    });
  }

  it('answers at the deadline, closing the connection, while the body is still on its way', async () => {
    const sweepEntries = watchSweepEntries();
    // The request has arrived (its deadline is running) once the limiter is asked.
    let limiterAsked!: () => void;
    const asked = new Promise<void>((resolve) => {
      limiterAsked = resolve;
    });
    await using server = await startServer({
      requestTimeoutMs: 300,
      rateLimiter: new SlowLimiter(
        5000,
        () => ALLOWED,
        () => limiterAsked(),
      ),
    });
    // The head and 10 of 100 body bytes; the rest never comes. At the deadline (300 ms, found by a sweep at
    // most 40 ms later) the 504 is written at once and closes the connection; waiting for the rest of the body
    // (up to 500 ms from the deadline, to keep the connection; the bug) wrote it after 800 ms. Not a bound on
    // elapsed time, which a loaded machine can stretch past 800 ms even for the right behaviour: whether the
    // answer was written when a timer 550 ms after the limiter was asked fires. The server's deadline sweep is
    // a timer of this same process due before that one, so it runs first however late both run, while the
    // bug's 500 ms wait is a timer due after it.
    const writeHead = vi.spyOn(ServerResponse.prototype, 'writeHead');
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    const started = performance.now();
    let firstByteMs: number | undefined;
    const received: Buffer[] = [];
    socket.on('data', (data: Buffer) => {
      firstByteMs ??= performance.now() - started;
      received.push(data);
    });
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":`,
    );
    await asked;
    // Checked in the loop's check phase after that timer, so that what the sweep started in the same timers
    // phase (the answer is written from promise callbacks) has run.
    const writtenBy550Ms = await new Promise<boolean>((resolve) =>
      setTimeout(() => setImmediate(() => resolve(writeHead.mock.calls.length > 0)), 550),
    );
    await closed;
    const answer = parseRawAnswer(Buffer.concat(received), 'POST');
    expect(answer.status).toBe(504);
    expect(JSON.parse(answer.body).error.code).toBe('request_timeout');
    expect(answer.headers.get('connection')).toBe('close');
    expect(writtenBy550Ms).toBe(true);
    expect(firstByteMs).toBeGreaterThanOrEqual(290);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requestLines()).toEqual([expect.objectContaining({ route: '/v1/rerank', status: 504 })]);
    expect(await server.requestCounts()).toEqual([
      'sealink_rerank_http_requests_total{route="/v1/rerank",model="",status="504"} 1',
    ]);
    expect(sweepEntries().every((entry) => entry.next === undefined)).toBe(true);
  });

  it('leaves no deadline watched, whichever way the request ends', async () => {
    const sweepEntries = watchSweepEntries();
    let decision: () => RateLimitDecision = () => ALLOWED;
    const limiter = new SlowLimiter(20, () => decision());
    await using server = await startServer({ requestTimeoutMs: 5000, rateLimiter: limiter });
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/v1/rerank`, { method: 'POST', headers, body: BODY }).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      });
    const statuses = [
      await post(HEADERS),
      await post({ ...HEADERS, authorization: 'Bearer wrong' }),
      await post({ ...HEADERS, 'content-type': 'text/plain' }),
    ];
    decision = () => ({ ...ALLOWED, allowed: false, remaining: 0 });
    statuses.push(await post(HEADERS));
    decision = () => {
      throw new Error('the limiter broke');
    };
    statuses.push(await post(HEADERS));
    expect(statuses).toEqual([200, 401, 415, 429, 500]);
    expect(sweepEntries().every((entry) => entry.next === undefined)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requestLines().map((line) => line.status)).toEqual([200, 401, 415, 429, 500]);
  });
});
