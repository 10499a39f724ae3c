import { describe, expect, it } from 'vitest';
import { ReplicaPool } from './replica-pool.js';

const URLS = ['http://127.0.0.1:1', 'http://127.0.0.1:2', 'http://127.0.0.1:3'];

describe('ReplicaPool', () => {
  it('takes the replica with the fewest outstanding requests, and spreads equal loads', async () => {
    const pool = new ReplicaPool({ baseUrls: URLS });
    try {
      const taken = Array.from({ length: 9 }, () => pool.acquire());
      expect(pool.replicas.map((replica) => replica.outstandingRequests)).toEqual([3, 3, 3]);
      pool.release(taken[0]!);
      expect(pool.acquire()).toBe(taken[0]);
    } finally {
      await pool.close();
    }
  });

  it('skips excluded, unhealthy and open-circuit replicas, and says when none is left', async () => {
    const pool = new ReplicaPool({
      baseUrls: URLS,
      breaker: { failureThreshold: 1, coolDownMs: 60_000, now: () => 0 },
    });
    try {
      const [first, second, third] = pool.replicas;
      first!.healthy = false;
      second!.breaker.recordFailure();
      expect(pool.acquire()).toBe(third);
      expect(pool.acquire(new Set([third!]))).toBeUndefined();
      expect(pool.hasAvailableReplica()).toBe(true);
      third!.breaker.recordFailure();
      expect(pool.hasAvailableReplica()).toBe(false);
      expect(pool.retryAfterSeconds()).toBe(5);
    } finally {
      await pool.close();
    }
  });

  it('refuses an empty list and base URLs with credentials or another protocol', () => {
    expect(() => new ReplicaPool({ baseUrls: [] })).toThrow(TypeError);
    expect(() => new ReplicaPool({ baseUrls: ['http://user:pass@127.0.0.1:1'] })).toThrow(/credentials/);
    expect(() => new ReplicaPool({ baseUrls: ['ftp://127.0.0.1:1'] })).toThrow(/http or https/);
  });

  it('keeps a base URL path as the prefix of every route', async () => {
    const pool = new ReplicaPool({ baseUrls: ['https://api.example.com/compatible-mode/'] });
    try {
      expect(pool.replicas[0]!.pathPrefix).toBe('/compatible-mode');
      expect(pool.replicas[0]!.baseUrl).toBe('https://api.example.com/compatible-mode');
    } finally {
      await pool.close();
    }
  });
});
