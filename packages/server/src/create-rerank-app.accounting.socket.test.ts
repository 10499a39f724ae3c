import { connect } from 'node:net';
import { ErrorResponse } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { ScoringError } from './backend/scoring-error.js';
import { createRerankApp, type RerankAppOptions } from './create-rerank-app.js';
import { exchangeRaw, parseRawAnswer, type RawAnswer, type RawPause } from './http-property-test-kit.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { RequestRateLimiter } from './rate-limit/request-rate-limiter.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { gatedBackend, ScriptedBackend, untilAborted } from './testing/scripted-backend.js';

/**
 * How each way a request can end shows to an operator: exactly one log line, exactly one count in
 * `sealink_rerank_http_requests_total` with its route, model and status, its latency observed once, and
 * the in-flight gauge back to 0. Every test scrapes `GET /metrics` over the socket, as Prometheus does.
 */

const API_KEY = 'sk-accounting-test-key';
const AUTH = `Authorization: Bearer ${API_KEY}\r\n`;
const BODY = JSON.stringify({ model: 'bm25', query: 'api gateway', documents: ['a gateway', 'sourdough'] });

/** The app over a real socket on 127.0.0.1 port 0, with a logger at debug level and metrics of its own. */
async function startAccountedServer(overrides: Partial<RerankAppOptions> = {}) {
  const captured = captureLogger('debug');
  const metrics = new ServerMetrics();
  const app = createRerankApp({
    registry: new ModelRegistry([{ id: 'bm25', backend: new ScriptedBackend() }]),
    auth: { apiKeys: [API_KEY] },
    logger: captured.logger,
    metrics,
    ...overrides,
  });
  const server = await serveRerankApp(app);
  /** The request log lines (those with a status), but for the scrapes of `/metrics`. */
  const requestLines = () =>
    captured.records().filter((record) => 'status' in record && record.route !== '/metrics');
  /**
   * Scrapes `/metrics` over HTTP: the request counts and latency counts by series (without the scrapes'
   * own), and the in-flight gauge, which counts the scrape itself.
   */
  const scrape = async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const samples = (name: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) && !line.includes('route="/metrics"'))
        .sort();
    return {
      requests: samples('sealink_rerank_http_requests_total'),
      latencies: samples('sealink_rerank_http_request_duration_seconds_count'),
      inFlight: Number(/^sealink_rerank_http_requests_in_flight (\d+)$/m.exec(text)?.[1]),
    };
  };
  /**
   * Waits for the one request line to be logged, then checks the operator's view of one request: one log
   * line with these fields, one count and one latency under `series`, nothing else in flight.
   */
  /**
   * Waits for `lines.length` request lines, then checks the operator's view: exactly these log lines (in
   * any order), each series counted and its latency observed as often as `counts` says, nothing else, and
   * nothing left in flight.
   */
  const expectAccounted = async (counts: Record<string, number>, lines: Record<string, unknown>[]) => {
    await expect.poll(() => requestLines().length).toBeGreaterThanOrEqual(lines.length);
    // Anything counted twice would be counted within a few milliseconds of the first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const byStatus = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      Number(a.status) - Number(b.status) || String(a.route).localeCompare(String(b.route));
    expect([...requestLines()].sort(byStatus)).toEqual(
      [...lines].sort(byStatus).map((line) => expect.objectContaining(line)),
    );
    const scraped = await scrape();
    const entries = Object.entries(counts);
    expect(scraped.requests).toEqual(
      entries.map(([series, count]) => `sealink_rerank_http_requests_total${series} ${count}`).sort(),
    );
    expect(scraped.latencies).toEqual(
      entries
        .map(([series, count]) => `sealink_rerank_http_request_duration_seconds_count${series} ${count}`)
        .sort(),
    );
    // The scrape itself is the one request in flight.
    expect(scraped.inFlight).toBe(1);
  };
  /** {@link expectAccounted} for one request: one line, one count under `series`. */
  const expectAccountedOnce = (series: string, line: Record<string, unknown>) =>
    expectAccounted({ [series]: 1 }, [line]);
  return Object.assign(server, {
    captured,
    metrics,
    requestLines,
    scrape,
    expectAccounted,
    expectAccountedOnce,
  });
}

