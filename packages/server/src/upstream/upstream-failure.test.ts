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
});
