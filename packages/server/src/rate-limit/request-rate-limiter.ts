import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** Options of {@link RequestRateLimiter}. */
export interface RequestRateLimiterOptions {
  /** How many requests one key may make per window. */
  requests: number;
  /** The length of the window, in seconds. */
  windowSeconds: number;
  /**
   * A Redis connection (ioredis) to share the budget between server replicas. Without one, each
   * process counts alone, in memory. Create it with `enableOfflineQueue: false` so a Redis outage
   * fails fast; while Redis is unreachable, the limiter falls back to counting in memory.
   */
  redis?: Redis;
  /** The prefix of the Redis keys; `sealink:rl` by default. */
  keyPrefix?: string;
  /**
   * How long a decision waits for Redis, in milliseconds, before it is made in memory instead; 250 by
   * default. A stalled Redis (paused, overloaded, or behind a network partition that keeps the connection
   * open) then slows a request by at most this much rather than holding it until the connection dies, and
   * the requests after it count in memory at once until Redis answers again.
   */
  redisTimeoutMs?: number;
}

/** What the limiter decided for one request. */
export interface RateLimitDecision {
  /** Whether the request may proceed. */
  allowed: boolean;
  /** The requests allowed per window. */
  limit: number;
  /** The requests left in the current window. */
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMilliseconds: number;
}

/**
 * A fixed-window request limiter per key (an API key's digest, or the client address when auth is off),
 * atomic in Redis so that every server replica shares one budget. Built on `rate-limiter-flexible`, a
 * well-kept library whose Redis mode uses one Lua script per call and has an in-memory insurance limiter.
 */
export class RequestRateLimiter {
  readonly #memory: RateLimiterMemory;
  readonly #redis: RateLimiterRedis | undefined;
  readonly #redisTimeoutMs: number;
  /** Redis calls that outlived the Redis timeout and have not settled yet: while any is left, Redis is skipped. */
  #stalledRedisCalls = 0;
  readonly #limit: number;

  constructor(options: RequestRateLimiterOptions) {
    if (!(Number.isInteger(options.requests) && options.requests > 0)) {
      throw new RangeError(`requests must be a positive integer, got ${options.requests}`);
    }
    if (!(Number.isInteger(options.windowSeconds) && options.windowSeconds > 0)) {
      throw new RangeError(`windowSeconds must be a positive integer, got ${options.windowSeconds}`);
    }
    const redisTimeoutMs = options.redisTimeoutMs ?? 250;
    if (!(Number.isFinite(redisTimeoutMs) && redisTimeoutMs > 0)) {
      throw new RangeError(`redisTimeoutMs must be a positive number, got ${options.redisTimeoutMs}`);
    }
    this.#limit = options.requests;
    this.#redisTimeoutMs = redisTimeoutMs;
    const keyPrefix = options.keyPrefix ?? 'sealink:rl';
    this.#memory = new RateLimiterMemory({
      points: options.requests,
      duration: options.windowSeconds,
      keyPrefix,
    });
    // No `insuranceLimiter`: the fallback to memory is made here, so that a Redis call that fails after
    // its timeout already fell back does not count the request in memory a second time.
    this.#redis =
      options.redis === undefined
        ? undefined
        : new RateLimiterRedis({
            storeClient: options.redis,
            points: options.requests,
            duration: options.windowSeconds,
            keyPrefix,
            rejectIfRedisNotReady: true,
          });
  }

  /** Counts one request for `key` and says whether it may proceed. */
  async consume(key: string): Promise<RateLimitDecision> {
    try {
      const result = await (this.#redis === undefined ? this.#memory.consume(key) : this.#consumeShared(key));
      return this.#decision(true, result);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return this.#decision(false, rejection);
      throw rejection;
    }
  }

  /**
   * Counts in Redis, or in memory when Redis fails (down, not connected) or does not answer within the
   * Redis timeout. Rejects with a `RateLimiterRes` when the request is over the budget.
   *
   * While a Redis call that timed out is still unanswered (a stalled Redis), later requests count in memory
   * at once: they neither wait the timeout each nor pile up commands in the client's queue, which a
   * stalled connection would hold until it dies. The first answer from Redis lets them use it again.
   */
  #consumeShared(key: string): Promise<RateLimiterRes> {
    if (this.#stalledRedisCalls > 0) return this.#memory.consume(key);
    const redis = this.#redis!;
    return new Promise<RateLimiterRes>((resolve, reject) => {
      let settled = false;
      let stalled = false;
      const inMemory = () => {
        if (settled) return;
        settled = true;
        this.#memory.consume(key).then(resolve, reject);
      };
      const timer = setTimeout(() => {
        stalled = true;
        this.#stalledRedisCalls++;
        inMemory();
      }, this.#redisTimeoutMs);
      const answered = () => {
        clearTimeout(timer);
        if (stalled) this.#stalledRedisCalls--;
      };
      redis.consume(key).then(
        (result) => {
          answered();
          if (settled) return;
          settled = true;
          resolve(result);
        },
        (rejection: unknown) => {
          answered();
          if (rejection instanceof RateLimiterRes) {
            if (settled) return;
            settled = true;
            reject(rejection);
          } else {
            inMemory();
          }
        },
      );
    });
  }

  #decision(allowed: boolean, result: RateLimiterRes): RateLimitDecision {
    return {
      allowed,
      limit: this.#limit,
      remaining: Math.max(0, result.remainingPoints),
      resetMilliseconds: Math.max(0, result.msBeforeNext),
    };
  }
}

/**
 * The response headers that describe a decision: `x-ratelimit-limit-requests`,
 * `x-ratelimit-remaining-requests`, `x-ratelimit-reset-requests` (seconds), and `retry-after`
 * (whole seconds, at least 1) when the request was refused.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const resetSeconds = Math.max(1, Math.ceil(decision.resetMilliseconds / 1000));
  const headers: Record<string, string> = {
    'x-ratelimit-limit-requests': String(decision.limit),
    'x-ratelimit-remaining-requests': String(decision.remaining),
    'x-ratelimit-reset-requests': String(resetSeconds),
  };
  if (!decision.allowed) headers['retry-after'] = String(resetSeconds);
  return headers;
}
