import { detectDegenerateScores, RELEVANCE_FIXTURE } from '@sealink/rerank-contract/dialects';
import { lexicalScore, startMockEngine } from '@sealink/rerank-mock-server';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { UpstreamBackendOptions } from './upstream-backend.js';
import { UpstreamConformanceError } from './upstream-conformance-error.js';
import { UPSTREAM_TYPE_DIALECTS, UPSTREAM_TYPES } from './upstream-engines.js';
import { createDisposableBackend, scoringErrorOf, serveEngine } from './upstream-test-kit.js';

/**
 * Where no upstream answers: nothing listens on port 1, and no server started with port 0 is given it. The
 * port of an engine closed for the test could be taken by a server another test starts meanwhile.
 */
const UNREACHABLE_URL = 'http://127.0.0.1:1';

const QUERY = 'sourdough starter feeding';
const DOCUMENTS = [
  'feed the sourdough starter daily',
  'stock markets closed higher',
  'a starter needs feeding',
];
const expectedScores = (query: string, documents: readonly string[]) =>
  documents.map((document) => expect.closeTo(lexicalScore(query, document), 6));

/** An HTTP server on 127.0.0.1 answering every POST `status` with `body` and `GET /health` 200: an engine that talks nonsense. */
function startRawEngine(body: string, status = 200): Promise<{ url: string } & AsyncDisposable> {
  return serveEngine((incoming, outgoing) => {
    incoming.resume();
    incoming.once('end', () => {
      const isHealthCheck = incoming.method === 'GET';
      outgoing.writeHead(isHealthCheck ? 200 : status, { 'content-type': 'application/json' });
      outgoing.end(isHealthCheck ? '{"status":"ok"}' : body);
    });
  });
}

/** A backend of `type` in front of one engine that checks the relevance fixture when it loads. */
function verifyingBackend(type: UpstreamBackendOptions['type'], url: string) {
  return createDisposableBackend({ type, baseUrls: [url], model: 'q', verifyOnLoad: true });
}

