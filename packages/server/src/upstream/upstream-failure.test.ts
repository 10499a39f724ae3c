import { describe, expect, it } from 'vitest';
import { failureToScoringError, noReplicaAvailableError, overloadHoldMs } from './upstream-failure.js';

describe('upstream failures', () => {
  it('holds a replica back for its Retry-After, 1 s without one, at most 60 s', () => {
    expect(overloadHoldMs(undefined)).toBe(1_000);
    expect(overloadHoldMs(7)).toBe(7_000);
    expect(overloadHoldMs(3_600)).toBe(60_000);
  });

  it('answers a saturated upstream with 503 overloaded_error and the pool’s retry hint', () => {
    const overloaded = failureToScoringError(
      'upstream.tei',
      { kind: 'overloaded', status: 429, message: 'slow down', retryAfterSeconds: 30 },
      2,
    );
    expect(overloaded).toMatchObject({
      type: 'overloaded_error',
      code: 'upstream_overloaded',
      retryAfterSeconds: 2,
    });
    expect(noReplicaAvailableError('upstream.tei', 3, 'saturated')).toMatchObject({
      type: 'overloaded_error',
      code: 'upstream_overloaded',
      retryAfterSeconds: 3,
    });
    expect(noReplicaAvailableError('upstream.tei', 3)).toMatchObject({
      type: 'overloaded_error',
      code: 'upstream_unavailable',
    });
  });

  it('tells the client not to retry an engine’s refusal of the input (400, 413, 422), and nothing for other statuses', () => {
    for (const status of [400, 413, 422]) {
      const refused = failureToScoringError(
        'upstream.tei',
        { kind: 'status', status, message: 'input is too long' },
        1,
      );
      expect(refused).toMatchObject({
        type: 'upstream_error',
        code: 'upstream_status_error',
        shouldRetry: false,
      });
    }
    for (const status of [401, 404, 500, 502]) {
      const failed = failureToScoringError('upstream.tei', { kind: 'status', status, message: 'failed' }, 1);
      expect(failed.shouldRetry, String(status)).toBeUndefined();
    }
    expect(
      failureToScoringError('upstream.tei', { kind: 'timeout', message: 'no answer' }, 1).shouldRetry,
    ).toBeUndefined();
  });
});
