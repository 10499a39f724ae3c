import type { NormalizedRerankRequest } from '@sealink/rerank-contract';
import {
  DIALECT_NAMES,
  DIALECTS,
  type DialectName,
  detectDegenerateScores,
  formatQwen3RerankerDocument,
  formatQwen3RerankerQuery,
  RELEVANCE_FIXTURE,
  scoresInRequestOrder,
} from '@sealink/rerank-contract/dialects';
import { junkBodyArbitrary } from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { lexicalScore } from '../lexical-score.js';
import { startMockEngine } from './start-mock-engine.js';

const canonical = (
  documents: string[],
  overrides: Partial<NormalizedRerankRequest> = {},
): NormalizedRerankRequest => ({
  model: 'test-model',
  query: 'sourdough starter feeding',
  documents,
  topN: documents.length,
  returnDocuments: false,
  ...overrides,
});

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await request(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Sends a canonical request in the dialect and reads the scores back, in request order. */
async function scoreThrough(
  dialect: DialectName,
  url: string,
  input: NormalizedRerankRequest,
  rawScores = false,
) {
  const info = DIALECTS[dialect];
  const body = info.dialect.toRequest(input, { upstreamModel: 'test-model', rawScores });
  const answer = await post(url, info.paths[0], body);
  expect(answer.status).toBe(200);
  const mapping = rawScores ? info.rawScoreMapping : undefined;
  const parsed = info.dialect.parseResponse(answer.json, {
    documentCount: input.documents.length,
    ...(mapping === undefined ? {} : { scoreMapping: mapping }),
  });
  return scoresInRequestOrder(parsed.results, input.documents.length);
}

const documents = [
  'feed the sourdough starter daily',
  'stock markets closed higher',
  'a starter needs feeding',
];

describe('startMockEngine', () => {
  it.each(DIALECT_NAMES)(
    'answers %s requests in its wire format with the lexical scores',
    async (dialect) => {
      await using engine = await startMockEngine({ dialect });
      const scores = await scoreThrough(dialect, engine.url, canonical(documents));
      expect(Array.from(scores)).toEqual(
        documents.map((document) => expect.closeTo(lexicalScore('sourdough starter feeding', document), 9)),
      );
      expect(engine.requests).toHaveLength(1);
      expect(engine.scoredRequests).toBe(1);
    },
  );

  it('answers raw logits when TEI and Infinity are asked for raw scores', async () => {
    for (const dialect of ['tei', 'infinity'] as const) {
      await using engine = await startMockEngine({ dialect });
      const body = DIALECTS[dialect].dialect.toRequest(canonical(documents), { rawScores: true });
      const answer = await post(engine.url, DIALECTS[dialect].paths[0], body);
      const raw = JSON.stringify(answer.json);
      // Lexical score 0 is logit -100: only a logit scale can carry it.
      expect(raw).toContain('-100');
      const scores = await scoreThrough(dialect, engine.url, canonical(documents), true);
      expect(lexicalScore('sourdough starter feeding', documents[1]!)).toBe(0);
      expect(scores[1]).toBeCloseTo(0, 9);
      expect(scores[0]).toBeCloseTo(lexicalScore('sourdough starter feeding', documents[0]!), 9);
    }
  });

  it('answers llama.cpp in logits by default and in probabilities with scoreMapping identity (a Qwen3 GGUF)', async () => {
    const query = 'sourdough starter feeding';
    const expected = documents.map((document) => lexicalScore(query, document));
    const scoresOf = async (scoreMapping?: 'identity' | 'sigmoid') => {
      await using engine = await startMockEngine({
        dialect: 'llama-cpp',
        ...(scoreMapping === undefined ? {} : { scoreMapping }),
      });
      const body = DIALECTS['llama-cpp'].dialect.toRequest(canonical(documents));
      const answer = await post(engine.url, '/v1/rerank', body);
      const results = (answer.json as { results: { index: number; relevance_score: number }[] }).results;
      return [...results].sort((a, b) => a.index - b.index).map((result) => result.relevance_score);
    };
    const probabilities = await scoresOf('identity');
    expect(probabilities).toEqual(expected.map((score) => expect.closeTo(score, 12)));
    // Lexical score 0 is logit -100 on the default scale.
    expect(expected[1]).toBe(0);
    expect((await scoresOf())[1]).toBe(-100);
    expect((await scoresOf('sigmoid'))[1]).toBe(-100);
  });

  it('refuses more texts than TEI takes with 413 and its error body', async () => {
    await using engine = await startMockEngine({ dialect: 'tei', maxBatch: 2 });
    const answer = await post(engine.url, '/rerank', { query: 'q', texts: ['a', 'b', 'c'] });
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({
      error: 'batch size 3 > maximum allowed batch size 2',
      error_type: 'Validation',
    });
  });

  it('answers TEI schema errors with 422 and bad JSON with 400', async () => {
    await using engine = await startMockEngine({ dialect: 'tei' });
    expect((await post(engine.url, '/rerank', { query: 'q', documents: ['a'] })).status).toBe(422);
    expect((await post(engine.url, '/rerank', '{"query":')).status).toBe(400);
  });

  it("answers Infinity schema errors with FastAPI's 422 { detail: [...] }, read by the dialect", async () => {
    await using engine = await startMockEngine({ dialect: 'infinity' });
    const answer = await post(engine.url, '/rerank', { query: 'q', texts: ['a'] });
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({ detail: [{ msg: expect.any(String) }] });
    expect(DIALECTS.infinity.dialect.describeError(answer.json)).toBeDefined();
  });

  it("refuses latencies above Node's timer limit (2^31 - 1 ms), which Node would run after 1 ms", async () => {
    const limit = 2 ** 31 - 1;
    await expect(startMockEngine({ dialect: 'tei', latencyMs: limit + 1 })).rejects.toThrow(
      new RangeError(`latencyMs must be a number of milliseconds from 0 to ${limit}, got ${limit + 1}`),
    );
    await expect(startMockEngine({ dialect: 'tei', latencyPerDocumentMs: 3e9 })).rejects.toThrow(
      /^latencyPerDocumentMs must be a number of milliseconds from 0 to 2147483647/,
    );
    await expect(startMockEngine({ dialect: 'tei', latencyMs: -1 })).rejects.toThrow(RangeError);
    await using engine = await startMockEngine({ dialect: 'tei', latencyMs: limit });
    expect(() => engine.setLatency({ fixedMs: 3e9 })).toThrow(/^fixedMs must be a number of milliseconds/);
    expect(() => engine.setLatency({ perDocumentMs: Number.NaN })).toThrow(/^perDocumentMs must be/);
    engine.setLatency({ fixedMs: 0, perDocumentMs: 0 });
    expect((await post(engine.url, '/rerank', { query: 'q', texts: ['a'] })).status).toBe(200);
  });

  it('answers TEI with 429 when its queue is full', async () => {
    // The first request holds the only slot for a second: long enough for the second to arrive while it is
    // held even on a loaded machine. The second is sent once the first is in the engine (its body read is
    // recorded just before it takes the slot), not after a fixed sleep that can end before it arrives.
    await using engine = await startMockEngine({ dialect: 'tei', maxConcurrentRequests: 1, latencyMs: 1000 });
    const first = post(engine.url, '/rerank', { query: 'q', texts: ['a'] });
    await vi.waitFor(() => expect(engine.requests[0]?.body).toBeDefined(), { interval: 5, timeout: 10_000 });
    const second = await post(engine.url, '/rerank', { query: 'q', texts: ['a'] });
    expect(second.status).toBe(429);
    expect(second.json).toMatchObject({ error_type: 'Overloaded' });
    expect((await first).status).toBe(200);
  });

  it('answers vLLM with 400 on a prompt longer than the model takes', async () => {
    await using engine = await startMockEngine({ dialect: 'vllm-rerank', maxInputTokens: 5 });
    const answer = await post(engine.url, '/v1/rerank', {
      query: 'one two three',
      documents: ['four five six seven'],
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: { message: expect.stringContaining('maximum context length is 5 tokens') },
    });
  });

  it.each([
    ['cohere-v2', { message: 'invalid or missing API key' }],
    ['jina', { detail: 'invalid or missing API key' }],
    ['voyage', { detail: 'invalid or missing API key' }],
    ['dashscope', { code: 'InvalidApiKey', message: 'invalid or missing API key' }],
    ['vllm-rerank', { error: 'invalid or missing API key' }],
    ['infinity', { detail: 'invalid or missing API key' }],
  ] as const)('answers %s with 401 and its error body on a wrong key', async (dialect, expected) => {
    await using engine = await startMockEngine({ dialect, apiKey: 'right-key' });
    const body = DIALECTS[dialect].dialect.toRequest(canonical(documents));
    const answer = await post(engine.url, DIALECTS[dialect].paths[0], body, {
      authorization: 'Bearer wrong-key',
    });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject(expected);
    expect(DIALECTS[dialect].dialect.describeError(answer.json)?.message).toBe('invalid or missing API key');
    const right = await post(engine.url, DIALECTS[dialect].paths[0], body, {
      authorization: 'Bearer right-key',
    });
    expect(right.status).toBe(200);
    expect(engine.requests[0]?.headers.authorization).toBe('Bearer [redacted]');
  });

  it('fails the next requests on demand, then recovers', async () => {
    await using engine = await startMockEngine({ dialect: 'vllm-score' });
    engine.failNext(2, 503);
    const body = { text_1: 'q', text_2: ['a'] };
    expect((await post(engine.url, '/score', body)).status).toBe(503);
    expect((await post(engine.url, '/score', body)).status).toBe(503);
    expect((await post(engine.url, '/score', body)).status).toBe(200);
  });

  it('reports health and refuses connections once killed', async () => {
    const engine = await startMockEngine({ dialect: 'tei' });
    expect((await request(`${engine.url}/health`)).statusCode).toBe(200);
    engine.setHealthy(false);
    const unhealthy = await request(`${engine.url}/health`);
    await unhealthy.body.dump();
    expect(unhealthy.statusCode).toBe(503);
    engine.kill();
    await engine.close();
    await expect(request(`${engine.url}/health`)).rejects.toThrow();
  });

  describe('Qwen3 mode', () => {
    const fixture = (overrides: Partial<NormalizedRerankRequest> = {}) =>
      canonical([...RELEVANCE_FIXTURE.documents], { query: RELEVANCE_FIXTURE.query, ...overrides });
    const templated = () =>
      fixture({
        query: formatQwen3RerankerQuery({ query: RELEVANCE_FIXTURE.query }),
        documents: RELEVANCE_FIXTURE.documents.map(formatQwen3RerankerDocument),
      });

    it.each(['vllm-rerank', 'vllm-score', 'tei', 'infinity'] as const)(
      '%s expecting formatted prompts ranks the model card template well and anything else degenerately',
      async (dialect) => {
        await using engine = await startMockEngine({ dialect, qwen3: 'expects-formatted' });
        const good = await scoreThrough(dialect, engine.url, templated());
        expect(detectDegenerateScores(good).degenerate).toBe(false);
        const raw = await scoreThrough(dialect, engine.url, fixture());
        expect(detectDegenerateScores(raw).degenerate).toBe(true);
        const wrongTemplate = templated();
        wrongTemplate.query = wrongTemplate.query.replace('<Instruct>: ', '<Instruction>: ');
        expect(
          detectDegenerateScores(await scoreThrough(dialect, engine.url, wrongTemplate)).degenerate,
        ).toBe(true);
      },
    );

    it('an engine applying the template itself reads the raw pair and the instruct field', async () => {
      await using engine = await startMockEngine({ dialect: 'dashscope', qwen3: 'applies-template' });
      const good = await scoreThrough(
        'dashscope',
        engine.url,
        fixture({ instruction: 'Find baking advice' }),
      );
      expect(detectDegenerateScores(good).degenerate).toBe(false);
      expect(engine.requests[0]?.body).toMatchObject({ parameters: { instruct: 'Find baking advice' } });
      const twice = await scoreThrough('dashscope', engine.url, templated());
      expect(detectDegenerateScores(twice).degenerate).toBe(true);
    });
  });

  it.each(DIALECT_NAMES)(
    'scores random valid %s requests pointwise with the lexical score',
    async (dialect) => {
      await using engine = await startMockEngine({ dialect, maxBatch: 1000 });
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 1, maxLength: 40 }),
          fc.array(fc.string({ maxLength: 60 }), { minLength: 1, maxLength: 12 }),
          async (query, texts) => {
            const scores = await scoreThrough(dialect, engine.url, canonical(texts, { query }));
            expect(scores).toHaveLength(texts.length);
            for (const [index, text] of texts.entries())
              expect(scores[index]).toBeCloseTo(lexicalScore(query, text), 9);
          },
        ),
        { numRuns: 15 },
      );
    },
  );

  it.each(DIALECT_NAMES)(
    'never answers %s junk with a 5xx, always with its own error shape',
    async (dialect) => {
      await using engine = await startMockEngine({ dialect });
      const info = DIALECTS[dialect];
      await fc.assert(
        fc.asyncProperty(junkBodyArbitrary, async (junk) => {
          const answer = await post(engine.url, info.paths[0], junk);
          if (answer.status === 200) return;
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          expect(info.dialect.describeError(answer.json)).toBeDefined();
        }),
        { numRuns: 25 },
      );
    },
  );
});

