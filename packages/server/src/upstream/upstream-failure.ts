import { ScoringError } from '../backend/scoring-error.js';

/** Why one upstream attempt failed, and whether another replica may succeed. */
export type UpstreamFailure =
  /** The replica could not be reached or dropped the connection. */
  | { kind: 'connection'; message: string }
  /** The attempt ran past its timeout. */
  | { kind: 'timeout'; message: string }
  /** The replica is saturated (429, 503); `retryAfterSeconds` is its own hint when it sent one. */
  | { kind: 'overloaded'; status: number; message: string; retryAfterSeconds: number | undefined }
  /** The replica answered with an error status. */
  | { kind: 'status'; status: number; message: string }
  /** The replica answered 2xx with a body that is not a valid answer. */
  | { kind: 'invalid-response'; message: string };

/** How long a replica that answered 429 or 503 without a usable `Retry-After` is held back, in ms. */
export const DEFAULT_OVERLOAD_HOLD_MS = 1_000;

/** The longest a replica is held back after a 429 or 503, whatever its `Retry-After` says, in ms. */
export const MAX_OVERLOAD_HOLD_MS = 60_000;

/**
 * How long to keep the balancer off a replica that answered 429 or 503: its `Retry-After`, else 1 s,
 * at most 60 s (a hosted API asking for an hour must not take the model away for that long).
 */
export function overloadHoldMs(retryAfterSeconds: number | undefined): number {
  if (retryAfterSeconds === undefined) return DEFAULT_OVERLOAD_HOLD_MS;
  return Math.min(MAX_OVERLOAD_HOLD_MS, retryAfterSeconds * 1000);
}

/** Whether the request may succeed on another replica after this failure. */
export function isRetryableFailure(failure: UpstreamFailure): boolean {
  switch (failure.kind) {
    case 'connection':
    case 'timeout':
    case 'overloaded':
      return true;
    case 'status':
      return failure.status >= 500 || failure.status === 408;
    case 'invalid-response':
      return false;
  }
}

/**
 * A failure as the operator's log may show it: connection errors, timeouts and statuses in full, but
 * never an engine's own error text, which can quote the documents.
 */
export function failureLogReason(failure: UpstreamFailure): string {
  switch (failure.kind) {
    case 'status':
    case 'overloaded':
      return `answered ${failure.status}`;
    case 'connection':
    case 'timeout':
    case 'invalid-response':
      return failure.message;
  }
}

/**
 * The statuses with which engines refuse a request's input, the same way on every try: 400 (vLLM,
 * llama.cpp, hosted APIs: input too long), 413 (TEI: input too long, batch too large), 422 (FastAPI
 * engines such as Infinity: a schema or length check).
 */
const INPUT_REFUSAL_STATUSES: ReadonlySet<number> = new Set([400, 413, 422]);

/** Why an upstream's own error text is in the client's answer but not in the server's log. */
const UPSTREAM_TEXT_NOT_LOGGED =
  "its error text goes to the client only, since engines may quote the request's documents in it";

/**
 * The contract error for the last failure of a sub-request that no replica could serve:
 * 503 `overloaded_error` when replicas are unreachable or saturated, 504 `timeout_error` when they were
 * too slow, 502 `upstream_error` (with the upstream's status and message) otherwise. `retryAfterSeconds`
 * is the pool's (when some replica may take a request again, holds after a 429 included).
 */
export function failureToScoringError(
  upstream: string,
  failure: UpstreamFailure,
  retryAfterSeconds: number,
): ScoringError {
  switch (failure.kind) {
    case 'connection':
      return new ScoringError({
        type: 'overloaded_error',
        code: 'upstream_unavailable',
        // The connection error names the replica's address, which is the operator's business: logged only.
        message: `no replica of the ${upstream} upstream could be reached`,
        logMessage: `no replica of the ${upstream} upstream could be reached (${failure.message})`,
        retryAfterSeconds,
      });
    case 'overloaded':
      return new ScoringError({
        type: 'overloaded_error',
        code: 'upstream_overloaded',
        message: `every replica of the ${upstream} upstream is overloaded (it answered ${failure.status}: ${failure.message})`,
        logMessage: `every replica of the ${upstream} upstream is overloaded (it answered ${failure.status}; ${UPSTREAM_TEXT_NOT_LOGGED})`,
        retryAfterSeconds,
      });
    case 'timeout':
      return new ScoringError({
        type: 'timeout_error',
        code: 'upstream_timeout',
        message: `the ${upstream} upstream did not answer in time (${failure.message})`,
      });
    case 'status':
      return new ScoringError({
        type: 'upstream_error',
        code: 'upstream_status_error',
        message: `the ${upstream} upstream answered ${failure.status}: ${failure.message}`,
        logMessage: `the ${upstream} upstream answered ${failure.status} (${UPSTREAM_TEXT_NOT_LOGGED})`,
        // The engine refused the input itself (too long, too many texts): the same request fails the same way
        // every time, so clients that retry a 502 are told not to (`x-should-retry: false`).
        ...(INPUT_REFUSAL_STATUSES.has(failure.status) ? { shouldRetry: false } : {}),
      });
    case 'invalid-response':
      return new ScoringError({
        type: 'upstream_error',
        code: 'upstream_invalid_response',
        message: failure.message,
      });
  }
}

/**
 * The error thrown when no replica may take a request at all: every one is unhealthy or its circuit is
 * open (`down`), or every one that is up is held back after answering 429 or 503 (`saturated`).
 */
export function noReplicaAvailableError(
  upstream: string,
  retryAfterSeconds: number,
  why: 'down' | 'saturated' = 'down',
): ScoringError {
  if (why === 'saturated') {
    return new ScoringError({
      type: 'overloaded_error',
      code: 'upstream_overloaded',
      message: `every replica of the ${upstream} upstream asked to slow down (429 or 503); retry after ${retryAfterSeconds} s`,
      retryAfterSeconds,
    });
  }
  return new ScoringError({
    type: 'overloaded_error',
    code: 'upstream_unavailable',
    message: `every replica of the ${upstream} upstream is down or its circuit is open; retry after ${retryAfterSeconds} s`,
    retryAfterSeconds,
  });
}
