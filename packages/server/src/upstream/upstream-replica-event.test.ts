import { describe, expect, it } from 'vitest';
import { ReplicaPool } from './replica-pool.js';
import type { UpstreamReplicaEvent } from './upstream-replica-event.js';
import { createDisposableBackend, scoringErrorOf, serveEngine } from './upstream-test-kit.js';

/**
 * A TEI-like engine: `GET /health` answers `health.status`; a call carrying the document `fail` gets a 500
 * whose text quotes its input (as FastAPI's errors do), any other call a score of 0 (a logit) per document.
 */
async function startEngine(health = { status: 200 }) {
  const engine = await serveEngine((incoming, outgoing) => {
    if (incoming.method === 'GET') {
      incoming.resume();
      outgoing.writeHead(health.status).end();
      return;
    }
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => {
      const { texts } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { texts: string[] };
      if (texts.includes('fail')) {
        outgoing
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`cannot score ${JSON.stringify(texts)}`);
        return;
      }
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify(texts.map((_, index) => ({ index, score: 0 }))));
    });
  });
  return Object.assign(engine, { health });
}

describe('replica events', () => {
  it('tells once when a health check starts failing and once when it passes again', async () => {
    await using engine = await startEngine();
    const events: UpstreamReplicaEvent[] = [];
    const pool = new ReplicaPool({
      baseUrls: [engine.url],
      upstream: 'upstream.tei',
      healthCheck: { path: '/health', timeoutMs: 1_000 },
      onReplicaEvent: (event) => events.push(event),
    });
    try {
      await pool.checkHealth();
      expect(events).toEqual([]);
      engine.health.status = 503;
      await pool.checkHealth();
      await pool.checkHealth();
      expect(events).toEqual([
        {
          upstream: 'upstream.tei',
          baseUrl: engine.url,
          kind: 'health-check-failed',
          reason: 'health check answered 503',
        },
      ]);
      engine.health.status = 200;
      await pool.checkHealth();
      await pool.checkHealth();
      expect(events.map((event) => event.kind)).toEqual(['health-check-failed', 'health-check-passed']);
      expect(events[1]).toEqual({
        upstream: 'upstream.tei',
        baseUrl: engine.url,
        kind: 'health-check-passed',
      });
    } finally {
      await pool.close();
    }
  });

  it('tells once when a circuit opens, with a reason free of the engine’s text, and once when it closes', async () => {
    await using engine = await startEngine();
    const events: UpstreamReplicaEvent[] = [];
    let clock = 0;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engine.url],
      model: 'm',
      maxAttempts: 1,
      breaker: { failureThreshold: 2, coolDownMs: 1_000, now: () => clock },
      healthCheck: false,
      onReplicaEvent: (event) => events.push(event),
    });
    await scoringErrorOf(backend.doScore({ query: 'q', documents: ['fail', 'patient 4711'] }));
    expect(events).toEqual([]);
    await scoringErrorOf(backend.doScore({ query: 'q', documents: ['fail', 'patient 4711'] }));
    expect(events).toEqual([
      {
        upstream: 'upstream.tei',
        baseUrl: engine.url,
        kind: 'circuit-opened',
        reason: '2 consecutive failures, the last: answered 500',
      },
    ]);
    // Refused while open, then a failed trial after the cool-down: the replica was already out, no new event.
    expect((await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }))).code).toBe(
      'upstream_unavailable',
    );
    clock += 1_000;
    await scoringErrorOf(backend.doScore({ query: 'q', documents: ['fail'] }));
    expect(events).toHaveLength(1);
    clock += 1_000;
    await backend.doScore({ query: 'q', documents: ['a'] });
    expect(events.map((event) => event.kind)).toEqual(['circuit-opened', 'circuit-closed']);
    expect(events[1]).toEqual({ upstream: 'upstream.tei', baseUrl: engine.url, kind: 'circuit-closed' });
    expect(JSON.stringify(events)).not.toContain('patient');
  });

  it('scores on when the listener throws', async () => {
    await using engine = await startEngine();
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engine.url],
      model: 'm',
      maxAttempts: 1,
      breaker: { failureThreshold: 1, coolDownMs: 0 },
      healthCheck: false,
      onReplicaEvent: () => {
        throw new Error('the log is broken');
      },
    });
    expect((await scoringErrorOf(backend.doScore({ query: 'q', documents: ['fail'] }))).code).toBe(
      'upstream_status_error',
    );
    const scored = await backend.doScore({ query: 'q', documents: ['a', 'b'] });
    expect(Array.from(scored.scores)).toEqual([0.5, 0.5]);
  });
});
