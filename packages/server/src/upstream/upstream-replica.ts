import { Client, Pool } from 'undici';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';

/** The keep-alive connections of a replica's pool when none are given. */
export const DEFAULT_CONNECTIONS_PER_REPLICA = 32;

/** The largest upstream response body a replica's pool reads by default, in bytes: 64 MiB. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Options of {@link UpstreamReplica}. */
export interface UpstreamReplicaOptions {
  /** The replica's base URL, for example `http://tei-0:8080` or `https://api.example.com/compatible-mode`. */
  baseUrl: string;
  /** Keep-alive connections the replica's pool may open. Defaults to 32. */
  connections?: number;
  /** The replica's circuit breaker settings. */
  breaker?: CircuitBreakerOptions;
  /** The largest upstream response body read, in bytes. Defaults to {@link MAX_RESPONSE_BYTES} (64 MiB). */
  maxResponseBytes?: number;
  /** The clock of holds ({@link UpstreamReplica.holdBack}), in milliseconds. Defaults to the breaker's clock, else `performance.now`. */
  now?: () => number;
}

/**
 * One engine replica behind a model: its keep-alive connection pool, circuit breaker, outstanding work
 * (for least-outstanding balancing), active health state, and a hold while it asked to be left alone
 * (a 429 or 503 with its `Retry-After`).
 */
export class UpstreamReplica {
  /** The base URL as configured, without a trailing slash. */
  readonly baseUrl: string;
  /** The path prefix of the base URL (empty or starting with `/`, no trailing slash), put before every route. */
  readonly pathPrefix: string;
  /** The keep-alive connection pool to this replica. */
  readonly pool: Pool;
  /**
   * A connection of its own for active health checks. A check sent through {@link pool} waits behind
   * the scoring calls queued there for a free connection (undici acts on its abort only once it has one),
   * so a replica that is merely busy would fail its check and be taken out of rotation.
   */
  readonly healthClient: Client;
  /** The replica's circuit breaker (passive health). */
  readonly breaker: CircuitBreaker;
  /** Requests sent to this replica that have not finished. */
  outstandingRequests = 0;
  /** Whether the last active health check passed; `true` until a check says otherwise. */
  healthy = true;
  /** Why the last active health check failed, for logs; `undefined` when healthy. */
  lastHealthProblem: string | undefined;
  readonly #now: () => number;
  /** When the current hold ends, on the replica's clock; 0 when there is none. */
  #heldUntil = 0;

  constructor(options: UpstreamReplicaOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`upstream base URL must be http or https, got ${url.protocol}`);
    }
    if (url.username !== '' || url.password !== '') {
      throw new TypeError('upstream base URL must not carry credentials; use the API key setting');
    }
    // Engine routes are joined to the path; a query string or fragment would be dropped without a word.
    // Only a `?` or `#` starts one, so the text tells (an empty one, as `http://e/?`, too).
    if (/[?#]/.test(options.baseUrl)) {
      throw new TypeError('upstream base URL must not carry a query string or fragment');
    }
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    this.baseUrl = `${url.origin}${this.pathPrefix}`;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? DEFAULT_CONNECTIONS_PER_REPLICA,
      // Below the idle timeout of common engine servers (uvicorn and Node close idle sockets after 5 s).
      keepAliveTimeout: 4_000,
      maxResponseSize: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    });
    this.healthClient = new Client(url.origin, { keepAliveTimeout: 4_000, maxResponseSize: 1024 * 1024 });
    this.breaker = new CircuitBreaker(options.breaker);
    this.#now = options.now ?? options.breaker?.now ?? (() => performance.now());
  }

  /** Closes the replica's connections, scoring and health check. */
  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.healthClient.close()]);
  }

  /**
   * Whether the replica is up: healthy and the circuit lets calls pass. A replica held back after a 429
   * is still up (readiness counts it), though the balancer skips it until the hold ends.
   */
  isAvailable(): boolean {
    return this.healthy && this.breaker.canPass();
  }

  /** Whether the balancer may send a request here now: up ({@link isAvailable}) and not held back. */
  canTakeRequest(): boolean {
    return this.isAvailable() && this.remainingHoldMs === 0;
  }

  /**
   * Keeps the balancer off this replica for `ms` milliseconds, as it asked by answering 429 or 503 (its
   * `Retry-After`); a longer hold already running is kept. Not a breaker failure: the replica answered.
   */
  holdBack(ms: number): void {
    this.#heldUntil = Math.max(this.#heldUntil, this.#now() + ms);
  }

  /** Milliseconds until the current hold ends; 0 when the replica is not held back. */
  get remainingHoldMs(): number {
    if (this.#heldUntil === 0) return 0;
    const remaining = this.#heldUntil - this.#now();
    if (remaining > 0) return remaining;
    this.#heldUntil = 0;
    return 0;
  }
}
