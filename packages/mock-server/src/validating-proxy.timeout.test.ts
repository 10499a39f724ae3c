import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorResponse } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { startMockServer } from './start-mock-server.js';

const rerank = (url: string) =>
  fetch(`${url}/v1/rerank`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bm25', query: 'gateway', documents: ['api gateway', 'bread'] }),
    signal: AbortSignal.timeout(10_000),
  });

describe('the validating proxy, when the upstream does not answer within proxy.timeoutMs', () => {
  // It answered 502 upstream_unreachable, "The proxy could not reach <upstream>", though the upstream was
  // reached and only slow: the real server answers an upstream that does not answer in time with 504
  // timeout_error upstream_timeout, and a client may retry the two differently.
  it.each([
    ['no headers', { kind: 'hang' }],
    ['a body that does not come in time', { kind: 'latency', ms: 2000, phase: 'body' }],
  ] as const)('answers 504 timeout_error upstream_timeout for %s', async (_name, fault) => {
    await using upstream = await startMockServer();
    await using proxy = await startMockServer({ proxy: { url: upstream.url, timeoutMs: 200 } });
    upstream.faults.enqueue(fault);
    const answer = await rerank(proxy.url);
    expect(answer.status).toBe(504);
    const { error } = ErrorResponse.parse(await answer.json());
    expect([error.type, error.code]).toEqual(['timeout_error', 'upstream_timeout']);
    expect(error.message).toBe(
      `The upstream ${upstream.url} did not answer within 200 ms (proxy.timeoutMs).`,
    );
    expect(proxy.requests.map((entry) => entry.status)).toEqual([504]);
  });

  it('still answers 502 upstream_unreachable for an upstream that refuses the connection', async () => {
    const down = await startMockServer();
    await down.close();
    await using proxy = await startMockServer({ proxy: { url: down.url, timeoutMs: 200 } });
    const answer = await rerank(proxy.url);
    expect(answer.status).toBe(502);
    expect(ErrorResponse.parse(await answer.json()).error.code).toBe('upstream_unreachable');
  });
});

describe('the validating proxy readiness, when the upstream does not answer in time', () => {
  it('answers 503 not_ready saying the upstream was too slow', async () => {
    // An upstream that takes the request and never answers (a mock's /readyz takes no fault).
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    try {
      await using proxy = await startMockServer({
        proxy: { url: `http://127.0.0.1:${port}`, timeoutMs: 200 },
      });
      const answer = await fetch(`${proxy.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({
        status: 'not_ready',
        models: {},
        message: `The upstream http://127.0.0.1:${port} did not answer within 200 ms (proxy.timeoutMs).`,
      });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
