import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createRerankApp } from '../create-rerank-app.js';
import {
  exchangeRaw,
  expectContractError,
  PROPERTY_API_KEY,
  parseRawAnswer,
} from '../http-property-test-kit.js';
import { ServerMetrics } from '../metrics/server-metrics.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { captureLogger } from '../testing/capture-logger.js';
import { gatedBackend, ScriptedBackend } from '../testing/scripted-backend.js';
import { serveRerankApp } from './serve-rerank-app.js';

/** The app on `hostname`, port 0, with one key; `await using` closes it. */
async function serveOn(hostname: string) {
  const app = createRerankApp({
    registry: new ModelRegistry([{ id: 'bm25', backend: new ScriptedBackend() }]),
    auth: { apiKeys: [PROPERTY_API_KEY] },
    logger: captureLogger('fatal').logger,
  });
  return serveRerankApp(app, { hostname });
}

describe('serveRerankApp', () => {
  it('answers requests without a Host (HTTP/1.0) or with an empty one when it listens on an IPv6 address', async () => {
    await using server = await serveOn('::1');
    expect(server.url).toBe(`http://[::1]:${server.port}`);
    const auth = `Authorization: Bearer ${PROPERTY_API_KEY}\r\n`;
    for (const request of [
      'GET /healthz HTTP/1.0\r\n\r\n',
      `GET /v1/models HTTP/1.0\r\n${auth}\r\n`,
      'GET /readyz HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n',
    ]) {
      const answer = parseRawAnswer(await exchangeRaw(server.port, [request], { host: '::1' }));
      expect({ request, status: answer.status }).toEqual({ request, status: 200 });
    }
    // Unknown paths still get their 404 in the contract's shape.
    const missing = parseRawAnswer(
      await exchangeRaw(server.port, ['GET /nope HTTP/1.0\r\n\r\n'], { host: '::1' }),
    );
    expect(missing.status).toBe(404);
    expect(expectContractError(missing, 'GET')?.code).toBe('route_not_found');
  });

  it('answers them too on an IPv6 address written in a form a URL does not keep (0:0:0:0:0:0:0:1, ::ffff:127.0.0.1)', async () => {
    for (const [hostname, canonical, connectTo] of [
      ['0:0:0:0:0:0:0:1', '[::1]', '::1'],
      ['::ffff:127.0.0.1', '[::ffff:7f00:1]', '127.0.0.1'],
    ] as const) {
      await using server = await serveOn(hostname);
      expect(server.url).toBe(`http://${canonical}:${server.port}`);
      const answer = parseRawAnswer(
        await exchangeRaw(server.port, ['GET /healthz HTTP/1.0\r\n\r\n'], { host: connectTo }),
      );
      expect({ hostname, status: answer.status }).toEqual({ hostname, status: 200 });
    }
  });

  it("counts the requests it answers outside the app (malformed HTTP, no or two Host, CONNECT, a target that is no URL) in the app metrics, under route malformed, and the app's own once on its route", async () => {
    const metrics = new ServerMetrics();
    const app = createRerankApp({
      registry: new ModelRegistry([{ id: 'bm25', backend: new ScriptedBackend() }]),
      auth: { apiKeys: [PROPERTY_API_KEY] },
      logger: captureLogger('fatal').logger,
      metrics,
    });
    await using server = await serveRerankApp(app);
    const auth = `Authorization: Bearer ${PROPERTY_API_KEY}\r\n`;
    const cases = [
      ['GARBAGE\r\n\r\n', 400],
      [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`, 400],
      [
        `POST /v1/rerank HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
        400,
      ],
      ['GET /healthz HTTP/1.1\r\n\r\n', 400],
      ['GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n', 400],
      ['GET /healthz HTTP/1.1\r\nHost: bad host\r\nConnection: close\r\n\r\n', 400],
      ['CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n', 405],
    ] as const;
    for (const [request, status] of cases) {
      const answer = parseRawAnswer(await exchangeRaw(server.port, [request]));
      expect({ request: request.slice(0, 40), status: answer.status }).toEqual({
        request: request.slice(0, 40),
        status,
      });
    }
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const malformed = text
      .split('\n')
      .filter((line) => line.startsWith('sealink_rerank_http_requests_total{route="malformed"'));
    expect(malformed.sort()).toEqual([
      'sealink_rerank_http_requests_total{route="malformed",model="",status="400"} 5',
      'sealink_rerank_http_requests_total{route="malformed",model="",status="405"} 1',
    ]);
    // The rerank request whose chunked body broke reached the app: counted once, on its route, with its 400.
    expect(text).toContain('sealink_rerank_http_requests_total{route="/v1/rerank",model="",status="400"} 1');
    // No latency is known for them, and they were never in flight.
    expect(text).not.toContain('sealink_rerank_http_request_duration_seconds_count{route="malformed"');
    expect(text).toContain('sealink_rerank_http_requests_in_flight 1');
  });

  it('answers a request in flight when the drain starts with Connection: close and closes its connection, so the client sends no next request on a connection about to be cut', async () => {
    const drain = new AbortController();
    const { backend, release } = gatedBackend();
    const app = createRerankApp({
      registry: new ModelRegistry([{ id: 'bm25', backend }]),
      auth: { apiKeys: [PROPERTY_API_KEY] },
      logger: captureLogger('fatal').logger,
      drainSignal: drain.signal,
    });
    const server = await serveRerankApp(app, { onDrainStart: () => drain.abort() });
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString();
    });
    const ended = once(socket, 'end');
    try {
      await once(socket, 'connect');
      const body = JSON.stringify({ model: 'bm25', query: 'api gateway', documents: ['a gateway', 'bread'] });
      socket.write(
        `POST /v1/rerank HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${PROPERTY_API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      await expect.poll(() => backend.calls.length, { timeout: 10_000 }).toBe(1);
      const closing = server.close({ drainTimeoutMs: 10_000 });
      release();
      // The server ends the connection after the answer, well before the drain deadline.
      await Promise.race([
        ended,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`still open after: ${received}`)), 5000),
        ),
      ]);
      const answer = parseRawAnswer(received);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('connection')).toBe('close');
      expect(await closing).toBe(true);
    } finally {
      release();
      socket.destroy();
      await server.close({ drainTimeoutMs: 100 });
    }
  });
});
