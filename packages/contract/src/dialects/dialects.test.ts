import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRerankResponse } from '../build-rerank-response.js';
import { normalizeRerankRequest } from '../normalize-rerank-request.js';
import { junkBodyArbitrary, rerankRequestArbitrary, textArbitrary } from '../testing/arbitraries.js';
import { DIALECT_NAMES, type DialectName } from './dialect-name.js';
import { DialectResponseError } from './dialect-response-error.js';
import { dialectResponseInputOf } from './dialect-response-input-of.js';
import { DIALECTS, type DialectTokenLimit } from './dialects.js';
import { QWEN3_RERANKER_DEFAULT_INSTRUCTION } from './qwen3-reranker.js';
import type { DialectRequestOptions } from './rerank-dialect.js';
import type { ScoreMapping } from './score-mapping.js';

/** What a dialect's request and answer carry, for the property tests. */
interface DialectCapabilities {
  /** The request names the model. */
  model: boolean;
  /** The request carries `top_n` and the answer honours it. */
  topN: boolean;
  /** The request carries whether to return documents. */
  returnDocuments: boolean;
  /** The answer can carry the documents' text. */
  answerText: boolean;
  /** The request carries the instruction. */
  instruction: boolean;
  /**
   * What the request does with a per-document token limit: carries the count (`per-document`), asks the
   * engine to cut to the model's length without the count (`model-length`), or drops it (`none`).
   */
  maxTokens: DialectTokenLimit['kind'];
  /** Where the answer keeps its results, and the name of the score field. */
  results: (body: unknown) => Record<string, unknown>[];
  /** The score field of one result. */
  scoreField: string;
  /** The options the test sends with `toRequest`. */
  requestOptions?: DialectRequestOptions;
}

const at =
  (...path: string[]) =>
  (body: unknown) => {
    let value = body as Record<string, unknown>;
    for (const key of path) value = value[key] as Record<string, unknown>;
    return value as unknown as Record<string, unknown>[];
  };

/** A row with the common case filled in: model, top_n, results under `results` scored as `relevance_score`. */
const row = (
  name: DialectName,
  capabilities: Partial<DialectCapabilities> & { label?: string },
): DialectCapabilities & { name: DialectName; label: string } => ({
  label: name,
  name,
  model: true,
  topN: true,
  returnDocuments: true,
  answerText: true,
  instruction: false,
  maxTokens: 'none',
  results: at('results'),
  scoreField: 'relevance_score',
  ...capabilities,
});

const withoutDocuments = { returnDocuments: false, answerText: false };
const qwen3Template = { instruction: true, requestOptions: { qwen3RerankerTemplate: true } };
const vllmScore = {
  ...withoutDocuments,
  topN: false,
  maxTokens: 'model-length' as const,
  results: at('data'),
  scoreField: 'score',
};

/** One row per dialect configuration under test; vLLM appears with and without the Qwen3 template. */
const DIALECT_TEST_TABLE = [
  row('cohere-v2', { ...withoutDocuments, maxTokens: 'per-document' }),
  row('cohere-v1', {}),
  row('jina', {}),
  row('voyage', { results: at('data') }),
  row('dashscope', { instruction: true, results: at('output', 'results') }),
  row('dashscope-compatible', { instruction: true }),
  row('tei', { model: false, topN: false, maxTokens: 'model-length', results: at(), scoreField: 'score' }),
  row('vllm-rerank', { returnDocuments: false, maxTokens: 'model-length' }),
  row('vllm-rerank', {
    label: 'vllm-rerank + qwen3 template',
    returnDocuments: false,
    maxTokens: 'model-length',
    ...qwen3Template,
  }),
  row('vllm-score', vllmScore),
  row('vllm-score', { label: 'vllm-score + qwen3 template', ...vllmScore, ...qwen3Template }),
  row('infinity', {}),
  row('llama-cpp', withoutDocuments),
] as const;

const jsonRoundTrip = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

/** A ranking problem: documents, one score per document on a 0.001 grid, top_n and return_documents. */
const rankingArbitrary = (minDocuments = 1) =>
  fc.integer({ min: minDocuments, max: 30 }).chain((count) =>
    fc.record({
      documents: fc.array(textArbitrary(40), { minLength: count, maxLength: count }),
      scores: fc.array(
        fc.integer({ min: 0, max: 1000 }).map((value) => value / 1000),
        { minLength: count, maxLength: count },
      ),
      topN: fc.integer({ min: 1, max: count + 5 }),
      returnDocuments: fc.boolean(),
      rawScores: fc.boolean(),
    }),
  );

type Row = (typeof DIALECT_TEST_TABLE)[number];
type Ranking = {
  documents: string[];
  scores: number[];
  topN: number;
  returnDocuments: boolean;
  rawScores: boolean;
};

