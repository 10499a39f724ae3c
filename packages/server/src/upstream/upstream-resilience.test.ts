import { describe, expect, it, vi } from 'vitest';
import {
  answerTeiZeroScores,
  createClockedBackend,
  createDisposableBackend,
  readTeiTexts,
  scoringErrorOf,
  serveEngine,
  startMockEngines,
  startScriptedTei,
} from './upstream-test-kit.js';

const DOCUMENTS = Array.from({ length: 40 }, (_, index) => `document ${index} on sourdough starter feeding`);

/**
 * A TEI-like engine on 127.0.0.1 that answers its first `limited` scoring requests 429 with
 * `Retry-After: retryAfter` (the mock engines send none), then scores every document 0 (a logit).
 */
function startRateLimitedTei(limited: number, retryAfter: string) {
  return startScriptedTei(
    Array.from({ length: limited }, () => ({
      status: 429,
      headers: { 'retry-after': retryAfter },
      body: '{"error":"Model is overloaded","error_type":"Overloaded"}',
    })),
  );
}

describe('replicas', () => {
  it('a replica killed mid-load leaves no failed request while another is healthy', async () => {
    await using engines = await startMockEngines(2, {
      latencyPerDocumentMs: 0.05,
      latencyMs: 5,
      maxBatch: 32,
    });
    const doomed = engines[0]!;
    const survivor = engines[1]!;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [doomed.url, survivor.url],
      model: 'm',
      maxBatch: 10,
      healthCheck: { intervalMs: 50 },
    });
    await backend.load();
    const outcomes: Array<'ok' | unknown> = [];
    let sent = 0;
    const worker = async () => {
      while (sent < 60) {
        sent++;
        if (sent === 20) doomed.kill();
        try {
          const result = await backend.doScore({ query: 'sourdough feeding', documents: DOCUMENTS });
          outcomes.push(result.scores.length === DOCUMENTS.length ? 'ok' : 'wrong length');
        } catch (error) {
          outcomes.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual([]);
    expect(outcomes).toHaveLength(60);
    expect(doomed.scoredRequests).toBeGreaterThan(0);
    expect(survivor.scoredRequests).toBeGreaterThan(doomed.scoredRequests);
  }, 30_000);

  it('opens a failing replica’s circuit, serves from the others, and closes it once the replica recovers', async () => {
    await using engines = await startMockEngines(2);
    const flaky = engines[0]!;
    const steady = engines[1]!;
    flaky.failNext(1_000_000, 500);
    let clock = 0;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [flaky.url, steady.url],
      model: 'm',
      breaker: { failureThreshold: 3, coolDownMs: 1000, now: () => clock },
      healthCheck: false,
    });
    for (let request = 0; request < 20; request++) {
      const result = await backend.doScore({ query: 'q', documents: ['a', 'b'] });
      expect(result.scores).toHaveLength(2);
    }
    const breaker = backend.replicas[0]!.breaker;
    expect(breaker.state).toBe('open');
    // While open, the failing replica gets no traffic: 3 failures opened it and nothing since.
    expect(flaky.requests).toHaveLength(3);
    flaky.failNext(0);
    clock += 1000;
    expect(breaker.state).toBe('half-open');
    for (let request = 0; request < 10; request++) await backend.doScore({ query: 'q', documents: ['a'] });
    expect(breaker.state).toBe('closed');
    expect(flaky.scoredRequests).toBeGreaterThan(0);
  });

  it('answers 503 overloaded_error with a retry hint when every replica is down', async () => {
    await using engines = await startMockEngines(2);
    for (const engine of engines) engine.kill();
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: engines.map((engine) => engine.url),
      model: 'm',
      breaker: { failureThreshold: 1, coolDownMs: 5_000, now: () => 0 },
      healthCheck: false,
    });
    const first = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(first.type).toBe('overloaded_error');
    expect(first.code).toBe('upstream_unavailable');
    // Both circuits are open now: the next call fails at once without a connection attempt.
    const second = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(second.type).toBe('overloaded_error');
    expect(second.retryAfterSeconds).toBe(5);
    expect(backend.isReady()).toBe(false);
  });

  it('retries a 500 on another replica and reports a 502 with the status when every replica fails', async () => {
    await using engines = await startMockEngines(2);
    engines[0]!.failNext(1, 500);
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: engines.map((engine) => engine.url),
      model: 'm',
      healthCheck: false,
    });
    backend.replicas[1]!.outstandingRequests = 1; // make the first replica the least loaded, so it is tried first
    const result = await backend.doScore({ query: 'q', documents: ['a'] });
    expect(result.scores).toHaveLength(1);
    expect(engines[0]!.requests).toHaveLength(1);
    backend.replicas[1]!.outstandingRequests = 0;
    for (const engine of engines) engine.failNext(1, 500);
    const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(error.type).toBe('upstream_error');
    expect(error.message).toContain('answered 500: injected failure');
  });

  it('retries a dropped connection on the same replica when it is the only one', async () => {
    await using engines = await startMockEngines(1);
    engines[0]!.resetNext(1);
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engines[0]!.url],
      model: 'm',
      healthCheck: false,
    });
    const result = await backend.doScore({ query: 'q', documents: ['a', 'b'] });
    expect(result.scores).toHaveLength(2);
    expect(engines[0]!.requests).toHaveLength(2);
    expect(engines[0]!.scoredRequests).toBe(1);
  });

  it('answers 503 with the engine’s overload when every replica answers 429', async () => {
    await using engines = await startMockEngines(1);
    engines[0]!.failNext(1, 429);
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engines[0]!.url],
      model: 'm',
      healthCheck: false,
    });
    const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(error.type).toBe('overloaded_error');
    expect(error.code).toBe('upstream_overloaded');
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('holds a replica that answers 429 back until its Retry-After instead of opening its circuit', async () => {
    await using engines = await startMockEngines(1);
    const engine = engines[0]!;
    engine.failNext(3, 429);
    let clock = 0;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engine.url],
      model: 'm',
      breaker: { failureThreshold: 2, coolDownMs: 30_000, now: () => clock },
      healthCheck: false,
    });
    // Three 429s in a row, more than the breaker's threshold of 2.
    for (let round = 1; round <= 3; round++) {
      const answered = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
      expect(answered).toMatchObject({
        type: 'overloaded_error',
        code: 'upstream_overloaded',
        retryAfterSeconds: 1,
      });
      // Held back (1 s without a Retry-After): refused at once, without reaching the engine.
      const held = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
      expect(held).toMatchObject({
        type: 'overloaded_error',
        code: 'upstream_overloaded',
        retryAfterSeconds: 1,
      });
      expect(engine.requests).toHaveLength(round);
      expect(backend.isReady()).toBe(true);
      clock += 1_000;
    }
    expect(backend.replicas[0]!.breaker.state).toBe('closed');
    expect(backend.replicas[0]!.breaker.consecutiveFailures).toBe(0);
    const result = await backend.doScore({ query: 'q', documents: ['a', 'b'] });
    expect(result.scores).toHaveLength(2);
  });

  it.each([
    ['7', 7],
    ['3600', 60],
  ])(
    'holds the replica for its Retry-After of %s s (at most 60 s) and tells the client so',
    async (header, seconds) => {
      await using upstream = await startRateLimitedTei(1, header);
      let clock = 0;
      await using backend = createClockedBackend(upstream.url, () => clock);
      const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
      expect(error).toMatchObject({ code: 'upstream_overloaded', retryAfterSeconds: seconds });
      expect(backend.replicas[0]!.remainingHoldMs).toBe(seconds * 1000);
      clock += seconds * 1000 - 1;
      expect(
        (await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }))).retryAfterSeconds,
      ).toBe(1);
      expect(upstream.requests()).toBe(1);
      clock += 1;
      const result = await backend.doScore({ query: 'q', documents: ['a'] });
      expect(result.scores).toHaveLength(1);
      expect(upstream.requests()).toBe(2);
    },
  );

  it('serves every request through another replica while one answers 429, and keeps that one’s circuit closed', async () => {
    await using engines = await startMockEngines(2);
    const limited = engines[0]!;
    const steady = engines[1]!;
    limited.failNext(1_000_000, 429);
    let clock = 0;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [limited.url, steady.url],
      model: 'm',
      breaker: { failureThreshold: 3, now: () => clock },
      healthCheck: false,
    });
    backend.replicas[1]!.outstandingRequests = 1; // the rate-limited replica is the least loaded, so tried first
    for (let request = 0; request < 6; request++) {
      const result = await backend.doScore({ query: 'q', documents: ['a', 'b'] });
      expect(result.scores).toHaveLength(2);
      // While held back it is skipped: one 429 per second of the clock, not one per request.
      const again = await backend.doScore({ query: 'q', documents: ['a'] });
      expect(again.scores).toHaveLength(1);
      expect(limited.requests).toHaveLength(request + 1);
      clock += 1_000;
    }
    expect(steady.scoredRequests).toBe(12);
    expect(backend.replicas[0]!.breaker.state).toBe('closed');
    backend.replicas[1]!.outstandingRequests = 0;
  });

  it('stops sending to a replica whose active health check fails, and takes it back when it passes', async () => {
    await using engines = await startMockEngines(2);
    const sick = engines[0]!;
    const well = engines[1]!;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [sick.url, well.url],
      model: 'm',
      healthCheck: { intervalMs: 20 },
    });
    await backend.load();
    sick.setHealthy(false);
    await vi.waitFor(() => expect(backend.replicas[0]!.healthy).toBe(false), { timeout: 10_000 });
    const before = sick.scoredRequests;
    for (let request = 0; request < 10; request++) await backend.doScore({ query: 'q', documents: ['a'] });
    expect(sick.scoredRequests).toBe(before);
    sick.setHealthy(true);
    await vi.waitFor(() => expect(backend.replicas[0]!.healthy).toBe(true), { timeout: 10_000 });
    expect(backend.isReady()).toBe(true);
  });
});

