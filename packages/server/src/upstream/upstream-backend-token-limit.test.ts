import { DIALECTS, detectDegenerateScores, RELEVANCE_FIXTURE } from '@sealink/rerank-contract/dialects';
import { lexicalScore, startMockEngine } from '@sealink/rerank-mock-server';
import { describe, expect, it } from 'vitest';
import type { ScoringWarning } from '../backend/scoring-backend-v1.js';
import { UPSTREAM_TYPE_DIALECTS, UPSTREAM_TYPES, upstreamEngine } from './upstream-engines.js';
import { createDisposableBackend, scoringErrorOf } from './upstream-test-kit.js';

/** Words that share nothing with the fixture's query, to make documents long. */
const filler = (words: number) => Array.from({ length: words }, (_, index) => `lorem${index}`).join(' ');

/** The fixture's documents, each made long by filler after its relevant start. */
const longDocuments = (words: number) =>
  RELEVANCE_FIXTURE.documents.map((text) => `${text} ${filler(words)}`);

const tokenLimitWarnings = (warnings: readonly ScoringWarning[]) =>
  warnings.filter(
    (warning) => warning.type === 'unsupported-setting' && warning.setting === 'maxTokensPerDocument',
  );

describe('upstreamEngine: which upstreams take an exact per-document token limit', () => {
  it('is read from the dialect’s tokenLimit: only Cohere v2 has one', () => {
    for (const type of UPSTREAM_TYPES) {
      const engine = upstreamEngine(type);
      expect(engine.acceptsMaxTokensPerDocument, type).toBe(engine.info.tokenLimit.kind === 'per-document');
    }
    expect(UPSTREAM_TYPES.filter((type) => upstreamEngine(type).acceptsMaxTokensPerDocument)).toEqual([
      'cohere',
      'cohere-v2',
    ]);
    expect(DIALECTS.tei.tokenLimit.kind).toBe('model-length');
    expect(DIALECTS['vllm-rerank'].tokenLimit.kind).toBe('model-length');
  });
});