describe('UpstreamBackend against each mock engine', () => {
  it.each(UPSTREAM_TYPES)('scores through the %s upstream over a real socket', async (type) => {
    const dialect = UPSTREAM_TYPE_DIALECTS[type];
    await using engine = await startMockEngine({ dialect, apiKey: 'engine-key', model: 'upstream-model' });
    await using backend = createDisposableBackend({
      type,
      baseUrls: [engine.url],
      model: 'upstream-model',
      apiKey: 'engine-key',
    });
    await backend.load();
    expect(backend.isReady()).toBe(true);
    const result = await backend.doScore({ query: QUERY, documents: DOCUMENTS });
    expect(Array.from(result.scores)).toEqual(expectedScores(QUERY, DOCUMENTS));
    expect(result.usage.tokens).toBeGreaterThan(0);
    const scoring = engine.requests.filter((entry) => entry.method === 'POST');
    expect(scoring).toHaveLength(1);
    expect(scoring[0]?.headers.authorization).toBe('Bearer [redacted]');
  });

  it('keeps random valid input pointwise: every score is the engine score of its own pair', async () => {
    await using engine = await startMockEngine({ dialect: 'tei', maxBatch: 8 });
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engine.url],
      model: 'm',
      maxBatch: 8,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.array(fc.string({ maxLength: 50 }), { minLength: 1, maxLength: 40 }),
        async (query, documents) => {
          const result = await backend.doScore({ query, documents });
          expect(Array.from(result.scores)).toEqual(expectedScores(query, documents));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('turns a wrong key into a 502 upstream_error with the upstream status and message, never the key', async () => {
    await using engine = await startMockEngine({ dialect: 'cohere-v2', apiKey: 'right-key' });
    await using backend = createDisposableBackend({
      type: 'cohere',
      baseUrls: [engine.url],
      model: 'm',
      apiKey: 'secret-wrong-key',
    });
    const error = await scoringErrorOf(backend.doScore({ query: QUERY, documents: DOCUMENTS }));
    expect(error.type).toBe('upstream_error');
    expect(error.message).toContain('401');
    expect(error.message).toContain('invalid or missing API key');
    expect(error.message).not.toContain('secret-wrong-key');
    // A 4xx says nothing against the replica: it is not retried and its circuit stays closed.
    expect(engine.requests).toHaveLength(1);
    expect(backend.replicas[0]?.breaker.state).toBe('closed');
  });

  it('never shows part of its key when an upstream echoes the key across the point where its message is cut', async () => {
    const apiKey = 'sk-upstream-0123456789abcdefghij';
    // Plain text (no JSON error to describe), the key straddling the 200-character cut of the message.
    await using engine = await startRawEngine(`${'x'.repeat(190)}${apiKey} rejected`, 400);
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engine.url],
      model: 'm',
      apiKey,
    });
    const error = await scoringErrorOf(backend.doScore({ query: QUERY, documents: DOCUMENTS }));
    expect(error.type).toBe('upstream_error');
    expect(error.message).toContain('400');
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(apiKey.slice(0, 10));
  });

  it('never cuts an upstream message inside a character: the client gets well-formed text, not half an emoji', async () => {
    // An engine's message may quote the documents. A cut between the two UTF-16 halves of an emoji left a
    // lone surrogate, which the error body carries as `\ud83d`: strict JSON parsers (Rust's serde_json)
    // refuse such a body, so the client could not even read the error.
    const described = `${'x'.repeat(499)}😀 and more`;
    await using teiEngine = await startRawEngine(
      JSON.stringify({ error: described, error_type: 'Validation' }),
      422,
    );
    await using plainEngine = await startRawEngine(`${'y'.repeat(199)}😀 and more`, 400);
    for (const url of [teiEngine.url, plainEngine.url]) {
      await using backend = createDisposableBackend({ type: 'tei', baseUrls: [url], model: 'm' });
      const error = await scoringErrorOf(backend.doScore({ query: QUERY, documents: DOCUMENTS }));
      expect(error.type).toBe('upstream_error');
      expect(error.message.isWellFormed()).toBe(true);
      expect(error.message).toMatch(/(x{499}|y{199})…$/);
    }
  });

  it('turns a too-long input (vLLM 400) into a 502 upstream_error naming the limit', async () => {
    await using engine = await startMockEngine({ dialect: 'vllm-rerank', maxInputTokens: 4 });
    await using backend = createDisposableBackend({ type: 'vllm', baseUrls: [engine.url], model: 'm' });
    const error = await scoringErrorOf(
      backend.doScore({ query: 'one two three', documents: ['four five six'] }),
    );
    expect(error.type).toBe('upstream_error');
    expect(error.message).toContain('400');
    expect(error.message).toContain('maximum context length is 4 tokens');
  });

  it('turns TEI’s 413 on a batch above its limit into a 502 upstream_error', async () => {
    await using engine = await startMockEngine({ dialect: 'tei', maxBatch: 4 });
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engine.url],
      model: 'm',
      maxBatch: 10,
    });
    const error = await scoringErrorOf(
      backend.doScore({ query: 'q', documents: Array.from({ length: 10 }, (_, i) => `d${i}`) }),
    );
    expect(error.type).toBe('upstream_error');
    expect(error.message).toContain('413');
    expect(error.message).toContain('maximum allowed batch size 4');
  });

  it('passes the instruction through DashScope’s instruct field and warns where it cannot', async () => {
    await using dashscope = await startMockEngine({ dialect: 'dashscope' });
    await using withInstruct = createDisposableBackend({
      type: 'dashscope',
      baseUrls: [dashscope.url],
      model: 'qwen3-rerank',
    });
    const passed = await withInstruct.doScore({
      query: QUERY,
      documents: DOCUMENTS,
      instruction: 'Find baking advice',
    });
    expect(passed.warnings).toEqual([]);
    expect(dashscope.requests[0]?.body).toMatchObject({ parameters: { instruct: 'Find baking advice' } });
    await using jina = await startMockEngine({ dialect: 'jina' });
    await using without = createDisposableBackend({ type: 'jina', baseUrls: [jina.url], model: 'm' });
    const warned = await without.doScore({
      query: QUERY,
      documents: DOCUMENTS,
      instruction: 'Find baking advice',
      maxTokensPerDocument: 8,
    });
    expect(
      warned.warnings.map((warning) => warning.type === 'unsupported-setting' && warning.setting),
    ).toEqual(['instruction', 'maxTokensPerDocument']);
  });
});

