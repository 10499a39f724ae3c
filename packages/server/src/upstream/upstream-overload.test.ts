import { describe, expect, it } from 'vitest';
import {
  createClockedBackend,
  createDisposableBackend,
  scoringErrorOf,
  startScriptedTei,
} from './upstream-test-kit.js';

describe('upstream overload answers', () => {
  it('treats a 503 like a 429: an overloaded_error with its Retry-After, a hold, and no breaker failure', async () => {
    await using upstream = await startScriptedTei([{ status: 503, headers: { 'retry-after': '4' } }]);
    let clock = 0;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [upstream.url],
      model: 'm',
      breaker: { failureThreshold: 1, now: () => clock },
      healthCheck: false,
    });
    const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(error).toMatchObject({
      type: 'overloaded_error',
      code: 'upstream_overloaded',
      retryAfterSeconds: 4,
    });
    const replica = backend.replicas[0]!;
    expect(replica.breaker.state).toBe('closed');
    expect(replica.breaker.consecutiveFailures).toBe(0);
    expect(replica.remainingHoldMs).toBe(4_000);
    clock += 4_000;
    const result = await backend.doScore({ query: 'q', documents: ['a'] });
    expect(Array.from(result.scores)).toEqual([0.5]);
    expect(upstream.requests()).toBe(2);
  });

  it('holds a replica for 1 s when its Retry-After is 0, instead of sending it the next request at once', async () => {
    await using upstream = await startScriptedTei([{ status: 429, headers: { 'retry-after': '0' } }]);
    // A clock that stands still: the hold set by the 429 does not run out during the test.
    await using backend = createClockedBackend(upstream.url, () => 0);
    const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(error).toMatchObject({ code: 'upstream_overloaded', retryAfterSeconds: 1 });
    expect(backend.replicas[0]!.remainingHoldMs).toBe(1_000);
    const held = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(held).toMatchObject({ code: 'upstream_overloaded', retryAfterSeconds: 1 });
    expect(upstream.requests()).toBe(1);
  });

  it('reads a decimal Retry-After as seconds, rounded up, not as an HTTP date', async () => {
    // RFC 9110 allows whole seconds only, but engines send decimals; Date.parse('12.5') reads a date in 2001.
    await using upstream = await startScriptedTei([
      { status: 429, headers: { 'retry-after': '12.5' } },
      { status: 503, headers: { 'retry-after': '0.2' } },
    ]);
    let clock = 0;
    await using backend = createClockedBackend(upstream.url, () => clock);
    const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(error).toMatchObject({ code: 'upstream_overloaded', retryAfterSeconds: 13 });
    expect(backend.replicas[0]!.remainingHoldMs).toBe(13_000);
    clock += 13_000;
    const second = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(second).toMatchObject({ code: 'upstream_overloaded', retryAfterSeconds: 1 });
    expect(backend.replicas[0]!.remainingHoldMs).toBe(1_000);
    expect(upstream.requests()).toBe(2);
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    // Made when the 429 is sent: ten seconds ahead, in whole seconds (an HTTP date has no fraction).
    await using upstream = await startScriptedTei([
      () => ({ status: 429, headers: { 'retry-after': new Date(Date.now() + 10_000).toUTCString() } }),
    ]);
    // A clock that stands still: the hold set by the 429 does not run out during the test.
    await using backend = createClockedBackend(upstream.url, () => 0);
    const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(error.code).toBe('upstream_overloaded');
    // 9 or 10 s: the date drops the current second's fraction, and a second may turn before it is read.
    expect([9, 10]).toContain(error.retryAfterSeconds);
    expect(backend.replicas[0]!.remainingHoldMs).toBe(error.retryAfterSeconds! * 1000);
  });

  it('retries a 408 on another replica, as a timeout of that replica', async () => {
    await using timedOut = await startScriptedTei([
      { status: 408, body: '{"error":"request timeout","error_type":"Timeout"}' },
    ]);
    await using steady = await startScriptedTei([]);
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [timedOut.url, steady.url],
      model: 'm',
      healthCheck: false,
    });
    backend.replicas[1]!.outstandingRequests = 1; // the first replica is the least loaded, so tried first
    const result = await backend.doScore({ query: 'q', documents: ['a', 'b'] });
    backend.replicas[1]!.outstandingRequests = 0;
    expect(Array.from(result.scores)).toEqual([0.5, 0.5]);
    expect(timedOut.requests()).toBe(1);
    expect(steady.requests()).toBe(1);
    expect(backend.replicas[0]!.breaker.consecutiveFailures).toBe(1);
  });

  it('frees the half-open trial when it is answered 429, so the replica is tried again after its hold', async () => {
    await using upstream = await startScriptedTei([
      { status: 500, body: '{"error":"boom","error_type":"Backend"}' },
      { status: 429, headers: { 'retry-after': '2' } },
    ]);
    let clock = 0;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [upstream.url],
      model: 'm',
      maxAttempts: 1,
      breaker: { failureThreshold: 1, coolDownMs: 1_000, now: () => clock },
      healthCheck: false,
    });
    const breaker = backend.replicas[0]!.breaker;
    await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(breaker.state).toBe('open');
    clock += 1_000;
    // The trial is answered 429: busy, not broken; neither a failure nor a success.
    const busy = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(busy).toMatchObject({ code: 'upstream_overloaded', retryAfterSeconds: 2 });
    expect(breaker.canPass()).toBe(true);
    expect(backend.isReady()).toBe(true);
    clock += 2_000;
    const result = await backend.doScore({ query: 'q', documents: ['a'] });
    expect(Array.from(result.scores)).toEqual([0.5]);
    expect(breaker.state).toBe('closed');
    expect(upstream.requests()).toBe(3);
  });
});
