import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Options of {@link ServerMetrics}. */
export interface ServerMetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event loop lag, GC). Defaults to `false`. */
  processMetrics?: boolean | undefined;
  /** A prefix for every metric name; defaults to `sealink_rerank_`. */
  prefix?: string | undefined;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The server's Prometheus metrics, in a registry of their own (never prom-client's global one), so two
 * apps in one process keep separate counts. Label values are bounded: `route` is a route pattern or
 * `unmatched`, `model` is a registered model id or empty.
 */
export class ServerMetrics {
  /** The registry that `GET /metrics` renders. */
  readonly registry: Registry;
  /** Requests answered, by route, model and status. */
  readonly requests: Counter<'route' | 'model' | 'status'>;
  /** Request latency in seconds, from the first middleware to the response, by route, model and status. */
  readonly requestDuration: Histogram<'route' | 'model' | 'status'>;
  /** Documents scored, by model. */
  readonly documentsScored: Counter<'model'>;
  /** Backend scoring latency in seconds, per request (all its calls), by model and outcome. */
  readonly backendDuration: Histogram<'model' | 'outcome'>;
  /** Requests being handled now. */
  readonly inFlightRequests: Gauge;

  constructor(options: ServerMetricsOptions = {}) {
    const prefix = options.prefix ?? 'sealink_rerank_';
    this.registry = new Registry();
    const registers = [this.registry];
    this.requests = new Counter({
      name: `${prefix}http_requests_total`,
      help: 'HTTP requests answered, by route, model and status.',
      labelNames: ['route', 'model', 'status'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'HTTP request latency in seconds, by route, model and status.',
      labelNames: ['route', 'model', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.documentsScored = new Counter({
      name: `${prefix}documents_scored_total`,
      help: 'Documents scored, by model.',
      labelNames: ['model'],
      registers,
    });
    this.backendDuration = new Histogram({
      name: `${prefix}backend_duration_seconds`,
      help: 'Backend scoring latency in seconds per request, by model and outcome (ok, error, aborted).',
      labelNames: ['model', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.inFlightRequests = new Gauge({
      name: `${prefix}http_requests_in_flight`,
      help: 'HTTP requests being handled now.',
      registers,
    });
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry, prefix });
  }

  /** Counts one answered request and its latency. */
  recordRequest(route: string, model: string, status: number, seconds: number): void {
    const labels = { route, model, status: String(status) };
    this.requests.inc(labels);
    this.requestDuration.observe(labels, seconds);
  }
}