describe('scatter-gather', () => {
  it('answers an empty call without calling the upstream', async () => {
    await using engine = await startMockEngine({ dialect: 'tei' });
    await using backend = createDisposableBackend({ type: 'tei', baseUrls: [engine.url], model: 'm' });
    const result = await backend.doScore({ query: 'q', documents: [] });
    expect(result.scores).toHaveLength(0);
    expect(engine.requests).toHaveLength(0);
  });

  it('splits a large call into sub-batches across replicas and merges them to what one call gives', async () => {
    await using one = await startMockEngine({ dialect: 'tei', maxBatch: 1000 });
    await using first = await startMockEngine({ dialect: 'tei', maxBatch: 32 });
    await using second = await startMockEngine({ dialect: 'tei', maxBatch: 32 });
    const documents = Array.from(
      { length: 250 },
      (_, index) =>
        `document ${index} about ${index % 3 === 0 ? 'sourdough starter' : 'markets'} ${index % 7 === 0 ? 'feeding' : ''}`,
    );
    await using single = createDisposableBackend({
      type: 'tei',
      baseUrls: [one.url],
      model: 'm',
      maxBatch: 1000,
    });
    await using scattered = createDisposableBackend({
      type: 'tei',
      baseUrls: [first.url, second.url],
      model: 'm',
      maxBatch: 32,
    });
    const whole = await single.doScore({ query: QUERY, documents });
    const merged = await scattered.doScore({ query: QUERY, documents });
    expect(Array.from(merged.scores)).toEqual(Array.from(whole.scores));
    expect(one.scoredRequests).toBe(1);
    expect(first.scoredRequests + second.scoredRequests).toBe(8);
    // Least outstanding requests spreads the sub-batches evenly.
    expect(first.scoredRequests).toBe(4);
    for (const entry of [...first.requests, ...second.requests]) {
      expect((entry.body as { texts: string[] }).texts.length).toBeLessThanOrEqual(32);
    }
  });
});