/** The mapping a row answers in for a ranking: raw logits when asked and the engine has them. */
function mappingOf(row: Row, ranking: Ranking): ScoreMapping | undefined {
  const raw = DIALECTS[row.name].rawScoreMapping;
  return ranking.rawScores && raw !== undefined ? raw : undefined;
}

/** The canonical answer for a ranking and the dialect's wire answer built from it. */
function answerOf(row: Row, ranking: Ranking) {
  const canonical = buildRerankResponse({
    model: 'upstream-model',
    documents: ranking.documents,
    scores: ranking.scores,
    topN: row.topN ? ranking.topN : undefined,
    returnDocuments: row.answerText && ranking.returnDocuments,
    totalTokens: 42,
  });
  const scoreMapping = mappingOf(row, ranking);
  const input = dialectResponseInputOf(canonical);
  const wire = jsonRoundTrip(
    DIALECTS[row.name].dialect.toResponse(scoreMapping === undefined ? input : { ...input, scoreMapping }),
  );
  const parseOptions = {
    documentCount: ranking.documents.length,
    ...(row.topN ? { topN: ranking.topN } : {}),
    ...(scoreMapping === undefined ? {} : { scoreMapping }),
  };
  return { canonical, wire, parseOptions };
}

describe('DIALECTS', () => {
  it('describes every dialect under its own name', () => {
    expect(Object.keys(DIALECTS)).toEqual([...DIALECT_NAMES]);
    for (const name of DIALECT_NAMES) {
      const info = DIALECTS[name];
      expect(info.name).toBe(name);
      expect(info.dialect.name).toBe(name);
      expect(info.paths[0]).toMatch(/^\//);
      expect(info.defaultMaxBatch).toBeGreaterThan(0);
      expect(info.summary.length).toBeGreaterThan(20);
    }
    expect(DIALECTS.tei.defaultMaxBatch).toBe(32);
    expect(DIALECTS['llama-cpp'].scoreMapping).toBe('sigmoid');
    expect(DIALECTS.tei.rawScoreMapping).toBe('sigmoid');
    expect(DIALECTS.infinity.rawScoreMapping).toBe('sigmoid');
  });

  it('covers every dialect in the property tests', () => {
    expect(new Set(DIALECT_TEST_TABLE.map((row) => row.name))).toEqual(new Set<DialectName>(DIALECT_NAMES));
  });
});

describe.each(DIALECT_TEST_TABLE)('$label', (row) => {
  const { dialect } = DIALECTS[row.name];

  it('canonical -> dialect request -> canonical keeps the meaning', () => {
    fc.assert(
      fc.property(rerankRequestArbitrary({ maxDocuments: 12 }), (request) => {
        const canonical = normalizeRerankRequest(request);
        const wire = jsonRoundTrip(dialect.toRequest(canonical, row.requestOptions));
        const back = dialect.fromRequest(dialect.request.parse(wire), { defaultModel: 'default-model' });
        expect(back.query).toBe(canonical.query);
        expect(back.documents).toEqual(canonical.documents);
        expect(back.model).toBe(row.model ? canonical.model : 'default-model');
        expect(back.topN).toBe(row.topN ? canonical.topN : canonical.documents.length);
        if (row.returnDocuments) expect(back.returnDocuments).toBe(canonical.returnDocuments);
        const expectedInstruction = !row.instruction
          ? undefined
          : row.requestOptions?.qwen3RerankerTemplate === true
            ? (canonical.instruction ?? QWEN3_RERANKER_DEFAULT_INSTRUCTION)
            : canonical.instruction;
        expect(back.instruction).toBe(expectedInstruction);
        expect(back.maxTokensPerDocument).toBe(
          row.maxTokens === 'per-document' ? canonical.maxTokensPerDocument : undefined,
        );
      }),
      { numRuns: 60 },
    );
  });

  it(`handles a per-document token limit as its tokenLimit kind says (${row.maxTokens})`, () => {
    expect(DIALECTS[row.name].tokenLimit.kind).toBe(row.maxTokens);
    fc.assert(
      fc.property(
        rerankRequestArbitrary({ maxDocuments: 5 }),
        fc.integer({ min: 1, max: 100_000 }),
        (request, limit) => {
          const { maxTokensPerDocument: _drop, ...unlimited } = normalizeRerankRequest(request);
          const limited = { ...unlimited, maxTokensPerDocument: limit };
          const other = { ...unlimited, maxTokensPerDocument: limit + 1 };
          const wire = (canonical: typeof unlimited) =>
            jsonRoundTrip(dialect.toRequest(canonical, row.requestOptions));
          switch (row.maxTokens) {
            case 'per-document':
              // The count itself goes on the wire.
              expect(wire(limited)).not.toEqual(wire(other));
              expect(wire(limited)).not.toEqual(wire(unlimited));
              break;
            case 'model-length':
              // A cut is asked for, but the count never reaches the engine: any count sends the same body.
              expect(wire(limited)).toEqual(wire(other));
              expect(wire(limited)).not.toEqual(wire(unlimited));
              break;
            case 'none':
              expect(wire(limited)).toEqual(wire(unlimited));
              break;
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('sends the upstream model name in place of the customer-visible one', () => {
    const canonical = normalizeRerankRequest({ model: 'qwen3-rerank', query: 'q', documents: ['a'] });
    const wire = dialect.toRequest(canonical, { upstreamModel: 'Qwen/Qwen3-Reranker-0.6B' }) as Record<
      string,
      unknown
    >;
    if (row.model) expect(wire.model).toBe('Qwen/Qwen3-Reranker-0.6B');
    else expect(JSON.stringify(wire)).not.toContain('qwen3-rerank');
  });

  it('an answer built from canonical scores reads back to the same ranking', () => {
    fc.assert(
      fc.property(rankingArbitrary(), (ranking) => {
        const { canonical, wire, parseOptions } = answerOf(row, ranking);
        expect(dialect.response.safeParse(wire).success).toBe(true);
        const parsed = dialect.parseResponse(wire, parseOptions);
        expect(parsed.results.map((result) => result.index)).toEqual(
          canonical.results.map((result) => result.index),
        );
        for (const [rank, result] of parsed.results.entries()) {
          const expected = canonical.results[rank]!;
          expect(Math.abs(result.relevanceScore - expected.relevance_score)).toBeLessThan(1e-9);
          expect(result.text).toBe(expected.document?.text);
        }
        for (let rank = 1; rank < parsed.results.length; rank++) {
          const previous = parsed.results[rank - 1]!;
          const current = parsed.results[rank]!;
          expect(
            previous.relevanceScore > current.relevanceScore ||
              (previous.relevanceScore === current.relevanceScore && previous.index < current.index),
          ).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rejects answers with missing, duplicate or out-of-range indices and bad scores', () => {
    const mutation = fc.constantFrom(
      'drop',
      'duplicate',
      'extra',
      'index-out-of-range',
      'index-negative',
      'index-fraction',
      'index-string',
      'score-nan',
      'score-null',
      'score-string',
      'score-infinite',
      'score-missing',
      'score-out-of-range',
      'results-not-array',
    );
    fc.assert(
      fc.property(rankingArbitrary(2), mutation, fc.nat(), (ranking, kind, position) => {
        const identity = (mappingOf(row, ranking) ?? DIALECTS[row.name].scoreMapping) === 'identity';
        fc.pre(kind !== 'score-out-of-range' || identity);
        const { wire, parseOptions } = answerOf(row, ranking);
        const results = row.results(wire);
        fc.pre(results.length >= 2);
        const target = results[position % results.length]!;
        const count = ranking.documents.length;
        let body = wire;
        switch (kind) {
          case 'drop':
            results.splice(position % results.length, 1);
            break;
          case 'duplicate':
            results[1]!.index = results[0]!.index;
            break;
          case 'extra':
            results.push({ ...target, index: count });
            break;
          case 'index-out-of-range':
            target.index = count;
            break;
          case 'index-negative':
            target.index = -1;
            break;
          case 'index-fraction':
            target.index = 0.5;
            break;
          case 'index-string':
            target.index = String(target.index);
            break;
          case 'score-nan':
            target[row.scoreField] = Number.NaN;
            break;
          case 'score-null':
            target[row.scoreField] = null;
            break;
          case 'score-string':
            target[row.scoreField] = String(target[row.scoreField]);
            break;
          case 'score-infinite':
            target[row.scoreField] = Number.POSITIVE_INFINITY;
            break;
          case 'score-missing':
            delete target[row.scoreField];
            break;
          case 'score-out-of-range':
            target[row.scoreField] = position % 2 === 0 ? 1.5 : -0.25;
            break;
          case 'results-not-array':
            body = Array.isArray(wire)
              ? { results: wire }
              : { ...(wire as object), results: {}, data: {}, output: {} };
            break;
        }
        expect(() => dialect.parseResponse(body, parseOptions)).toThrow(DialectResponseError);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects junk bodies with a DialectResponseError, never another error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), junkBodyArbitrary), (junk) => {
        let thrown: unknown;
        try {
          dialect.parseResponse(junk, { documentCount: 3 });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(DialectResponseError);
        expect((thrown as DialectResponseError).message).toMatch(
          new RegExp(`^the ${row.name} answer is invalid: `),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('describes nothing for a body that is not its error shape', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.integer())), (junk) => {
        expect(dialect.describeError(junk)).toBeUndefined();
      }),
    );
  });
});
