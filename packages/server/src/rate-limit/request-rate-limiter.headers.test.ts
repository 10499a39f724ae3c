import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateLimitHeaders } from './request-rate-limiter.js';

describe('rateLimitHeaders', () => {
  it('never tells a refused client to retry after 0 seconds, even at the very end of the window', () => {
    expect(rateLimitHeaders({ allowed: false, limit: 5, remaining: 0, resetMilliseconds: 0 })).toEqual({
      'x-ratelimit-limit-requests': '5',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1',
      'retry-after': '1',
    });
  });

  it('gives whole seconds, rounded up and at least 1, and Retry-After only when refused', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (allowed, limit, resetMilliseconds) => {
          const headers = rateLimitHeaders({ allowed, limit, remaining: 0, resetMilliseconds });
          const seconds = Number(headers['x-ratelimit-reset-requests']);
          expect(Number.isInteger(seconds)).toBe(true);
          expect(seconds).toBeGreaterThanOrEqual(1);
          expect(seconds * 1000).toBeGreaterThanOrEqual(resetMilliseconds);
          // Rounded up, not further: at most a second late.
          if (resetMilliseconds > 0) expect(seconds * 1000 - resetMilliseconds).toBeLessThan(1000);
          expect(headers['retry-after']).toBe(allowed ? undefined : String(seconds));
        },
      ),
    );
  });
});
