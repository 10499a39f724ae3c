import type { CircuitBreakerOptions } from './circuit-breaker.js';
import { UpstreamReplica } from './upstream-replica.js';
import { reportReplicaEvent, type UpstreamReplicaEventListener } from './upstream-replica-event.js';

/** How the pool checks replicas actively. */
export interface ActiveHealthCheckOptions {
  /** The path fetched with GET, relative to the base URL, for example `/health`. */
  path: string;
  /** Milliseconds between two rounds of checks. Defaults to 5 000. */
  intervalMs?: number;
  /** Milliseconds one check may take before it counts as failed. Defaults to 2 000. */
  timeoutMs?: number;
  /** Headers sent with each check (for example authorization). */
  headers?: Record<string, string>;
}

/** Options of {@link ReplicaPool}. */
export interface ReplicaPoolOptions {
  /** One base URL per replica; at least one. */
  baseUrls: readonly string[];
  /** Keep-alive connections per replica. Defaults to 32. */
  connectionsPerReplica?: number;
  /** Circuit breaker settings, one breaker per replica. */
  breaker?: CircuitBreakerOptions;
  /** Active health checks; omitted for upstreams without a health route (hosted APIs). */
  healthCheck?: ActiveHealthCheckOptions;
  /** Random numbers in [0, 1) for tie-breaking; injectable for tests. Defaults to `Math.random`. */
  random?: () => number;
  /** The upstream's name in events, for example `upstream.vllm`. Defaults to `upstream`. */
  upstream?: string;
  /** Told when a replica's active health check starts failing or passes again. */
  onReplicaEvent?: UpstreamReplicaEventListener | undefined;
}

/**
 * The replicas of one upstream model, with least-outstanding-requests balancing (ties broken at random),
 * passive health through a circuit breaker per replica, holds on replicas that answered 429 or 503
 * until their `Retry-After`, and optional periodic active health checks.
 */
