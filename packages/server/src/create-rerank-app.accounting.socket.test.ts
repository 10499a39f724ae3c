import { connect } from 'node:net';
import { ErrorResponse } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { ScoringError } from './backend/scoring-error.js';
import { createRerankApp, type RerankAppOptions } from './create-rerank-app.js';
import { exchangeRaw, parseRawAnswer, type RawAnswer, type RawPause } from './http-property-test-kit.js';
import { ServerMetrics } from './metrics/server-metrics.js';
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
  const expectAccountedOnce = async (series: string, line: Record<string, unknown>) => {
    await expect.poll(() => requestLines().length).toBeGreaterThan(0);
    // Anything counted twice would be counted within a few milliseconds of the first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requestLines()).toEqual([expect.objectContaining(line)]);
    const scraped = await scrape();
    expect(scraped.requests).toEqual([`sealink_rerank_http_requests_total${series} 1`]);
    expect(scraped.latencies).toEqual([`sealink_rerank_http_request_duration_seconds_count${series} 1`]);
    // The scrape itself is the one request in flight.
    expect(scraped.inFlight).toBe(1);
  };
  return Object.assign(server, { captured, metrics, requestLines, scrape, expectAccountedOnce });
}

/** The head of a chunked POST to `path`, with the API key and a JSON content type unless told otherwise. */
function chunkedHead(path: string, extraHeaders = `${AUTH}Content-Type: application/json\r\n`): string {
  return `POST ${path} HTTP/1.1\r\nHost: x\r\n${extraHeaders}Transfer-Encoding: chunked\r\n\r\n`;
}

/** A first chunk of the body, well framed. */
const FIRST_CHUNK = `${(10).toString(16)}\r\n${BODY.slice(0, 10)}\r\n`;

/** Writes `chunks`, waits, then resets the connection (TCP RST), as a client that crashes mid-upload. */
function resetAfter(port: number, chunks: readonly (string | RawPause)[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (typeof chunk === 'string') socket.write(chunk);
        else await new Promise((wait) => setTimeout(wait, chunk.pauseMs));
      }
      socket.resetAndDestroy();
    });
  });
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
    await resetAfter(server.port, [chunkedHead('/v1/rerank'), FIRST_CHUNK, { pauseMs: 50 }]);
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
        { pauseMs: 50 },
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
