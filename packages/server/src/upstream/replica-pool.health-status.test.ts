import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplicaPool } from './replica-pool.js';
import { serveEngine } from './upstream-test-kit.js';

describe('ReplicaPool active health checks', () => {
  it('counts a replica healthy only when its health route answers 2xx', async () => {
    let status = 200;
    await using engine = await serveEngine((_incoming, outgoing) => {
      outgoing.writeHead(status, status >= 300 && status < 400 ? { location: '/elsewhere' } : {});
      outgoing.end();
    });
    const pool = new ReplicaPool({
      baseUrls: [engine.url],
      healthCheck: { path: '/health', timeoutMs: 2_000 },
    });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.integer({ min: 200, max: 299 }),
            fc.constantFrom(300, 301, 302, 304, 399, 400, 404, 429, 500, 503),
          ),
          async (answered) => {
            status = answered;
            await pool.checkHealth();
            const replica = pool.replicas[0]!;
            const healthy = answered >= 200 && answered <= 299;
            expect(replica.healthy).toBe(healthy);
            expect(replica.lastHealthProblem).toBe(healthy ? undefined : `health check answered ${answered}`);
          },
        ),
        { numRuns: 40, examples: [[300], [299], [200]] },
      );
    } finally {
      await pool.close();
    }
  });
});