describe('UpstreamBackend with maxTokensPerDocument, over real sockets', () => {
  it.each(['vllm', 'vllm-score'] as const)(
    '%s with the gateway’s Qwen3 template: sends truncate_prompt_tokens -1, never the count, scores well and warns',
    async (type) => {
      // A model of 256 tokens; the documents are long next to the per-document limits asked for below.
      await using engine = await startMockEngine({
        dialect: UPSTREAM_TYPE_DIALECTS[type],
        qwen3: 'expects-formatted',
        maxInputTokens: 256,
      });
      await using backend = createDisposableBackend({
        type,
        baseUrls: [engine.url],
        model: 'Qwen/Qwen3-Reranker-0.6B',
        promptTemplate: 'qwen3',
      });
      const documents = longDocuments(40);
      // 16 would have cut into the template and query (last 16 tokens of the prompt); 4096 is above the
      // model's length, which vLLM refuses with a 400.
      for (const maxTokensPerDocument of [16, 4096]) {
        const result = await backend.doScore({
          query: RELEVANCE_FIXTURE.query,
          documents,
          maxTokensPerDocument,
        });
        const report = detectDegenerateScores(result.scores);
        expect(report.degenerate, report.reasons.join('; ')).toBe(false);
        expect(tokenLimitWarnings(result.warnings)).toEqual([
          {
            type: 'unsupported-setting',
            setting: 'maxTokensPerDocument',
            details: expect.stringMatching(
              /count is not honoured.*model's length.*truncate_prompt_tokens: -1/,
            ),
          },
        ]);
      }
      const bodies = engine.requests.map((entry) => entry.body as Record<string, unknown>);
      expect(bodies).toHaveLength(2);
      for (const body of bodies) expect(body.truncate_prompt_tokens).toBe(-1);
      // Without a limit nothing is asked for, and nothing is warned about.
      const plain = await backend.doScore({ query: RELEVANCE_FIXTURE.query, documents });
      expect(plain.warnings).toEqual([]);
      expect(engine.requests.at(-1)?.body).not.toHaveProperty('truncate_prompt_tokens');
    },
  );

  it('vLLM: a document longer than the model is truncated instead of failing the call when a limit is set', async () => {
    await using engine = await startMockEngine({
      dialect: 'vllm-rerank',
      qwen3: 'expects-formatted',
      maxInputTokens: 256,
    });
    await using backend = createDisposableBackend({
      type: 'vllm',
      baseUrls: [engine.url],
      model: 'Qwen/Qwen3-Reranker-0.6B',
      promptTemplate: 'qwen3',
    });
    const documents = [...longDocuments(40), `Sourdough starter notes. ${filler(400)}`];
    const refused = await scoringErrorOf(backend.doScore({ query: RELEVANCE_FIXTURE.query, documents }));
    expect(refused.type).toBe('upstream_error');
    expect(refused.message).toContain('maximum context length is 256 tokens');
    const result = await backend.doScore({
      query: RELEVANCE_FIXTURE.query,
      documents,
      maxTokensPerDocument: 512,
    });
    expect(result.scores).toHaveLength(documents.length);
    // The documents within the model's length are scored as without truncation.
    const fitting = Array.from(result.scores).slice(0, RELEVANCE_FIXTURE.documents.length);
    expect(detectDegenerateScores(fitting).degenerate).toBe(false);
    expect(tokenLimitWarnings(result.warnings)).toHaveLength(1);
  });

  it('TEI: sends truncate: true and no count, the engine cuts each pair to the model’s length, and it warns', async () => {
    await using engine = await startMockEngine({ dialect: 'tei', maxInputTokens: 24 });
    await using backend = createDisposableBackend({ type: 'tei', baseUrls: [engine.url], model: 'm' });
    const query = RELEVANCE_FIXTURE.query;
    const documents = longDocuments(30);
    const refused = await scoringErrorOf(backend.doScore({ query, documents }));
    expect(refused.message).toContain('413');
    const result = await backend.doScore({ query, documents, maxTokensPerDocument: 8 });
    const body = engine.requests.at(-1)?.body as Record<string, unknown>;
    expect(body.truncate).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/"(max_tokens|truncate_prompt_tokens)/);
    // TEI cut every pair to 24 tokens (the query's 8 plus 16 of the document), not to 8 per document.
    expect(Array.from(result.scores)).toEqual(
      documents.map((document) => expect.closeTo(lexicalScore(query, document, 24 - 8), 6)),
    );
    expect(Array.from(result.scores)).not.toEqual(
      documents.map((document) => expect.closeTo(lexicalScore(query, document, 8), 6)),
    );
    expect(detectDegenerateScores(result.scores).degenerate).toBe(false);
    expect(tokenLimitWarnings(result.warnings)).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'maxTokensPerDocument',
        details: expect.stringMatching(/count is not honoured.*model's length.*truncate: true/),
      },
    ]);
  });

  it('TEI with the gateway’s Qwen3 template: asks TEI to cut a long pair at its start, where the prompt’s end survives', async () => {
    // A converted Qwen3-Reranker reads its yes/no at the very end of the prompt, after the document (the
    // reason vLLM is sent truncate_prompt_tokens -1, which keeps the last tokens). TEI cuts on the right
    // by default, which drops that end from every pair longer than the model. The mock engine reads any
    // cut into the template as noise, so this checks what is sent, and that the call still scores.
    await using engine = await startMockEngine({ dialect: 'tei', qwen3: 'expects-formatted' });
    await using backend = createDisposableBackend({
      type: 'tei',
      baseUrls: [engine.url],
      model: 'Qwen/Qwen3-Reranker-0.6B',
      promptTemplate: 'qwen3',
    });
    const result = await backend.doScore({
      query: RELEVANCE_FIXTURE.query,
      documents: RELEVANCE_FIXTURE.documents,
      maxTokensPerDocument: 64,
    });
    const body = engine.requests.at(-1)?.body as Record<string, unknown>;
    expect(body.truncate).toBe(true);
    expect(body.truncation_direction).toBe('Left');
    const report = detectDegenerateScores(result.scores);
    expect(report.degenerate, report.reasons.join('; ')).toBe(false);
    // Without a limit nothing is cut; without the template the pair is plain text, cut as TEI cuts it.
    await backend.doScore({ query: RELEVANCE_FIXTURE.query, documents: RELEVANCE_FIXTURE.documents });
    expect(engine.requests.at(-1)?.body).not.toHaveProperty('truncation_direction');
    await using plain = createDisposableBackend({ type: 'tei', baseUrls: [engine.url], model: 'm' });
    await plain.doScore({ query: 'q', documents: ['d'], maxTokensPerDocument: 64 });
    expect(engine.requests.at(-1)?.body).toMatchObject({ truncate: true });
    expect(engine.requests.at(-1)?.body).not.toHaveProperty('truncation_direction');
  });

  it('Cohere v2: sends max_tokens_per_doc exactly, the engine cuts each document to it, and nothing is warned', async () => {
    await using engine = await startMockEngine({ dialect: 'cohere-v2' });
    await using backend = createDisposableBackend({
      type: 'cohere',
      baseUrls: [engine.url],
      model: 'rerank-v3.5',
    });
    const query = RELEVANCE_FIXTURE.query;
    const documents = longDocuments(30);
    const result = await backend.doScore({ query, documents, maxTokensPerDocument: 5 });
    expect(engine.requests).toHaveLength(1);
    expect(engine.requests[0]?.body).toMatchObject({ model: 'rerank-v3.5', max_tokens_per_doc: 5 });
    expect(Array.from(result.scores)).toEqual(
      documents.map((document) => expect.closeTo(lexicalScore(query, document, 5), 6)),
    );
    expect(result.warnings).toEqual([]);
  });
});
