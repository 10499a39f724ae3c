import { describe, expect, it } from 'vitest';
import { createRerankApp } from '../create-rerank-app.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { serveRerankApp } from '../serve/serve-rerank-app.js';
import { captureLogger } from '../testing/capture-logger.js';
import { ScriptedBackend } from '../testing/scripted-backend.js';
import { ServerMetrics } from './server-metrics.js';

describe('ServerMetrics', () => {
  it('renders what the request path recorded, by label combination', async () => {
    const metrics = new ServerMetrics();
    metrics.requestStarted();
    metrics.requestStarted();
    metrics.requestStarted();
    metrics.requestFinished('/v1/rerank', 'bm25', 200, 0.004);
    metrics.requestFinished('/v1/rerank', 'bm25', 200, 0.02);
    metrics.recordBackendCall('bm25', 'ok', 0.003);
    metrics.recordBackendCall('bm25', 'aborted', 2);
    metrics.countDocuments('bm25', 20);
    metrics.countDocuments('bm25', 3);
    let text = await metrics.registry.metrics();
    expect(text).toContain(
      'sealink_rerank_http_requests_total{route="/v1/rerank",model="bm25",status="200"} 2',
    );
    expect(text).toContain(
      'sealink_rerank_http_request_duration_seconds_bucket{le="0.005",route="/v1/rerank",model="bm25",status="200"} 1',
    );
    expect(text).toContain(
      'sealink_rerank_http_request_duration_seconds_bucket{le="0.025",route="/v1/rerank",model="bm25",status="200"} 2',
    );
    expect(text).toContain(
      'sealink_rerank_http_request_duration_seconds_sum{route="/v1/rerank",model="bm25",status="200"} 0.024',
    );
    expect(text).toContain('sealink_rerank_http_requests_in_flight 1');
    expect(text).toContain('sealink_rerank_documents_scored_total{model="bm25"} 23');
    expect(text).toContain('sealink_rerank_backend_duration_seconds_count{model="bm25",outcome="ok"} 1');
    expect(text).toContain(
      'sealink_rerank_backend_duration_seconds_bucket{le="2.5",model="bm25",outcome="aborted"} 1',
    );

    // Counts keep adding up across renders, which hand prom-client only what is new.
    metrics.requestFinished('/v1/rerank', 'bm25', 200, 0.001);
    metrics.requestFinished('/v1/models', '', 401, 0.001);
    metrics.countDocuments('bm25', 7);
    text = await metrics.registry.metrics();
    expect(text).toContain(
      'sealink_rerank_http_requests_total{route="/v1/rerank",model="bm25",status="200"} 3',
    );
    expect(text).toContain('sealink_rerank_http_requests_total{route="/v1/models",model="",status="401"} 1');
    expect(text).toContain('sealink_rerank_documents_scored_total{model="bm25"} 30');
    expect(text).toContain('sealink_rerank_http_requests_in_flight -1');
  });
});

describe('ServerMetrics shared by two apps', () => {
  it('exports the upstream replicas of both apps’ models, and none for a model without replicas', async () => {
    const withReplicas = (available: number, total: number) =>
      Object.assign(new ScriptedBackend(), { replicaCounts: () => ({ available, total }) });
    const metrics = new ServerMetrics();
    const logger = captureLogger('fatal').logger;
    const first = createRerankApp({
      registry: new ModelRegistry([{ id: 'one', backend: withReplicas(2, 3) }]),
      auth: { disabled: true },
      logger,
      metrics,
    });
    createRerankApp({
      registry: new ModelRegistry([
        { id: 'two', backend: withReplicas(1, 1) },
        { id: 'plain', backend: new ScriptedBackend() },
      ]),
      auth: { disabled: true },
      logger,
      metrics,
    });
    await using server = await serveRerankApp(first, { hostname: '127.0.0.1', port: 0 });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text.split('\n').filter((line) => line.startsWith('sealink_rerank_upstream_replicas{'))).toEqual([
      'sealink_rerank_upstream_replicas{model="one",state="available"} 2',
      'sealink_rerank_upstream_replicas{model="one",state="unavailable"} 1',
      'sealink_rerank_upstream_replicas{model="two",state="available"} 1',
      'sealink_rerank_upstream_replicas{model="two",state="unavailable"} 0',
    ]);
  });
});