describe('answers too large to read', () => {
  it('are a 502 upstream_invalid_response, not retried, and no failure of the replica', async () => {
    // An answer over the 64 MiB the gateway reads (vLLM echoes every document) was taken for a dropped
    // connection: the client got 503 "could not be reached", the same costly call went to every replica in
    // turn, and each counted it against its circuit, so a few such calls took every replica out.
    let requests = 0;
    const megabyte = Buffer.alloc(1024 * 1024, 0x20);
    const flood = async () =>
      serveEngine((incoming, outgoing) => {
        requests++;
        incoming.resume();
        outgoing.writeHead(200, { 'content-type': 'application/json' });
        let sent = 0;
        const write = () => {
          while (sent < 66) {
            sent++;
            if (!outgoing.write(megabyte)) {
              outgoing.once('drain', write);
              return;
            }
          }
          outgoing.end('[]');
        };
        write();
      });
    await using first = await flood();
    await using second = await flood();
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [first.url, second.url],
      model: 'm',
      healthCheck: false,
    });
    const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(error).toMatchObject({ type: 'upstream_error', code: 'upstream_invalid_response' });
    expect(error.message).toBe(
      'the upstream.tei upstream answered with a body larger than the 64 MiB the gateway reads',
    );
    expect(requests).toBe(1);
    expect(backend.replicas.map((replica) => replica.breaker.consecutiveFailures)).toEqual([0, 0]);
  });
});