/** The head of a chunked POST to `path`, with the API key and a JSON content type unless told otherwise. */
function chunkedHead(path: string, extraHeaders = `${AUTH}Content-Type: application/json\r\n`): string {
  return `POST ${path} HTTP/1.1\r\nHost: x\r\n${extraHeaders}Transfer-Encoding: chunked\r\n\r\n`;
}

/** A first chunk of the body, well framed. */
const FIRST_CHUNK = `${(10).toString(16)}\r\n${BODY.slice(0, 10)}\r\n`;

/**
 * A step of {@link resetAfter} that waits (up to 10 s) until `until` holds, say until the server has the
 * request: a reset that reaches the server before it has read the bytes written ahead of it drops them
 * unread, and the server never sees the request at all.
 */
interface WaitUntil {
  until: () => boolean | Promise<boolean>;
}

/** Writes `chunks`, waits, then resets the connection (TCP RST), as a client that crashes mid-upload. */
function resetAfter(port: number, chunks: readonly (string | RawPause | WaitUntil)[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (typeof chunk === 'string') socket.write(chunk);
        else if ('until' in chunk) {
          const deadline = performance.now() + 10_000;
          while (!(await chunk.until()) && performance.now() < deadline) {
            await new Promise((wait) => setTimeout(wait, 10));
          }
        } else await new Promise((wait) => setTimeout(wait, chunk.pauseMs));
      }
      socket.resetAndDestroy();
    });
  });
}

/** A {@link WaitUntil} step: until the app has a request in flight (its in-flight gauge reads 1). */
function untilInFlight(metrics: ServerMetrics): WaitUntil {
  return {
    until: async () => /^sealink_rerank_http_requests_in_flight 1$/m.test(await metrics.registry.metrics()),
  };
}

/** Checks the server's answer to broken chunked framing: 400 malformed_http in the contract shape; its request id. */
function expectMalformedBody(answer: RawAnswer): string {
  expect(answer.status).toBe(400);
  const { error } = ErrorResponse.parse(JSON.parse(answer.body));
  expect(error.code).toBe('malformed_http');
  expect(error.request_id).toBe(answer.headers.get('x-request-id'));
  return error.request_id!;
}

