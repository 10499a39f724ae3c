import type { ErrorType } from '@sealink/rerank-contract';

/** The brand of every ScoringError, shared by every copy of this package (a `Symbol.for` key). */
const SCORING_ERROR_BRAND = Symbol.for('sealink.rerank.scoring-error');

/** Options of {@link ScoringError}. */
export interface ScoringErrorOptions {
  /** The contract error type the client sees; it fixes the HTTP status. */
  type: ErrorType;
  /** A stable, machine-readable code in snake case. */
  code: string;
  /** What went wrong, safe to show the client: never credentials. */
  message: string;
  /**
   * What the server's log says instead of `message`, when `message` quotes words that are not the
   * backend's own: an upstream engine's error text can echo the query or the documents, which logs must
   * never hold. `message` by default.
   */
  logMessage?: string;
  /** Seconds after which a retry may succeed; sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /**
   * Whether the client may retry the same request, sent as `x-should-retry` (which the client SDK, like
   * openai-node, obeys over the status): `false` for a failure the same request meets every time, such as
   * an engine refusing its input as too long (a 502 clients would otherwise retry). Left out by default,
   * so clients go by the status.
   */
  shouldRetry?: boolean;
  /** The error that caused this one. */
  cause?: unknown;
}

/**
 * The error a scoring backend throws for a failure the client should see as a contract error, for
 * example `upstream_error` when an engine answers 500, `overloaded_error` when every replica is down,
 * `timeout_error` on a deadline. Any other thrown value becomes a 500 `internal_error`.
 *
 * `error instanceof ScoringError` holds for a ScoringError of any copy of this package (a backend package
 * with its own copy installed, or the CommonJS build beside the ES module one): it checks a `Symbol.for`
 * brand, so the server answers a backend's ScoringError whichever copy the backend took it from. The
 * brand is on the prototype, not enumerable: an object given a ScoringError's fields (`Object.assign`
 * onto a wrapping error, a spread) is not a ScoringError, and its message is not shown to clients.
 */
export class ScoringError extends Error {
  /** The contract error type. */
  readonly type: ErrorType;
  /** A stable, machine-readable code. */
  readonly code: string;
  /** Seconds after which a retry may succeed. */
  readonly retryAfterSeconds: number | undefined;
  /** Whether the client may retry the same request (`x-should-retry`); `undefined` when the status decides. */
  readonly shouldRetry: boolean | undefined;
  /** What the server's log says of this error: never the request's query or document text. */
  readonly logMessage: string;

  constructor(options: ScoringErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScoringError';
    this.type = options.type;
    this.code = options.code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.shouldRetry = options.shouldRetry;
    this.logMessage = options.logMessage ?? options.message;
  }

  /**
   * `instanceof ScoringError`: whether a value carries the brand of a ScoringError of any copy of this
   * package. `instanceof` a subclass is the usual prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: the class instanceof asks about, a subclass included.
    if (this !== ScoringError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [SCORING_ERROR_BRAND]?: unknown })[SCORING_ERROR_BRAND] === true
    );
  }
}

// The brand that `instanceof ScoringError` checks, shared by every copy of this package: on the prototype,
// where copying an error's own fields (`Object.assign`, a spread) cannot take it along.
Object.defineProperty(ScoringError.prototype, SCORING_ERROR_BRAND, { value: true });