describe('Qwen3-Reranker prompts', () => {
  const fixture = {
    query: RELEVANCE_FIXTURE.query,
    documents: RELEVANCE_FIXTURE.documents,
    instruction: RELEVANCE_FIXTURE.instruction,
  };

  it.each(['vllm', 'vllm-score', 'tei', 'infinity'] as const)(
    'the gateway-formatted template ranks well on %s serving a converted model',
    async (type) => {
      await using engine = await startMockEngine({
        dialect: UPSTREAM_TYPE_DIALECTS[type],
        qwen3: 'expects-formatted',
      });
      await using backend = createDisposableBackend({
        type,
        baseUrls: [engine.url],
        model: 'Qwen/Qwen3-Reranker-0.6B',
        promptTemplate: 'qwen3',
        verifyOnLoad: true,
      });
      await backend.load();
      const result = await backend.doScore(fixture);
      expect(detectDegenerateScores(result.scores).degenerate).toBe(false);
      expect(result.warnings).toEqual([]);
    },
  );

  it('sends texts well formed: a lone surrogate, which strict JSON parsers refuse, goes out as U+FFFD', async () => {
    await using engine = await startMockEngine({ dialect: 'dashscope' });
    await using backend = createDisposableBackend({ type: 'dashscope', baseUrls: [engine.url], model: 'q' });
    const result = await backend.doScore({
      query: 'sour\ud800dough',
      documents: ['fine text', 'broken \udc00 text', 'pair \ud83d\ude00 kept'],
      instruction: 'find \udbff',
    });
    expect(result.scores).toHaveLength(3);
    expect(engine.requests[0]?.body).toMatchObject({
      input: {
        query: 'sour\ufffddough',
        documents: ['fine text', 'broken \ufffd text', 'pair \ud83d\ude00 kept'],
      },
      parameters: { instruct: 'find \ufffd' },
    });
  });

  it('sends the request’s instruction inside the prompt, and the model card default without one', async () => {
    await using engine = await startMockEngine({ dialect: 'vllm-rerank', qwen3: 'expects-formatted' });
    await using backend = createDisposableBackend({
      type: 'vllm',
      baseUrls: [engine.url],
      model: 'q',
      promptTemplate: 'qwen3',
    });
    await backend.doScore({ query: 'q', documents: ['d'], instruction: 'Find code' });
    await backend.doScore({ query: 'q', documents: ['d'] });
    const queries = engine.requests.map((entry) => (entry.body as { query: string }).query);
    expect(queries[0]).toContain('<Instruct>: Find code\n<Query>: q\n');
    expect(queries[1]).toContain(`<Instruct>: ${RELEVANCE_FIXTURE.instruction}\n<Query>: q\n`);
  });

  it('catches a backend that sends raw text to an engine expecting the template: degenerate scores fail the load', async () => {
    await using engine = await startMockEngine({ dialect: 'vllm-rerank', qwen3: 'expects-formatted' });
    await using backend = createDisposableBackend({
      type: 'vllm',
      baseUrls: [engine.url],
      model: 'q',
      promptTemplate: 'engine',
      verifyOnLoad: true,
    });
    const result = await backend.doScore(fixture);
    expect(detectDegenerateScores(result.scores).degenerate).toBe(true);
    await expect(backend.load()).rejects.toThrow(UpstreamConformanceError);
  });

  it('catches a backend that templates twice for an engine applying the template itself', async () => {
    await using engine = await startMockEngine({ dialect: 'dashscope', qwen3: 'applies-template' });
    await using wrong = createDisposableBackend({
      type: 'dashscope',
      baseUrls: [engine.url],
      model: 'qwen3-rerank',
      promptTemplate: 'qwen3',
      verifyOnLoad: true,
    });
    await expect(wrong.load()).rejects.toThrow(/near-constant scores/);
    await using right = createDisposableBackend({
      type: 'dashscope',
      baseUrls: [engine.url],
      model: 'qwen3-rerank',
      verifyOnLoad: true,
    });
    await right.load();
    expect(right.isReady()).toBe(true);
  });

  it('fails the load when the engine answers the fixture with raw logits instead of probabilities', async () => {
    // vLLM's /v1/rerank answers probabilities; an engine serving the model without its activation sends
    // logits, which are out of [0, 1]: every request would get 502, so start-up must not pass.
    await using engine = await startMockEngine({ dialect: 'vllm-rerank', rawLogits: true });
    await using backend = verifyingBackend('vllm', engine.url);
    const error = await backend.load().then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(UpstreamConformanceError);
    expect((error as UpstreamConformanceError).message).toContain('upstream_invalid_response');
    expect(engine.scoredRequests).toBe(1);
  });

  it('fails the load when the engine answers the fixture with a body of the wrong shape', async () => {
    await using engine = await startRawEngine('{"ranking":"not a list"}');
    await using backend = verifyingBackend('tei', engine.url);
    await expect(backend.load()).rejects.toThrow(UpstreamConformanceError);
    await expect(backend.load()).rejects.toThrow(/upstream_invalid_response/);
  });

  it('stops checking the replicas’ health when the load fails: no timer or connection outlives it', async () => {
    let healthChecks = 0;
    await using replica = await serveEngine((incoming, outgoing) => {
      incoming.resume();
      incoming.once('end', () => {
        if (incoming.method === 'GET') healthChecks++;
        outgoing.writeHead(200, { 'content-type': 'application/json' });
        outgoing.end(incoming.method === 'GET' ? '{"status":"ok"}' : '{"ranking":"not a list"}');
      });
    });
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [replica.url],
      model: 'q',
      verifyOnLoad: true,
      healthCheck: { intervalMs: 20 },
    });
    await expect(backend.load()).rejects.toThrow(UpstreamConformanceError);
    // A check sent just before the load failed may not have reached the engine yet (on a loaded machine it
    // did, a moment after the count was read): count from once every check sent has been answered.
    await vi.waitFor(() => expect(backend.replicas[0]!.healthClient.stats.size).toBe(0), { timeout: 10_000 });
    const afterLoad = healthChecks;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The model is not served: nothing should keep polling its engine until the server shuts down.
    expect(healthChecks).toBe(afterLoad);
  });

  it('fails the load when the engine refuses the fixture with an error status (a wrong API key)', async () => {
    await using engine = await startMockEngine({ dialect: 'tei', apiKey: 'engine-key' });
    await using backend = verifyingBackend('tei', engine.url);
    await expect(backend.load()).rejects.toThrow(/upstream_status_error: .*answered 401/);
  });

  it('does not fail the load when the engine is saturated: that says nothing about the model; it asks again', async () => {
    await using engine = await startMockEngine({ dialect: 'tei' });
    // Each 429 holds the only replica back for a second: two checks get no verdict, the third scores the fixture.
    engine.failNext(2, 429);
    await using backend = verifyingBackend('tei', engine.url);
    await backend.load();
    expect(engine.requests.length).toBe(3);
    expect(engine.scoredRequests).toBe(1);
    expect(backend.isReady()).toBe(true);
  });

  it('does not fail the load when the upstream cannot be reached: the load waits, readiness reports it', async () => {
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [UNREACHABLE_URL],
      model: 'q',
      verifyOnLoad: true,
      healthCheck: { intervalMs: 20 },
    });
    const stop = new AbortController();
    const load = backend.load({ abortSignal: stop.signal }).then(
      () => 'loaded',
      (error: unknown) => error,
    );
    const waited = await Promise.race([load, new Promise((resolve) => setTimeout(resolve, 300, 'waiting'))]);
    expect(waited).toBe('waiting');
    expect(backend.isReady()).toBe(false);
    stop.abort(new Error('stopped'));
    expect(await load).toEqual(new Error('stopped'));
  });

  it('ends a load still waiting for an unreachable upstream when the backend is closed, without an abort signal', async () => {
    const backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [UNREACHABLE_URL],
      model: 'q',
      verifyOnLoad: true,
      healthCheck: { intervalMs: 20 },
    });
    const load = backend.load().then(
      () => 'loaded',
      (error: unknown) => error,
    );
    const waited = await Promise.race([load, new Promise((resolve) => setTimeout(resolve, 300, 'waiting'))]);
    expect(waited).toBe('waiting');
    await backend.close();
    // A load that outlived the backend would ask the closed pool again every second, for good, keeping the
    // process alive; it ends with the backend instead, and the model is not served.
    const ended = await Promise.race([
      load,
      new Promise((resolve) => setTimeout(resolve, 3_000, 'still waiting')),
    ]);
    expect(ended).toBeInstanceOf(Error);
    expect(backend.isReady()).toBe(false);
  });

  it('checks an engine that was down at start once it answers, so a broken one is never served unchecked', async () => {
    // Like an engine that loads its weights after the gateway started: its first calls fail, then it
    // answers with the template applied twice (near-constant scores).
    await using engine = await startMockEngine({ dialect: 'dashscope', qwen3: 'applies-template' });
    engine.resetNext(3);
    await using backend = createDisposableBackend({
      type: 'dashscope',
      baseUrls: [engine.url],
      model: 'qwen3-rerank',
      promptTemplate: 'qwen3',
      verifyOnLoad: true,
    });
    await expect(backend.load()).rejects.toThrow(/near-constant scores/);
    expect(engine.scoredRequests).toBe(1);
  });

  it('serves an engine that was down at start once it answers the check well', async () => {
    await using engine = await startMockEngine({ dialect: 'dashscope', qwen3: 'applies-template' });
    engine.resetNext(3);
    await using backend = verifyingBackend('dashscope', engine.url);
    await backend.load();
    expect(engine.scoredRequests).toBe(1);
    expect(backend.isReady()).toBe(true);
  });
});