describe('half-open circuits', () => {
  it('lets one trial through at a time even when a call sent before the circuit opened ends without a verdict', async () => {
    // A TEI-like engine: a document `fail` is answered 500 at once, `slow` never, anything else 0 (a logit).
    const received: string[][] = [];
    await using replica = await serveEngine((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('end', () => {
        const { texts } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { texts: string[] };
        received.push(texts);
        if (texts.includes('slow')) return;
        if (texts.includes('fail')) {
          outgoing.writeHead(500, { 'content-type': 'application/json' });
          outgoing.end('{"error":"boom","error_type":"Backend"}');
          return;
        }
        outgoing.writeHead(200, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify(texts.map((_, index) => ({ index, score: 0 }))));
      });
    });
    let clock = 0;
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [replica.url],
      model: 'm',
      maxAttempts: 1,
      breaker: { failureThreshold: 1, coolDownMs: 1_000, now: () => clock },
      healthCheck: false,
    });
    const breaker = backend.replicas[0]!.breaker;
    const early = new AbortController();
    const trial = new AbortController();
    // Disposed before the backend, whose close waits for calls in flight, even when an assertion fails.
    await using _calls = {
      [Symbol.asyncDispose]: async () => {
        early.abort(new Error('test over'));
        trial.abort(new Error('test over'));
      },
    };
    // A call in flight while the circuit is closed, whose client will go away.
    const earlyCall = backend.doScore({ query: 'q', documents: ['slow'], abortSignal: early.signal });
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000 });
    // A failure opens the circuit; after the cool-down one trial call goes through and hangs.
    await scoringErrorOf(backend.doScore({ query: 'q', documents: ['fail'] }));
    expect(breaker.state).toBe('open');
    clock += 1_000;
    const trialCall = backend.doScore({ query: 'q', documents: ['slow'], abortSignal: trial.signal });
    await vi.waitFor(() => expect(received).toHaveLength(3), { timeout: 10_000 });
    expect(breaker.canPass()).toBe(false);
    // The early call ends without a verdict: that must not free the trial, which is still in flight.
    early.abort(new Error('client went away'));
    await expect(earlyCall).rejects.toThrow('client went away');
    expect(breaker.canPass()).toBe(false);
    const refused = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(refused.code).toBe('upstream_unavailable');
    expect(received).toHaveLength(3);
    // The trial ending without a verdict frees it for the next call, which closes the circuit.
    trial.abort(new Error('client went away'));
    await expect(trialCall).rejects.toThrow('client went away');
    const closing = await backend.doScore({ query: 'q', documents: ['a'] });
    expect(Array.from(closing.scores)).toEqual([0.5]);
    expect(breaker.state).toBe('closed');
  });
});