export class ReplicaPool {
  /** The replicas, in configuration order. */
  readonly replicas: readonly UpstreamReplica[];
  readonly #healthCheck: Required<Omit<ActiveHealthCheckOptions, 'headers'>> & {
    headers: Record<string, string>;
  };
  readonly #hasHealthCheck: boolean;
  readonly #random: () => number;
  readonly #upstream: string;
  readonly #onReplicaEvent: UpstreamReplicaEventListener | undefined;
  readonly #closing = new AbortController();
  #timer: ReturnType<typeof setInterval> | undefined;
  #round: Promise<void> | undefined;

  constructor(options: ReplicaPoolOptions) {
    if (options.baseUrls.length === 0) throw new TypeError('an upstream needs at least one base URL');
    this.replicas = options.baseUrls.map(
      (baseUrl) =>
        new UpstreamReplica({
          baseUrl,
          ...(options.connectionsPerReplica === undefined
            ? {}
            : { connections: options.connectionsPerReplica }),
          ...(options.breaker === undefined ? {} : { breaker: options.breaker }),
        }),
    );
    this.#hasHealthCheck = options.healthCheck !== undefined;
    this.#healthCheck = {
      path: options.healthCheck?.path ?? '/health',
      intervalMs: options.healthCheck?.intervalMs ?? 5_000,
      timeoutMs: options.healthCheck?.timeoutMs ?? 2_000,
      headers: options.healthCheck?.headers ?? {},
    };
    this.#random = options.random ?? Math.random;
    this.#upstream = options.upstream ?? 'upstream';
    this.#onReplicaEvent = options.onReplicaEvent;
  }

  /**
   * Picks the available replica with the fewest outstanding requests, skipping `exclude` and replicas
   * held back after a 429 or 503, and claims a pass from its circuit breaker. Returns `undefined` when no
   * replica may take the request.
   */
  acquire(exclude: ReadonlySet<UpstreamReplica> = new Set()): UpstreamReplica | undefined {
    const candidates = this.replicas.filter((replica) => !exclude.has(replica) && replica.canTakeRequest());
    // Shuffle first so that equal loads spread at random, then take the least loaded that the breaker passes.
    for (let index = candidates.length - 1; index > 0; index--) {
      const other = Math.floor(this.#random() * (index + 1));
      [candidates[index], candidates[other]] = [candidates[other]!, candidates[index]!];
    }
    candidates.sort((a, b) => a.outstandingRequests - b.outstandingRequests);
    for (const replica of candidates) {
      if (replica.breaker.tryAcquire()) {
        replica.outstandingRequests++;
        return replica;
      }
    }
    return undefined;
  }

  /** Returns a replica taken with {@link acquire}. */
  release(replica: UpstreamReplica): void {
    replica.outstandingRequests--;
  }

  /**
   * Whether some replica is up: healthy with a circuit that lets calls pass. A replica held back after a
   * 429 counts, since it answered (readiness must not flap on a rate limit).
   */
  hasAvailableReplica(): boolean {
    return this.replicas.some((replica) => replica.isAvailable());
  }

  /** How many replicas may take a request now: up, and not held back after a 429 or 503. */
  takingRequestCount(): number {
    let count = 0;
    for (const replica of this.replicas) if (replica.canTakeRequest()) count++;
    return count;
  }

  /** Whether some replica is up but every replica that is up is held back: the upstream is saturated. */
  isSaturated(): boolean {
    let up = false;
    for (const replica of this.replicas) {
      if (!replica.isAvailable()) continue;
      if (replica.remainingHoldMs === 0) return false;
      up = true;
    }
    return up;
  }

  /**
   * Whole seconds until some replica may take a request again (at least 1), for `Retry-After`: the end
   * of its circuit's cool-down or of its hold after a 429, or the next health check when it is unhealthy.
   */
  retryAfterSeconds(): number {
    let soonestMs = Number.POSITIVE_INFINITY;
    for (const replica of this.replicas) {
      const waitMs = replica.healthy
        ? Math.max(replica.breaker.remainingCoolDownMs, replica.remainingHoldMs)
        : this.#healthCheck.intervalMs;
      soonestMs = Math.min(soonestMs, waitMs);
    }
    return Math.max(1, Math.ceil(soonestMs / 1000));
  }

  /** Runs one round of active health checks on every replica in parallel; resolves when all have answered or timed out. */
  checkHealth(): Promise<void> {
    if (!this.#hasHealthCheck) return Promise.resolve();
    this.#round ??= Promise.all(this.replicas.map((replica) => this.#checkReplica(replica))).then(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  /** Starts periodic active health checks (unref'd timer; no-op without a health check or when started). */
  startHealthChecks(): void {
    if (!this.#hasHealthCheck || this.#timer !== undefined || this.#closing.signal.aborted) return;
    this.#timer = setInterval(() => void this.checkHealth(), this.#healthCheck.intervalMs);
    this.#timer.unref();
  }

  /** Stops the periodic health checks; {@link startHealthChecks} starts them again. */
  stopHealthChecks(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Stops the health checks and closes every replica's connections. */
  async close(): Promise<void> {
    this.stopHealthChecks();
    this.#closing.abort();
    await this.#round;
    await Promise.all(this.replicas.map((replica) => replica.close()));
  }

  async #checkReplica(replica: UpstreamReplica): Promise<void> {
    // A controller of the check's own, following the pool's close signal only while the check runs: on
    // Node 20, `AbortSignal.any` keeps a reference in each source for good, so combining the lifelong close
    // signal with a timeout grew it by one entry per check, on every replica, for as long as the server ran.
    const check = new AbortController();
    const closing = this.#closing.signal;
    if (closing.aborted) return;
    const onClose = () => check.abort(closing.reason);
    closing.addEventListener('abort', onClose, { once: true });
    const timer = setTimeout(
      () => check.abort(new DOMException('the health check timed out', 'TimeoutError')),
      this.#healthCheck.timeoutMs,
    );
    const signal = check.signal;
    try {
      // Through the replica's own health connection, never queued behind scoring calls.
      const response = await replica.healthClient.request({
        method: 'GET',
        path: `${replica.pathPrefix}${this.#healthCheck.path}`,
        headers: this.#healthCheck.headers,
        signal,
      });
      await response.body.dump();
      const healthy = response.statusCode >= 200 && response.statusCode < 300;
      this.#setHealth(replica, healthy ? undefined : `health check answered ${response.statusCode}`);
    } catch (error) {
      if (this.#closing.signal.aborted) return;
      this.#setHealth(
        replica,
        `health check failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      clearTimeout(timer);
      closing.removeEventListener('abort', onClose);
    }
  }

  /** Records a check's verdict (`problem` undefined when it passed), telling the listener when it changed. */
  #setHealth(replica: UpstreamReplica, problem: string | undefined): void {
    const wasHealthy = replica.healthy;
    replica.healthy = problem === undefined;
    replica.lastHealthProblem = problem;
    if (wasHealthy === replica.healthy) return;
    reportReplicaEvent(this.#onReplicaEvent, {
      upstream: this.#upstream,
      baseUrl: replica.baseUrl,
      ...(problem === undefined
        ? { kind: 'health-check-passed' }
        : { kind: 'health-check-failed', reason: problem }),
    });
  }
}
