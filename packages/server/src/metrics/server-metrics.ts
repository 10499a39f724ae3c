import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { ReplicaCounts } from '../backend/scoring-backend-v1.js';
import { type HistogramSeries, SeriesHistogram } from './series-histogram.js';

/** Options of {@link ServerMetrics}. */
export interface ServerMetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event loop lag, GC). Defaults to `false`. */
  processMetrics?: boolean | undefined;
  /** A prefix for every metric name; defaults to `sealink_rerank_`. */
  prefix?: string | undefined;
}

/** One counter series counted as a plain number, handed to prom-client when `/metrics` is rendered. */
interface PendingCount<T extends string> {
  /** The label values of the series. */
  readonly labels: Record<T, string>;
  /** What was counted since the last render. */
  pending: number;
}

/** The counts and latencies of one (route, model, status) combination. */
interface RequestSeries {
  readonly count: PendingCount<'route' | 'model' | 'status'>;
  readonly duration: HistogramSeries;
}

/** Separates label values in series keys; it cannot occur in a route pattern or a model id. */
const KEY_SEPARATOR = '\u0000';

/** The `route` of requests answered before any route saw them; no route pattern is spelt so. */
const MALFORMED_ROUTE = 'malformed';

/** A counter that takes its pending counts from `series` whenever the registry renders it. */
function pendingCounter<T extends string>(
  options: { name: string; help: string; labelNames: T[]; registers: Registry[] },
  series: Map<string, PendingCount<T>>,
): Counter<T> {
  return new Counter<T>({
    ...options,
    collect() {
      for (const entry of series.values()) {
        if (entry.pending > 0) {
          this.inc(entry.labels, entry.pending);
          entry.pending = 0;
        }
      }
    },
  });
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The replica counts of one model, for {@link ServerMetrics.watchReplicas}. */
export interface ModelReplicaCounts extends ReplicaCounts {
  /** The registered model id. */
  model: string;
}

/**
 * The server's Prometheus metrics, in a registry of their own (never prom-client's global one), so two
 * apps in one process keep separate counts. Label values are bounded: `route` is a route pattern,
 * `unmatched`, or `malformed` (see {@link countMalformedRequest}), `model` is a registered model id or empty.
 *
 * The request path records through the methods ({@link requestStarted}, {@link requestFinished},
 * {@link recordBackendCall}, {@link countDocuments}), which add plain numbers to series kept per label
 * combination; prom-client gets them when `/metrics` is rendered. Going through prom-client's
 * `inc({ labels })` and `observe({ labels })` instead validates and hashes the labels on every call,
 * about 3.5 us per request.
 */
export class ServerMetrics {
  /** The registry that `GET /metrics` renders. */
  readonly registry: Registry;
  /** Requests answered, by route, model and status. */
  readonly requests: Counter<'route' | 'model' | 'status'>;
  /** Request latency in seconds, from the first middleware to the response, by route, model and status. */
  readonly requestDuration: SeriesHistogram<'route' | 'model' | 'status'>;
  /** Documents scored, by model. */
  readonly documentsScored: Counter<'model'>;
  /** Backend scoring latency in seconds, per request (all its calls), by model and outcome. */
  readonly backendDuration: SeriesHistogram<'model' | 'outcome'>;
  /** Requests being handled now. */
  readonly inFlightRequests: Gauge;
  /** Upstream replicas by model and state (`available` or `unavailable`), read when metrics are collected. */
  readonly upstreamReplicas: Gauge<'model' | 'state'>;
  /** Where {@link upstreamReplicas} reads the replicas from: one source per app, added by {@link watchReplicas}. */
  readonly #replicaSources = new Set<() => Iterable<ModelReplicaCounts>>();
  readonly #requestSeries = new Map<string, RequestSeries>();
  readonly #requestCounts = new Map<string, PendingCount<'route' | 'model' | 'status'>>();
  readonly #documentCounts = new Map<string, PendingCount<'model'>>();
  #inFlight = 0;

  constructor(options: ServerMetricsOptions = {}) {
    const prefix = options.prefix ?? 'sealink_rerank_';
    this.registry = new Registry();
    const registers = [this.registry];
    this.requests = pendingCounter(
      {
        name: `${prefix}http_requests_total`,
        help: 'HTTP requests answered, by route, model and status.',
        labelNames: ['route', 'model', 'status'],
        registers,
      },
      this.#requestCounts,
    );
    this.requestDuration = new SeriesHistogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'HTTP request latency in seconds, by route, model and status.',
      labelNames: ['route', 'model', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.documentsScored = pendingCounter(
      {
        name: `${prefix}documents_scored_total`,
        help: 'Documents scored, by model.',
        labelNames: ['model'],
        registers,
      },
      this.#documentCounts,
    );
    this.backendDuration = new SeriesHistogram({
      name: `${prefix}backend_duration_seconds`,
      help: 'Backend scoring latency in seconds per request, by model and outcome (ok, error, aborted).',
      labelNames: ['model', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const inFlight = () => this.#inFlight;
    this.inFlightRequests = new Gauge({
      name: `${prefix}http_requests_in_flight`,
      help: 'HTTP requests being handled now.',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
    const replicaSources = this.#replicaSources;
    this.upstreamReplicas = new Gauge({
      name: `${prefix}upstream_replicas`,
      help: 'Upstream replicas by model and state: available (healthy, circuit closed) or unavailable.',
      labelNames: ['model', 'state'],
      registers,
      collect() {
        this.reset();
        for (const source of replicaSources) {
          for (const { model, available, total } of source()) {
            this.set({ model, state: 'available' }, available);
            this.set({ model, state: 'unavailable' }, total - available);
          }
        }
      },
    });
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry, prefix });
  }

  /**
   * Adds a source that {@link upstreamReplicas} reads the replica counts of the models whose backends have
   * replicas from; called when metrics are collected. Each app adds its model registry, so two apps that
   * share these metrics both export their replicas (the later source wins for a model id both serve).
   */
  watchReplicas(source: () => Iterable<ModelReplicaCounts>): void {
    this.#replicaSources.add(source);
  }

  /** Counts a request as in flight until {@link requestFinished}. */
  requestStarted(): void {
    this.#inFlight++;
  }

  /** Ends a request started with {@link requestStarted}: counts it and its latency. */
  requestFinished(route: string, model: string, status: number, seconds: number): void {
    this.#inFlight--;
    const key = route + KEY_SEPARATOR + model + KEY_SEPARATOR + status;
    let series = this.#requestSeries.get(key);
    if (series === undefined) {
      const labels = { route, model, status: String(status) };
      const count = { labels, pending: 0 };
      this.#requestCounts.set(key, count);
      series = { count, duration: this.requestDuration.series(key, () => labels) };
      this.#requestSeries.set(key, series);
    }
    series.count.pending++;
    series.duration.observe(seconds);
  }

  /**
   * Counts a request answered before any route saw it (Node's parser refused it, it had no or several
   * `Host`, it was a `CONNECT`, its target is not a URL) in {@link requests}, under route `malformed`, no
   * model, and its status. It has no latency and was never in flight, so only the counter has it.
   */
  countMalformedRequest(status: number): void {
    const key = MALFORMED_ROUTE + KEY_SEPARATOR + KEY_SEPARATOR + status;
    let count = this.#requestCounts.get(key);
    if (count === undefined) {
      count = { labels: { route: MALFORMED_ROUTE, model: '', status: String(status) }, pending: 0 };
      this.#requestCounts.set(key, count);
    }
    count.pending++;
  }

  /** Records the backend latency of one request (all its calls), by outcome: `ok`, `error` or `aborted`. */
  recordBackendCall(model: string, outcome: 'ok' | 'error' | 'aborted', seconds: number): void {
    this.backendDuration.series(model + KEY_SEPARATOR + outcome, () => ({ model, outcome })).observe(seconds);
  }

  /** Counts documents scored by a model. */
  countDocuments(model: string, documents: number): void {
    let count = this.#documentCounts.get(model);
    if (count === undefined) {
      count = { labels: { model }, pending: 0 };
      this.#documentCounts.set(model, count);
    }
    count.pending += documents;
  }
}