describe('half-open circuits and scatter-gather', () => {
  /**
   * A TEI-like engine that scores every text 0 (a logit) and records each request's texts; it answers
   * 500 to the requests `fail` picks. The `n`th answer waits `delayMs(n)` (20 ms by default), so
   * sub-requests sent in parallel overlap.
   */
  async function startRecordingTei(fail: (request: number) => boolean, delayMs = (_request: number) => 20) {
    const received: string[][] = [];
    const engine = await serveEngine((incoming, outgoing) => {
      readTeiTexts(incoming, (texts) => {
        received.push(texts);
        const failed = fail(received.length);
        setTimeout(() => {
          if (!failed) return answerTeiZeroScores(outgoing, texts);
          outgoing.writeHead(500, { 'content-type': 'application/json' });
          outgoing.end('{"error":"boom","error_type":"Backend"}');
        }, delayMs(received.length));
      });
    });
    return { ...engine, received };
  }

  /**
   * A backend on the one replica `url` that sends sub-requests of 2 documents, tries each once, and opens
   * its circuit on the first failure for 1 s of `now`.
   */
  function createTrialBackend(url: string, now: () => number) {
    return createDisposableBackend({
      type: 'tei',
      baseUrls: [url],
      model: 'm',
      maxBatch: 2,
      maxAttempts: 1,
      breaker: { failureThreshold: 1, coolDownMs: 1_000, now },
      healthCheck: false,
    });
  }

  it('a call of several sub-requests waits for the one trial of a half-open replica instead of failing', async () => {
    // One replica (a hosted API, or a single engine) whose circuit opened: after the cool-down, a call larger
    // than maxBatch sent its first sub-request as the trial and failed the others at once (no replica), which
    // aborted the trial too, so the circuit never closed and every such call failed until a small one came.
    await using engine = await startRecordingTei((request) => request === 1);
    let clock = 0;
    await using backend = createTrialBackend(engine.url, () => clock);
    const breaker = backend.replicas[0]!.breaker;
    expect((await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }))).code).toBe(
      'upstream_status_error',
    );
    expect(breaker.state).toBe('open');
    clock += 1_000;
    const result = await backend.doScore({ query: 'q', documents: ['a', 'b', 'c', 'd', 'e', 'f'] });
    expect(Array.from(result.scores)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(breaker.state).toBe('closed');
    // The trial went alone; the other sub-requests were sent (in parallel) once it had closed the circuit.
    const [trial, ...others] = engine.received.slice(1).map((texts) => texts.join(''));
    expect(trial).toBe('ab');
    expect(others.sort()).toEqual(['cd', 'ef']);
  });

  it('fails such a call at once when its trial fails, leaving the circuit open for another cool-down', async () => {
    await using engine = await startRecordingTei((request) => request <= 2);
    let clock = 0;
    await using backend = createTrialBackend(engine.url, () => clock);
    const breaker = backend.replicas[0]!.breaker;
    await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    clock += 1_000;
    const failed = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a', 'b', 'c', 'd'] }));
    expect(failed.type).toBe('upstream_error');
    expect(failed.message).toContain('500');
    expect(breaker.state).toBe('open');
    expect(breaker.remainingCoolDownMs).toBe(1_000);
    // Only the trial reached the engine.
    expect(engine.received).toHaveLength(2);
  });

  it('stops waiting for the trial when the caller aborts', async () => {
    await using engine = await startRecordingTei(
      (request) => request === 1,
      (request) => (request === 2 ? 10_000 : 20),
    );
    let clock = 0;
    await using backend = createTrialBackend(engine.url, () => clock);
    await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    clock += 1_000;
    const caller = new AbortController();
    const call = backend.doScore({ query: 'q', documents: ['a', 'b', 'c', 'd'], abortSignal: caller.signal });
    await vi.waitFor(() => expect(engine.received).toHaveLength(2), { timeout: 10_000 });
    const started = performance.now();
    caller.abort(new Error('client went away'));
    await expect(call).rejects.toThrow('client went away');
    // A call that waited for the trial would take its 10 s (also the attempt timeout): the bound is half that.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(backend.replicas[0]!.breaker.canPass()).toBe(true);
  });
});

