import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
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

  it('skips a replica held back after a 429 until its hold ends, while readiness still counts it', async () => {
    let clock = 0;
    const pool = new ReplicaPool({ baseUrls: URLS.slice(0, 2), breaker: { now: () => clock } });
    try {
      const [first, second] = pool.replicas;
      first!.holdBack(2_500);
      for (let call = 0; call < 4; call++) {
        const taken = pool.acquire();
        expect(taken).toBe(second);
        pool.release(taken!);
      }
      expect(pool.isSaturated()).toBe(false);
      second!.holdBack(1_000);
      expect(pool.acquire()).toBeUndefined();
      expect(pool.isSaturated()).toBe(true);
      expect(pool.hasAvailableReplica()).toBe(true);
      expect(pool.retryAfterSeconds()).toBe(1);
      // A shorter hold does not cut a longer one short.
      first!.holdBack(100);
      expect(first!.remainingHoldMs).toBe(2_500);
      clock += 1_000;
      expect(pool.isSaturated()).toBe(false);
      expect(pool.acquire()).toBe(second);
      expect(pool.retryAfterSeconds()).toBe(1);
      clock += 1_500;
      expect(first!.remainingHoldMs).toBe(0);
      expect(pool.acquire()).toBe(first);
      // Holds count for no breaker: both circuits are untouched.
      expect(pool.replicas.map((replica) => replica.breaker.state)).toEqual(['closed', 'closed']);
    } finally {
      await pool.close();
    }
  });

  it('refuses an empty list and base URLs with credentials or another protocol', () => {
    expect(() => new ReplicaPool({ baseUrls: [] })).toThrow(TypeError);
    expect(() => new ReplicaPool({ baseUrls: ['http://user:pass@127.0.0.1:1'] })).toThrow(/credentials/);
    expect(() => new ReplicaPool({ baseUrls: ['ftp://127.0.0.1:1'] })).toThrow(/http or https/);
    for (const baseUrl of ['http://127.0.0.1:1/v1?key=x', 'http://127.0.0.1:1/#a', 'http://127.0.0.1:1?']) {
      expect(() => new ReplicaPool({ baseUrls: [baseUrl] })).toThrow(/query string or fragment/);
    }
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

  it('ties nothing of a health check to a signal that outlives it, and still cuts a check that hangs', async () => {
    // On Node 20, every `AbortSignal.any` keeps a reference in each of its sources for good: a check
    // combining the pool's lifelong close signal with its timeout grew that signal by one entry every
    // round, on every replica, for as long as the server ran.
    let hang = false;
    const server = createServer((incoming, outgoing) => {
      incoming.resume();
      if (hang) return;
      outgoing.writeHead(200, { 'content-type': 'text/plain' });
      outgoing.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // Calls through to the real `AbortSignal.any`, recording what each call combined.
    const any = vi.spyOn(AbortSignal, 'any');
    const pool = new ReplicaPool({
      baseUrls: [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}/prefixed`],
      // Far above a check's answer time on a loaded machine (a healthy check cut by it would fail the test;
      // a loaded two-core machine was seen to delay timers by 500 ms), and short enough that a hanging check
      // is cut well within the 3 s bound below.
      healthCheck: { path: '/health', timeoutMs: 1_000 },
    });
    try {
      for (let round = 0; round < 3; round++) await pool.checkHealth();
      expect(pool.replicas.map((replica) => replica.healthy)).toEqual([true, true]);
      const uses = new Map<AbortSignal, number>();
      for (const [signals] of any.mock.calls)
        for (const signal of signals) uses.set(signal, (uses.get(signal) ?? 0) + 1);
      expect([...uses.values()].filter((count) => count > 1)).toEqual([]);
      hang = true;
      const started = performance.now();
      await pool.checkHealth();
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(pool.replicas.map((replica) => replica.healthy)).toEqual([false, false]);
    } finally {
      any.mockRestore();
      await pool.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
