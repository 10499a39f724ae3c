import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { RequestRateLimiter, rateLimitHeaders } from './request-rate-limiter.js';
import { connectRedisClient, startRedisServer } from './start-redis-server.js';

describe('RequestRateLimiter', () => {
  it('allows the budget per key in memory, then refuses with the time to wait', async () => {
    const limiter = new RequestRateLimiter({ requests: 3, windowSeconds: 60 });
    const decisions = [];
    for (let attempt = 0; attempt < 4; attempt++) decisions.push(await limiter.consume('key-a'));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([2, 1, 0, 0]);
    expect((await limiter.consume('key-b')).allowed).toBe(true);
    const refused = decisions[3]!;
    expect(refused.resetMilliseconds).toBeGreaterThan(55_000);
    expect(rateLimitHeaders(refused)).toEqual({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': String(Math.ceil(refused.resetMilliseconds / 1000)),
      'retry-after': String(Math.ceil(refused.resetMilliseconds / 1000)),
    });
  });

  it('rejects nonsensical budgets', () => {
    expect(() => new RequestRateLimiter({ requests: 0, windowSeconds: 1 })).toThrow(RangeError);
    expect(() => new RequestRateLimiter({ requests: 1, windowSeconds: 0.5 })).toThrow(RangeError);
  });

  it('shares one budget between replicas through a real Redis, atomically under concurrency', async () => {
    await using redisServer = await startRedisServer();
    const connect = () =>
      new Redis({ port: redisServer.port, host: '127.0.0.1', enableOfflineQueue: false, lazyConnect: true });
    const first = connect();
    const second = connect();
    await Promise.all([first.connect(), second.connect()]);
    try {
      const replicaA = new RequestRateLimiter({ requests: 10, windowSeconds: 60, redis: first });
      const replicaB = new RequestRateLimiter({ requests: 10, windowSeconds: 60, redis: second });
      const decisions = await Promise.all(
        Array.from({ length: 30 }, (_, attempt) =>
          (attempt % 2 === 0 ? replicaA : replicaB).consume('shared-key'),
        ),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
      expect(await first.get('sealink:rl:shared-key')).toBe('30');
    } finally {
      first.disconnect();
      second.disconnect();
    }
  });

  it('keeps limiting in memory while Redis is down', async () => {
    const redisServer = await startRedisServer();
    const client = await connectRedisClient(redisServer, 0);
    await redisServer.stop();
    try {
      const limiter = new RequestRateLimiter({ requests: 2, windowSeconds: 60, redis: client });
      const decisions = [];
      for (let attempt = 0; attempt < 3; attempt++) decisions.push((await limiter.consume('k')).allowed);
      expect(decisions).toEqual([true, true, false]);
    } finally {
      client.disconnect();
    }
  });
});

describe('RequestRateLimiter with a Redis that stops answering', () => {
  it('falls back to counting in memory within its Redis timeout instead of waiting for Redis forever', async () => {
    await using redisServer = await startRedisServer();
    const client = await connectRedisClient(redisServer, 1);
    // Long enough that a call waiting for it stands out from calls that do not, even on a loaded machine: a
    // call counted in memory takes a few milliseconds, one that queues behind the stalled Redis the whole 2 s.
    const redisTimeoutMs = 2_000;
    try {
      const limiter = new RequestRateLimiter({
        requests: 2,
        windowSeconds: 60,
        redis: client,
        redisTimeoutMs,
      });
      expect((await limiter.consume('k')).allowed).toBe(true);
      // A stalled Redis (paused, a network partition) keeps the connection open and answers nothing.
      redisServer.pause();
      const decisions = [];
      const durations = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const started = performance.now();
        decisions.push((await limiter.consume('k')).allowed);
        durations.push(performance.now() - started);
      }
      // The first call waits for the timeout, not for Redis: it ends however long Redis stalls (the margin
      // is for a loaded machine). The next ones do not queue behind the stalled Redis: each would take
      // the whole timeout if it did; the bound is half of it, half way between that and a few milliseconds.
      expect(durations[0]).toBeGreaterThanOrEqual(redisTimeoutMs - 5);
      expect(durations[0]).toBeLessThan(redisTimeoutMs * 3);
      expect(durations[1]).toBeLessThan(redisTimeoutMs / 2);
      expect(durations[2]).toBeLessThan(redisTimeoutMs / 2);
      expect(decisions).toEqual([true, true, false]);
      // Once Redis answers again (the stalled call included), decisions are shared through it again.
      redisServer.resume();
      // Redis, thawed, answers the commands queued while it stalled first: on a loaded machine that can take
      // more than waitFor's default second.
      await vi.waitFor(
        async () => {
          expect((await limiter.consume('fresh')).remaining).toBe(1);
          expect(await client.get('sealink:rl:fresh')).not.toBeNull();
        },
        { timeout: 10_000 },
      );
    } finally {
      redisServer.resume();
      client.disconnect();
    }
  });
});