describe('startMockEngine input limits, as each engine truncates', () => {
  const query = 'sourdough starter';
  const filler = Array.from({ length: 20 }, (_, index) => `filler${index}`).join(' ');
  const frontLoaded = `sourdough starter ${filler}`;

  it('vLLM: truncate_prompt_tokens k keeps the last k tokens of the whole prompt, not of the document', async () => {
    await using engine = await startMockEngine({ dialect: 'vllm-rerank' });
    const cut = await post(engine.url, '/v1/rerank', {
      query,
      documents: [frontLoaded],
      truncate_prompt_tokens: 10,
    });
    expect(cut.status).toBe(200);
    // The last 10 tokens are filler: the query and the document's matching start are gone.
    expect(cut.json).toMatchObject({ results: [{ relevance_score: 0 }], usage: { total_tokens: 10 } });
    const whole = await post(engine.url, '/v1/rerank', { query, documents: [frontLoaded] });
    expect(whole.json).toMatchObject({
      results: [{ relevance_score: expect.closeTo(lexicalScore(query, frontLoaded), 6) }],
    });
  });

  it('vLLM: -1 truncates to maxInputTokens, a count above it and an over-long prompt without it are 400', async () => {
    await using engine = await startMockEngine({ dialect: 'vllm-score', maxInputTokens: 8 });
    const body = { text_1: query, text_2: [frontLoaded] };
    const refused = await post(engine.url, '/score', body);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      error: { message: expect.stringContaining('maximum context length is 8 tokens') },
    });
    const tooLarge = await post(engine.url, '/score', { ...body, truncate_prompt_tokens: 9 });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.json).toMatchObject({
      error: { message: expect.stringContaining('greater than max_model_len (8)') },
    });
    const toModelLength = await post(engine.url, '/score', { ...body, truncate_prompt_tokens: -1 });
    expect(toModelLength.status).toBe(200);
    expect(toModelLength.json).toMatchObject({ data: [{ score: 0 }], usage: { total_tokens: 8 } });
  });

  it('vLLM in Qwen3 mode: a count that cuts into the template gives noise, -1 within the model length does not', async () => {
    await using engine = await startMockEngine({
      dialect: 'vllm-score',
      qwen3: 'expects-formatted',
      maxInputTokens: 512,
    });
    const body = (truncate?: number) => ({
      text_1: formatQwen3RerankerQuery({ query: RELEVANCE_FIXTURE.query }),
      text_2: RELEVANCE_FIXTURE.documents.map((document) =>
        formatQwen3RerankerDocument(`${document} ${filler}`),
      ),
      ...(truncate === undefined ? {} : { truncate_prompt_tokens: truncate }),
    });
    const scores = async (truncate?: number) => {
      const answer = await post(engine.url, '/score', body(truncate));
      expect(answer.status).toBe(200);
      const parsed = DIALECTS['vllm-score'].dialect.parseResponse(answer.json, {
        documentCount: RELEVANCE_FIXTURE.documents.length,
      });
      return scoresInRequestOrder(parsed.results, RELEVANCE_FIXTURE.documents.length);
    };
    expect(detectDegenerateScores(await scores()).degenerate).toBe(false);
    expect(detectDegenerateScores(await scores(-1)).degenerate).toBe(false);
    expect(detectDegenerateScores(await scores(40)).degenerate).toBe(true);
  });

  it('TEI: truncate cuts the pair to maxInputTokens from the right; without it an over-long pair is 413', async () => {
    await using engine = await startMockEngine({ dialect: 'tei', maxInputTokens: 6 });
    const refused = await post(engine.url, '/rerank', { query, texts: [`${filler} ${query}`] });
    expect(refused.status).toBe(413);
    expect(refused.json).toEqual({
      error: 'Input validation error: `inputs` must have less than 6 tokens. Given: 24',
      error_type: 'Validation',
    });
    const truncated = await post(engine.url, '/rerank', {
      query,
      texts: [frontLoaded, `${filler} ${query}`],
      truncate: true,
    });
    expect(truncated.status).toBe(200);
    // Right truncation keeps each text's start: the front-loaded document keeps its match, the other loses it.
    expect(truncated.json).toEqual([
      { index: 0, score: expect.closeTo(lexicalScore(query, 'sourdough starter filler0 filler1'), 6) },
      { index: 1, score: 0 },
    ]);
    const left = await post(engine.url, '/rerank', {
      query,
      texts: [`${filler} ${query}`],
      truncate: true,
      truncation_direction: 'Left',
    });
    expect(left.json).toEqual([
      { index: 0, score: expect.closeTo(lexicalScore(query, `filler18 filler19 ${query}`), 6) },
    ]);
  });

  it('Cohere v2: max_tokens_per_doc cuts each document, never the query', async () => {
    await using engine = await startMockEngine({ dialect: 'cohere-v2', maxInputTokens: 6 });
    const answer = await post(engine.url, '/v2/rerank', {
      model: 'm',
      query,
      documents: [frontLoaded, `${filler} ${query}`],
      max_tokens_per_doc: 3,
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      results: [
        { index: 0, relevance_score: expect.closeTo(lexicalScore(query, frontLoaded, 3), 6) },
        { index: 1, relevance_score: 0 },
      ],
    });
  });
});

describe('startMockEngine Cohere billing', () => {
  it.each(['cohere-v2', 'cohere-v1'] as const)(
    '%s: reports one search unit per started 100 documents, as Cohere bills',
    async (dialect) => {
      await using engine = await startMockEngine({ dialect, maxBatch: 1000 });
      const path = dialect === 'cohere-v2' ? '/v2/rerank' : '/v1/rerank';
      for (const [count, units] of [
        [250, 3],
        [100, 1],
        [1, 1],
      ] as const) {
        const documents = Array.from({ length: count }, (_, index) => `document ${index}`);
        const answer = await post(engine.url, path, { model: 'm', query: 'q', documents, top_n: 1 });
        expect(answer.status).toBe(200);
        expect(answer.json).toMatchObject({ meta: { billed_units: { search_units: units } } });
      }
    },
  );
});
