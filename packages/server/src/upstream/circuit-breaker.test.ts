import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

function breakerWithClock(failureThreshold: number, coolDownMs: number) {
  let now = 0;
  const breaker = new CircuitBreaker({ failureThreshold, coolDownMs, now: () => now });
  return { breaker, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and refuses calls', () => {
    const { breaker } = breakerWithClock(3, 1000);
    for (let failure = 0; failure < 2; failure++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.canPass()).toBe(false);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.remainingCoolDownMs).toBe(1000);
  });

  it('a success resets the count of consecutive failures', () => {
    const { breaker } = breakerWithClock(2, 1000);
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(1);
  });

  it('lets exactly one trial through when half-open, and closes when it succeeds', () => {
    const { breaker, advance } = breakerWithClock(1, 500);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    advance(499);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.canPass()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens again for a whole cool-down when the trial fails', () => {
    const { breaker, advance } = breakerWithClock(5, 500);
    for (let failure = 0; failure < 5; failure++) breaker.recordFailure();
    advance(500);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.remainingCoolDownMs).toBe(500);
  });

  it('frees the trial when it ends without a verdict', () => {
    const { breaker, advance } = breakerWithClock(1, 100);
    breaker.recordFailure();
    advance(100);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordNeutral();
    expect(breaker.tryAcquire()).toBe(true);
  });
});
