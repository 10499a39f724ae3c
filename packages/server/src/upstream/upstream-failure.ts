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
 * The contract error for the last failure of a sub-request that no replica could serve:
 * 503 `overloaded_error` when replicas are unreachable or saturated, 504 `timeout_error` when they were
 * too slow, 502 `upstream_error` (with the upstream's status and message) otherwise.
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
        message: `no replica of the ${upstream} upstream could be reached (${failure.message})`,
        retryAfterSeconds,
      });
    case 'overloaded':
      return new ScoringError({
        type: 'overloaded_error',
        code: 'upstream_overloaded',
        message: `every replica of the ${upstream} upstream is overloaded (it answered ${failure.status}: ${failure.message})`,
        retryAfterSeconds: failure.retryAfterSeconds ?? retryAfterSeconds,
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
      });
    case 'invalid-response':
      return new ScoringError({
        type: 'upstream_error',
        code: 'upstream_invalid_response',
        message: failure.message,
      });
  }
}

/** The error thrown when no replica may take a request at all: every one is unhealthy or its circuit is open. */
export function noReplicaAvailableError(upstream: string, retryAfterSeconds: number): ScoringError {
  return new ScoringError({
    type: 'overloaded_error',
    code: 'upstream_unavailable',
    message: `every replica of the ${upstream} upstream is down or its circuit is open; retry after ${retryAfterSeconds} s`,
    retryAfterSeconds,
  });
}
