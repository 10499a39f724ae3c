import { describe, expect, it } from 'vitest';
import { createRerankApp } from './create-rerank-app.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { ScriptedBackend, untilAborted } from './testing/scripted-backend.js';

describe('a client that goes away mid-request, over a real socket', () => {
  it('is counted and logged as 499 (client closed), not as a 500 server error', async () => {
    const backend = new ScriptedBackend({ script: untilAborted });
    const registry = new ModelRegistry([{ id: 'slow', backend }]);
    const captured = captureLogger('info');
    const metrics = new ServerMetrics();
    const app = createRerankApp({
      registry,
      auth: { disabled: true },
      logger: captured.logger,
      metrics,
      requestTimeoutMs: 60_000,
    });
    await using server = await serveRerankApp(app, { hostname: '127.0.0.1', port: 0 });
    const client = new AbortController();
    const pending = fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'gone-1' },
      body: JSON.stringify({ model: 'slow', query: 'q', documents: ['a', 'b'] }),
      signal: client.signal,
    });
    await expect.poll(() => backend.calls.length).toBe(1);
    client.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => captured.records().some((record) => record.request_id === 'gone-1')).toBe(true);
    const line = captured.records().find((record) => record.request_id === 'gone-1')!;
    expect(line).toMatchObject({ status: 499, route: '/v1/rerank', model: 'slow', documents: 2 });
    // pino's level 30 is info: a client going away is no server error (level 50).
    expect(line.level).toBe(30);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'sealink_rerank_http_requests_total{route="/v1/rerank",model="slow",status="499"} 1',
    );
    expect(text).not.toMatch(/status="5\d\d"/);
    expect(text).toContain('sealink_rerank_backend_duration_seconds_count{model="slow",outcome="aborted"} 1');
  });
});