describe('a request whose chunked body breaks mid-way, over a real socket', () => {
  it('is counted once, under its route with status 400, logged once with the id of the answer, and leaves nothing in flight', async () => {
    await using server = await startAccountedServer();
    const answer = parseRawAnswer(
      await exchangeRaw(server.port, [chunkedHead('/v1/rerank'), FIRST_CHUNK, { pauseMs: 50 }, 'zz\r\n']),
    );
    const requestId = expectMalformedBody(answer);
    await server.expectAccountedOnce('{route="/v1/rerank",model="",status="400"}', {
      route: '/v1/rerank',
      status: 400,
      request_id: requestId,
    });
    // It is the client's fault: logged at info, not as a server error.
    expect(server.requestLines()[0]!.level).toBe(30);
    expect(await server.metrics.registry.metrics()).not.toContain('route="malformed"');
  });

  it('keeps the X-Request-Id the client sent, in the answer and in the log line', async () => {
    await using server = await startAccountedServer();
    const answer = parseRawAnswer(
      await exchangeRaw(server.port, [
        chunkedHead('/v1/rerank', `${AUTH}Content-Type: application/json\r\nX-Request-Id: broken-1\r\n`),
        FIRST_CHUNK,
        { pauseMs: 50 },
        'zz\r\n',
      ]),
    );
    expect(expectMalformedBody(answer)).toBe('broken-1');
    await server.expectAccountedOnce('{route="/v1/rerank",model="",status="400"}', {
      status: 400,
      request_id: 'broken-1',
    });
  });

  it('is counted once with status 499 when the client resets the connection mid-body', async () => {
    await using server = await startAccountedServer();
    await resetAfter(server.port, [chunkedHead('/v1/rerank'), FIRST_CHUNK, untilInFlight(server.metrics)]);
    await server.expectAccountedOnce('{route="/v1/rerank",model="",status="499"}', {
      route: '/v1/rerank',
      status: 499,
    });
  });

  it('is counted once with status 400 when the client half-closes the connection mid-body', async () => {
    await using server = await startAccountedServer();
    const answer = parseRawAnswer(
      await exchangeRaw(server.port, [chunkedHead('/v1/rerank'), FIRST_CHUNK], { endAfterWrite: true }),
    );
    const requestId = expectMalformedBody(answer);
    await server.expectAccountedOnce('{route="/v1/rerank",model="",status="400"}', {
      status: 400,
      request_id: requestId,
    });
  });

  it('is counted once with the 400 the client got when the app refused it from its headers (415) before the body broke', async () => {
    await using server = await startAccountedServer();
    const answer = parseRawAnswer(
      await exchangeRaw(server.port, [
        chunkedHead('/v1/rerank', `${AUTH}Content-Type: text/plain\r\n`),
        FIRST_CHUNK,
        { pauseMs: 50 },
        'zz\r\n',
      ]),
    );
    const requestId = expectMalformedBody(answer);
    await server.expectAccountedOnce('{route="/v1/rerank",model="",status="400"}', {
      status: 400,
      request_id: requestId,
    });
  });

  for (const [method, path, route] of [
    ['POST', '/v1/models', '/v1/models'],
    ['POST', '/nope', 'unmatched'],
    ['GET', '/healthz', '/healthz'],
    ['GET', '/v1/models', '/v1/models'],
  ] as const) {
    it(`is counted once with the 400 the client got on ${method} ${path}, whose answer did not need the body`, async () => {
      await using server = await startAccountedServer();
      const head = chunkedHead(path).replace('POST', method);
      const answer = parseRawAnswer(
        await exchangeRaw(server.port, [head, FIRST_CHUNK, { pauseMs: 50 }, 'zz\r\n']),
      );
      const requestId = expectMalformedBody(answer);
      await server.expectAccountedOnce(`{route="${route}",model="",status="400"}`, {
        route,
        status: 400,
        request_id: requestId,
      });
    });

    it(`is counted once with status 499 on ${method} ${path} when the client resets mid-body`, async () => {
      await using server = await startAccountedServer();
      await resetAfter(server.port, [
        chunkedHead(path).replace('POST', method),
        FIRST_CHUNK,
        untilInFlight(server.metrics),
      ]);
      await server.expectAccountedOnce(`{route="${route}",model="",status="499"}`, { route, status: 499 });
    });
  }
});

