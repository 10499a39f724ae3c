import { describe, expect, it, vi } from 'vitest';
import {
  answerTeiZeroScores,
  createDisposableBackend,
  readTeiTexts,
  scoringErrorOf,
  serveEngine,
  startMockEngines,
} from './upstream-test-kit.js';

/**
 * A TEI-like engine that scores every text 0 (a logit) after `delayMs`, counting the requests it received
 * and the most it held at once.
 */
async function startCountingTei(delayMs: number) {
  let received = 0;
  let inFlight = 0;
  let peak = 0;
  const engine = await serveEngine((incoming, outgoing) => {
    readTeiTexts(incoming, (texts) => {
      received++;
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        answerTeiZeroScores(outgoing, texts);
      }, delayMs);
    });
  });
  return { ...engine, received: () => received, peak: () => peak };
}

const documentsOf = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `document ${index} about sourdough`);

/**
 * A backend on the one replica `url` that sends one document a sub-request, at most 2 at once: a call of
 * more documents queues the rest. `limits` adds attempt and deadline limits.
 */
function createQueuingBackend(url: string, limits: { timeoutMs?: number; deadlineMs?: number } = {}) {
  return createDisposableBackend({
    type: 'tei',
    baseUrls: [url],
    model: 'm',
    maxBatch: 1,
    maxBatchesInFlightPerReplica: 2,
    ...limits,
    healthCheck: false,
  });
}

describe('a call of many sub-batches', () => {
  it('does not time out against healthy engines that compute one batch at a time, nor open their circuits', async () => {
    // 1,000 documents are 32 sub-batches of TEI's 32. Sent all at once, the last ones waited in each engine
    // behind the call's own others (16 × 62 ms) while their attempt timers ran: every attempt timed out and
    // both circuits opened, so the model went down for every client. Two at a time, an attempt waits for at
    // most one other (2 × 62 ms), far within its timeout even on a loaded machine; all at once, the later
    // half of each engine's sub-batches would outlast it.
    await using engines = await startMockEngines(2, { latencyPerDocumentMs: 2 });
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: engines.map((engine) => engine.url),
      model: 'm',
      timeoutMs: 600,
      deadlineMs: 10_000,
      healthCheck: false,
    });
    const result = await backend.doScore({ query: 'sourdough', documents: documentsOf(1000) });
    expect(result.scores).toHaveLength(1000);
    for (const replica of backend.replicas) {
      expect(replica.breaker.state).toBe('closed');
      expect(replica.breaker.consecutiveFailures).toBe(0);
    }
    // Every sub-batch was sent once, spread over both replicas (the scatter-gather speed-up stays).
    expect(engines[0]!.scoredRequests + engines[1]!.scoredRequests).toBe(32);
    expect(engines[0]!.scoredRequests).toBeGreaterThanOrEqual(12);
    expect(engines[1]!.scoredRequests).toBeGreaterThanOrEqual(12);
  }, 30_000);

  it('keeps at most maxBatchesInFlightPerReplica sub-batches of one call on each replica, 2 by default', async () => {
    await using first = await startCountingTei(20);
    await using second = await startCountingTei(20);
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [first.url, second.url],
      model: 'm',
      maxBatch: 2,
      healthCheck: false,
    });
    expect(backend.maxBatchesInFlightPerReplica).toBe(2);
    const result = await backend.doScore({ query: 'q', documents: documentsOf(40) });
    expect(Array.from(result.scores)).toEqual(Array(40).fill(0.5));
    expect(first.received() + second.received()).toBe(20);
    expect(first.peak()).toBe(2);
    expect(second.peak()).toBe(2);

    await using one = await startCountingTei(20);
    await using capped = createDisposableBackend({
      type: 'tei',
      baseUrls: [one.url],
      model: 'm',
      maxBatch: 2,
      maxBatchesInFlightPerReplica: 3,
      healthCheck: false,
    });
    await capped.doScore({ query: 'q', documents: documentsOf(16) });
    expect(one.received()).toBe(8);
    expect(one.peak()).toBe(3);
  });

  it('counts only the replicas that may take a call: with one circuit open, the other gets no more than its share', async () => {
    await using first = await startCountingTei(20);
    await using second = await startCountingTei(20);
    const clock = 0;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [first.url, second.url],
      model: 'm',
      maxBatch: 2,
      maxBatchesInFlightPerReplica: 3,
      breaker: { failureThreshold: 1, coolDownMs: 60_000, now: () => clock },
      healthCheck: false,
    });
    // Open the first replica's circuit.
    const down = backend.replicas[0]!;
    expect(down.breaker.tryAcquire()).toBe(true);
    down.breaker.recordFailure();
    expect(down.breaker.state).toBe('open');
    await backend.doScore({ query: 'q', documents: documentsOf(20) });
    expect(first.received()).toBe(0);
    expect(second.received()).toBe(10);
    expect(second.peak()).toBe(3);
  });

  it('sends no queued sub-batch once the caller aborts, and stops at once', async () => {
    await using engine = await startCountingTei(10_000);
    await using backend = createQueuingBackend(engine.url);
    const caller = new AbortController();
    const call = backend.doScore({ query: 'q', documents: documentsOf(10), abortSignal: caller.signal });
    await vi.waitFor(() => expect(engine.received()).toBe(2), { timeout: 10_000 });
    const started = performance.now();
    caller.abort(new Error('client went away'));
    await expect(call).rejects.toThrow('client went away');
    // A call that waited for its sub-batches in flight would take the engine's 10 s: the bound is half that.
    expect(performance.now() - started).toBeLessThan(5_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.received()).toBe(2);
    expect(backend.replicas[0]!.breaker.consecutiveFailures).toBe(0);
    expect(backend.replicas[0]!.outstandingRequests).toBe(0);
  });

  it('sends no queued sub-batch once the deadline passes, and answers 504 at the deadline', async () => {
    await using engine = await startCountingTei(10_000);
    // A deadline long enough for the first two sub-batches to reach the engine even on a loaded machine
    // (with 100 ms they could be cut before they were sent, and the engine got fewer than two).
    await using backend = createQueuingBackend(engine.url, { timeoutMs: 5_000, deadlineMs: 500 });
    const started = performance.now();
    const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: documentsOf(10) }));
    expect(error).toMatchObject({ type: 'timeout_error', code: 'upstream_deadline_exceeded' });
    // Half way between the 500 ms deadline and the 5 s timeout a call that missed its deadline would wait.
    expect(performance.now() - started).toBeLessThan(2_750);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.received()).toBe(2);
  });

  it('refuses a maxBatchesInFlightPerReplica that is not a positive integer', () => {
    for (const maxBatchesInFlightPerReplica of [0, -1, 1.5, Number.NaN]) {
      expect(() =>
        createDisposableBackend({
          type: 'tei',
          baseUrls: ['http://127.0.0.1:1'],
          model: 'm',
          maxBatchesInFlightPerReplica,
          healthCheck: false,
        }),
      ).toThrow(/maxBatchesInFlightPerReplica must be a positive integer/);
    }
  });
});