describe('active health checks under load', () => {
  it('keeps a busy replica healthy: its check does not wait behind scoring calls for a connection', async () => {
    // A TEI-like replica that answers GET /health at once and every scoring call after 2 s. A check queued
    // behind the calls would wait up to 2 s, twice its 1 s timeout (half way between that wait and none); a
    // check on its own connection answers in milliseconds, far within that timeout even on a loaded machine.
    let healthChecksDuringLoad = 0;
    let loading = false;
    await using replica = await serveEngine((incoming, outgoing) => {
      if (incoming.method === 'GET') {
        if (loading) healthChecksDuringLoad++;
        outgoing.writeHead(200, { 'content-type': 'text/plain' });
        outgoing.end('ok');
        return;
      }
      readTeiTexts(incoming, (texts) => {
        setTimeout(() => answerTeiZeroScores(outgoing, texts), 2000);
      });
    });
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [replica.url],
      model: 'm',
      // Two connections, four calls: two wait in the pool's queue for the whole load.
      connectionsPerReplica: 2,
      healthCheck: { intervalMs: 50, timeoutMs: 1000 },
    });
    await backend.load();
    loading = true;
    const healthSeen: boolean[] = [];
    const sampler = setInterval(() => healthSeen.push(backend.replicas[0]!.healthy), 20);
    const calls = await Promise.allSettled(
      Array.from({ length: 4 }, () => backend.doScore({ query: 'q', documents: ['a'] })),
    );
    loading = false;
    // Let a check that was waiting in the queue during the load finish (or time out, after its 1 s).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    clearInterval(sampler);
    expect(calls.map((call) => call.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    // The replica answered every call: no check may have found it unhealthy, during the load or after it.
    expect(backend.replicas[0]!.lastHealthProblem).toBeUndefined();
    expect(healthSeen).not.toContain(false);
    expect(backend.replicas[0]!.healthy).toBe(true);
    expect(backend.isReady()).toBe(true);
    expect(healthChecksDuringLoad).toBeGreaterThan(0);
    const after = await backend.doScore({ query: 'q', documents: ['a'] });
    expect(Array.from(after.scores)).toEqual([0.5]);
  }, 20_000);
});

describe('deadlines', () => {
  it('cuts a slow replica at the attempt timeout and retries elsewhere', async () => {
    await using engines = await startMockEngines(2);
    const slow = engines[0]!;
    const fast = engines[1]!;
    slow.setLatency({ fixedMs: 10_000 });
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [slow.url, fast.url],
      model: 'm',
      // Far below the slow replica's 10 s, and far above the fast one's answer time on a loaded machine: an
      // attempt cut on the fast replica would be retried on the slow one and fail the call.
      timeoutMs: 500,
      healthCheck: false,
    });
    for (let request = 0; request < 6; request++) {
      const result = await backend.doScore({ query: 'q', documents: ['a', 'b'] });
      expect(result.scores).toHaveLength(2);
    }
    expect(fast.scoredRequests).toBe(6);
    expect(slow.scoredRequests).toBe(0);
  }, 15_000);

  it.each([
    ['every attempt times out', { timeoutMs: 100 }, 'upstream_timeout'],
    ['the end-to-end deadline passes', { deadlineMs: 100 }, 'upstream_deadline_exceeded'],
  ] as const)('answers 504 timeout_error when %s on the only, slow replica', async (_, limits, code) => {
    await using engines = await startMockEngines(1);
    engines[0]!.setLatency({ fixedMs: 10_000 });
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engines[0]!.url],
      model: 'm',
      healthCheck: false,
      ...limits,
    });
    const error = await scoringErrorOf(backend.doScore({ query: 'q', documents: ['a'] }));
    expect(error.type).toBe('timeout_error');
    expect(error.code).toBe(code);
  });

  it('stops at once when the caller aborts, with the caller’s reason, and a deadline reason becomes a 504', async () => {
    await using engines = await startMockEngines(1);
    engines[0]!.setLatency({ fixedMs: 10_000 });
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engines[0]!.url],
      model: 'm',
      healthCheck: false,
    });
    const controller = new AbortController();
    const call = backend.doScore({ query: 'q', documents: ['a'], abortSignal: controller.signal });
    const reason = new Error('client went away');
    setTimeout(() => controller.abort(reason), 50);
    await expect(call).rejects.toBe(reason);
    const timedOut = await scoringErrorOf(
      backend.doScore({ query: 'q', documents: ['a'], abortSignal: AbortSignal.timeout(50) }),
    );
    expect(timedOut.type).toBe('timeout_error');
    // An aborted call is no verdict on the replica.
    expect(backend.replicas[0]!.breaker.consecutiveFailures).toBe(0);
  });
});