/** A rerank request with `Connection: close`, as raw bytes. */
function rerankRequest(body = BODY, headers = `${AUTH}Content-Type: application/json\r\n`): string {
  return `POST /v1/rerank HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** The app serving `bm25` from a backend that runs `script`. */
function startWithBackend(script: ConstructorParameters<typeof ScriptedBackend>[0]) {
  return startAccountedServer({
    registry: new ModelRegistry([{ id: 'bm25', backend: new ScriptedBackend(script) }]),
  });
}

describe('a request whose client goes away while it waits for its rate limit, over a real socket', () => {
  it('is counted and logged once as 499 at once, not held in flight until the deadline and counted 400', async () => {
    // A limiter that answers after 200 ms, as a shared one does after its Redis round trip.
    let asked = false;
    const slowLimiter = {
      consume: async () => {
        asked = true;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { allowed: true, limit: 10, remaining: 9, resetMilliseconds: 60_000 };
      },
    } as unknown as RequestRateLimiter;
    await using server = await startAccountedServer({ rateLimiter: slowLimiter, requestTimeoutMs: 5000 });
    const started = performance.now();
    // The whole request is sent; the client is gone before the limiter has answered.
    await resetAfter(server.port, [rerankRequest(), { until: () => asked }]);
    await server.expectAccountedOnce('{route="/v1/rerank",model="",status="499"}', { status: 499 });
    // Held until the 5 s deadline (the bug) it would take 5 s: the bound is half that.
    expect(performance.now() - started).toBeLessThan(2_500);
  });
});

describe('pipelined requests whose client resets the connection while they are scored, over a real socket', () => {
  // A Host that is not plainly a host name sends the rerank route through Hono's adapter instead.
  for (const host of ['x', 'Rerank.Example']) {
    it(`are each counted and logged once as 499 at once, the one whose answer waits behind another included (Host ${host})`, async () => {
      const backend = new ScriptedBackend({ script: untilAborted });
      await using server = await startAccountedServer({
        registry: new ModelRegistry([{ id: 'bm25', backend }]),
        requestTimeoutMs: 5000,
      });
      const keepAlive = rerankRequest()
        .replace('Connection: close\r\n', '')
        .replace('Host: x', `Host: ${host}`);
      const started = performance.now();
      const reset = resetAfter(server.port, [keepAlive + keepAlive, { pauseMs: 300 }]);
      // Node hands both to the app at once; the second one's answer would wait for the first.
      await expect.poll(() => backend.calls.length).toBe(2);
      await reset;
      const series = '{route="/v1/rerank",model="bm25",status="499"}';
      await server.expectAccounted({ [series]: 2 }, [{ status: 499 }, { status: 499 }]);
      // Both backend calls were aborted, neither held until the deadline (and then counted a 504).
      expect(backend.calls.map((call) => call.aborted)).toEqual([true, true]);
      expect(performance.now() - started).toBeLessThan(3000);
    });
  }
});

describe('a request whose backend fails, over a real socket', () => {
  it('has one log line, at error level, that says why the backend failed (502)', async () => {
    await using server = await startWithBackend({
      script: () => {
        throw new ScoringError({
          type: 'upstream_error',
          code: 'upstream_status_error',
          message: 'The upstream failed.',
          logMessage: 'replica 10.0.0.7:8080 answered 500',
        });
      },
    });
    const answer = parseRawAnswer(await exchangeRaw(server.port, [rerankRequest()]));
    expect(answer.status).toBe(502);
    await server.expectAccountedOnce('{route="/v1/rerank",model="bm25",status="502"}', {
      level: 50,
      status: 502,
      model: 'bm25',
      request_id: answer.headers.get('x-request-id'),
      msg: 'backend failed',
      error_type: 'upstream_error',
      error_code: 'upstream_status_error',
      reason: 'replica 10.0.0.7:8080 answered 500',
    });
    // No other line at all: the request line is the one that says why.
    expect(server.captured.records().filter((record) => record.route !== '/metrics')).toHaveLength(1);
  });

  it('has one log line, at warn level, for a backend that is only unavailable (503)', async () => {
    await using server = await startWithBackend({
      script: () => {
        throw new ScoringError({
          type: 'overloaded_error',
          code: 'upstream_unavailable',
          message: 'No replica takes calls.',
          retryAfterSeconds: 2,
        });
      },
    });
    const answer = parseRawAnswer(await exchangeRaw(server.port, [rerankRequest()]));
    expect(answer.status).toBe(503);
    await server.expectAccountedOnce('{route="/v1/rerank",model="bm25",status="503"}', {
      level: 40,
      status: 503,
      msg: 'backend failed',
      error_code: 'upstream_unavailable',
    });
    expect(server.captured.records().filter((record) => record.route !== '/metrics')).toHaveLength(1);
  });

  it('has one log line, at error level with the stack, for a backend that throws something unexpected (500)', async () => {
    await using server = await startWithBackend({
      script: () => {
        throw new TypeError('backend bug');
      },
    });
    const answer = parseRawAnswer(await exchangeRaw(server.port, [rerankRequest()]));
    expect(answer.status).toBe(500);
    await server.expectAccountedOnce('{route="/v1/rerank",model="bm25",status="500"}', {
      level: 50,
      status: 500,
      msg: 'unexpected error',
      request_id: answer.headers.get('x-request-id'),
    });
    const [line] = server.requestLines();
    expect((line!.err as { stack?: string }).stack).toContain('TypeError: backend bug');
    expect(server.captured.records().filter((record) => record.route !== '/metrics')).toHaveLength(1);
  });

  it('has one log line that carries the backend warnings at debug level', async () => {
    await using server = await startWithBackend({
      script: (call) => ({
        scores: call.documents.map(() => 0.5),
        usage: { tokens: 3 },
        warnings: [{ type: 'other', message: 'document 1 was truncated' }],
      }),
    });
    const answer = parseRawAnswer(await exchangeRaw(server.port, [rerankRequest()]));
    expect(answer.status).toBe(200);
    await server.expectAccountedOnce('{route="/v1/rerank",model="bm25",status="200"}', {
      level: 30,
      status: 200,
      warnings: [{ type: 'other', message: 'document 1 was truncated' }],
    });
    expect(server.captured.records().filter((record) => record.route !== '/metrics')).toHaveLength(1);
  });
});

describe('a request in flight when the server closes, over a real socket', () => {
  it('cut at the drain deadline: counted and logged once as 503, the server cutting it, never as a client that went away', async () => {
    const backend = new ScriptedBackend({ script: untilAborted });
    await using server = await startAccountedServer({
      registry: new ModelRegistry([{ id: 'bm25', backend }]),
      requestTimeoutMs: 60_000,
    });
    const exchanged = exchangeRaw(server.port, [rerankRequest()]);
    await expect.poll(() => backend.calls.length).toBe(1);
    expect(await server.close({ drainTimeoutMs: 100 })).toBe(false);
    // Nothing was answered: the connection was cut.
    expect((await exchanged).length).toBe(0);
    await expect.poll(() => server.requestLines().length).toBe(1);
    expect(server.requestLines()[0]).toMatchObject({
      route: '/v1/rerank',
      model: 'bm25',
      status: 503,
      level: 40,
      msg: 'cut at the drain deadline',
    });
    // The server is closed: its metrics are read in process.
    const text = await server.metrics.registry.metrics();
    const series = text.split('\n').filter((line) => line.startsWith('sealink_rerank_http_requests_total{'));
    expect(series).toEqual([
      'sealink_rerank_http_requests_total{route="/v1/rerank",model="bm25",status="503"} 1',
    ]);
    expect(text).toContain(
      'sealink_rerank_http_request_duration_seconds_count{route="/v1/rerank",model="bm25",status="503"} 1',
    );
    expect(text).toContain('sealink_rerank_http_requests_in_flight 0');
    expect(text).toContain('sealink_rerank_backend_duration_seconds_count{model="bm25",outcome="aborted"} 1');
  });

  it('finished within the drain deadline: counted and logged once with its own status', async () => {
    const { backend, release } = gatedBackend();
    await using server = await startAccountedServer({
      registry: new ModelRegistry([{ id: 'bm25', backend }]),
    });
    const exchanged = exchangeRaw(server.port, [rerankRequest()]);
    await expect.poll(() => backend.calls.length).toBe(1);
    const closing = server.close({ drainTimeoutMs: 5000 });
    release();
    expect(await closing).toBe(true);
    expect(parseRawAnswer(await exchanged).status).toBe(200);
    expect(server.requestLines()).toEqual([expect.objectContaining({ status: 200, level: 30 })]);
    const text = await server.metrics.registry.metrics();
    expect(text.split('\n').filter((line) => line.startsWith('sealink_rerank_http_requests_total{'))).toEqual(
      ['sealink_rerank_http_requests_total{route="/v1/rerank",model="bm25",status="200"} 1'],
    );
    expect(text).toContain('sealink_rerank_http_requests_in_flight 0');
  });
});

describe('every other way a request ends, over a real socket: one line, one count, its latency, nothing in flight', () => {
  const get = (method: string, path: string, headers = '') =>
    `${method} ${path} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`;
  const series = (route: string, model: string, status: number) =>
    `{route="${route}",model="${model}",status="${status}"}`;
  const send =
    (...chunks: (string | RawPause)[]) =>
    (port: number) =>
      exchangeRaw(port, chunks);
  const scoredUntilAborted = new ScriptedBackend({ script: untilAborted });
  const cases: {
    name: string;
    options?: Partial<RerankAppOptions>;
    run: (port: number) => Promise<unknown>;
    counts: Record<string, number>;
    lines: Record<string, unknown>[];
  }[] = [
    {
      name: 'a ranked request (200)',
      run: send(rerankRequest()),
      counts: { [series('/v1/rerank', 'bm25', 200)]: 1 },
      lines: [{ status: 200, model: 'bm25', documents: 2, level: 30 }],
    },
    {
      name: 'no API key (401)',
      run: send(rerankRequest(BODY, 'Content-Type: application/json\r\n')),
      counts: { [series('/v1/rerank', '', 401)]: 1 },
      lines: [{ status: 401, level: 30 }],
    },
    {
      name: 'a body that is no JSON (400)',
      run: send(rerankRequest('{')),
      counts: { [series('/v1/rerank', '', 400)]: 1 },
      lines: [{ status: 400, level: 30 }],
    },
    {
      name: 'a request that fails validation (400)',
      run: send(rerankRequest('{}')),
      counts: { [series('/v1/rerank', '', 400)]: 1 },
      lines: [{ status: 400, level: 30 }],
    },
    {
      name: 'an unknown model (404)',
      run: send(rerankRequest(JSON.stringify({ model: 'nope', query: 'q', documents: ['a'] }))),
      counts: { [series('/v1/rerank', '', 404)]: 1 },
      lines: [{ status: 404, documents: 1, level: 30 }],
    },
    {
      name: 'over the rate limit (429)',
      options: { rateLimiter: new RequestRateLimiter({ requests: 1, windowSeconds: 60 }) },
      run: async (port) => {
        await exchangeRaw(port, [rerankRequest()]);
        await exchangeRaw(port, [rerankRequest()]);
      },
      counts: { [series('/v1/rerank', 'bm25', 200)]: 1, [series('/v1/rerank', '', 429)]: 1 },
      lines: [{ status: 200 }, { status: 429, level: 30 }],
    },
    {
      name: 'a declared Content-Length over the limit (413)',
      options: { maxBodyBytes: 100 },
      run: send(rerankRequest('x'.repeat(200))),
      counts: { [series('/v1/rerank', '', 413)]: 1 },
      lines: [{ status: 413, level: 30 }],
    },
    {
      name: 'a chunked body that streams past the limit (413)',
      options: { maxBodyBytes: 100 },
      run: send(chunkedHead('/v1/rerank'), `c8\r\n${'x'.repeat(200)}\r\n`, { pauseMs: 50 }, '0\r\n\r\n'),
      counts: { [series('/v1/rerank', '', 413)]: 1 },
      lines: [{ status: 413, level: 30 }],
    },
    {
      name: 'another media type (415)',
      run: send(rerankRequest(BODY, `${AUTH}Content-Type: text/plain\r\n`)),
      counts: { [series('/v1/rerank', '', 415)]: 1 },
      lines: [{ status: 415, level: 30 }],
    },
    {
      name: 'no route (404)',
      run: send(get('GET', '/nope')),
      counts: { [series('unmatched', '', 404)]: 1 },
      lines: [{ status: 404, route: 'unmatched', level: 30 }],
    },
    {
      name: 'a method the route has not (405)',
      run: send(get('DELETE', '/v1/rerank')),
      counts: { [series('/v1/rerank', '', 405)]: 1 },
      lines: [{ status: 405, method: 'DELETE', level: 30 }],
    },
    {
      name: 'the deadline (504)',
      options: {
        requestTimeoutMs: 200,
        registry: new ModelRegistry([{ id: 'bm25', backend: new ScriptedBackend({ script: untilAborted }) }]),
      },
      run: send(rerankRequest()),
      counts: { [series('/v1/rerank', 'bm25', 504)]: 1 },
      lines: [{ status: 504, level: 50 }],
    },
    {
      name: 'a body shorter than its Content-Length at the deadline (400)',
      options: { requestTimeoutMs: 200 },
      run: send(rerankRequest().slice(0, -5)),
      counts: { [series('/v1/rerank', '', 400)]: 1 },
      lines: [{ status: 400, level: 30 }],
    },
    {
      name: 'a client that resets the connection while its request is scored (499)',
      options: { registry: new ModelRegistry([{ id: 'bm25', backend: scoredUntilAborted }]) },
      run: (port) =>
        resetAfter(port, [rerankRequest(), { until: () => scoredUntilAborted.calls.length === 1 }]),
      counts: { [series('/v1/rerank', 'bm25', 499)]: 1 },
      lines: [{ status: 499, level: 30 }],
    },
    {
      name: 'HEAD on a GET route (200, at debug for an operational route)',
      run: async (port) => {
        await exchangeRaw(port, [get('HEAD', '/healthz')]);
        await exchangeRaw(port, [get('HEAD', '/v1/models', AUTH)]);
      },
      counts: { [series('/healthz', '', 200)]: 1, [series('/v1/models', '', 200)]: 1 },
      lines: [
        { status: 200, method: 'HEAD', route: '/healthz', level: 20 },
        { status: 200, method: 'HEAD', route: '/v1/models', level: 30 },
      ],
    },
    {
      name: 'a CORS preflight (204) and an OPTIONS without CORS configured (405)',
      options: { cors: { allowedOrigins: ['https://app.example'] } },
      run: async (port) => {
        const preflight = 'Origin: https://app.example\r\nAccess-Control-Request-Method: POST\r\n';
        await exchangeRaw(port, [get('OPTIONS', '/v1/rerank', preflight)]);
        await exchangeRaw(port, [get('OPTIONS', '/v1/rerank')]);
      },
      counts: { [series('/v1/rerank', '', 204)]: 1, [series('/v1/rerank', '', 405)]: 1 },
      lines: [
        { status: 204, method: 'OPTIONS', level: 30 },
        { status: 405, method: 'OPTIONS', level: 30 },
      ],
    },
    {
      name: 'pipelined requests on one connection',
      run: send(
        rerankRequest().replace('Connection: close\r\n', '') +
          `GET /v1/models HTTP/1.1\r\nHost: x\r\n${AUTH}\r\n` +
          rerankRequest('{'),
      ),
      counts: {
        [series('/v1/rerank', 'bm25', 200)]: 1,
        [series('/v1/models', '', 200)]: 1,
        [series('/v1/rerank', '', 400)]: 1,
      },
      lines: [{ status: 200, route: '/v1/rerank' }, { status: 200, route: '/v1/models' }, { status: 400 }],
    },
    {
      name: 'Expect: 100-continue, invited and ranked (200)',
      run: async (port) => {
        const head = rerankRequest('', `${AUTH}Content-Type: application/json\r\nExpect: 100-continue\r\n`);
        const sent = await exchangeRaw(port, [
          head.replace('Content-Length: 0', `Content-Length: ${BODY.length}`),
          { pauseMs: 100 },
          BODY,
        ]);
        expect(sent.toString('latin1')).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
      },
      counts: { [series('/v1/rerank', 'bm25', 200)]: 1 },
      lines: [{ status: 200, level: 30 }],
    },
    {
      name: 'a request while the app drains (503)',
      options: { drainSignal: AbortSignal.abort() },
      run: send(rerankRequest()),
      counts: { [series('/v1/rerank', '', 503)]: 1 },
      lines: [{ status: 503, level: 30 }],
    },
  ];
  for (const { name, options, run, counts, lines } of cases) {
    it(name, async () => {
      await using server = await startAccountedServer(options);
      await run(server.port);
      await server.expectAccounted(counts, lines);
      // No 5xx for what is the client's fault: only the deadline and the drain answer 5xx here.
      const statuses = server.requestLines().map((line) => Number(line.status));
      if (!/deadline|drains/.test(name)) expect(statuses.filter((status) => status >= 500)).toEqual([]);
    });
  }
});
