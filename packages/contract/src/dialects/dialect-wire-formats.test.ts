import { describe, expect, it } from 'vitest';
import type { NormalizedRerankRequest } from '../normalize-rerank-request.js';
import { cohereV1Dialect } from './cohere-v1.js';
import { cohereV2Dialect } from './cohere-v2.js';
import { dashScopeDialect } from './dashscope.js';
import { dashScopeCompatibleDialect } from './dashscope-compatible.js';
import { DialectResponseError } from './dialect-response-error.js';
import { infinityDialect } from './infinity.js';
import { jinaDialect } from './jina.js';
import { llamaCppDialect } from './llama-cpp.js';
import { formatQwen3RerankerDocument, formatQwen3RerankerQuery } from './qwen3-reranker.js';
import { scoresInRequestOrder } from './read-ranked-scores.js';
import { teiDialect } from './tei.js';
import { vllmRerankDialect } from './vllm-rerank.js';
import { vllmScoreDialect } from './vllm-score.js';
import { voyageDialect } from './voyage.js';

const request: NormalizedRerankRequest = {
  model: 'qwen3-rerank',
  query: 'best API gateway',
  documents: ['doc a', 'doc b', 'doc c'],
  topN: 2,
  returnDocuments: true,
  instruction: 'Retrieve semantically similar text',
  maxTokensPerDocument: 512,
};

describe('requests on the wire, field by field', () => {
  it('cohere v2', () => {
    expect(cohereV2Dialect.toRequest(request, { upstreamModel: 'rerank-v3.5' })).toEqual({
      model: 'rerank-v3.5',
      query: 'best API gateway',
      documents: ['doc a', 'doc b', 'doc c'],
      top_n: 2,
      max_tokens_per_doc: 512,
    });
  });

  it('cohere v1', () => {
    expect(cohereV1Dialect.toRequest(request)).toEqual({
      model: 'qwen3-rerank',
      query: 'best API gateway',
      documents: ['doc a', 'doc b', 'doc c'],
      top_n: 2,
      return_documents: true,
    });
  });

  it('jina', () => {
    expect(jinaDialect.toRequest(request)).toEqual({
      model: 'qwen3-rerank',
      query: 'best API gateway',
      documents: ['doc a', 'doc b', 'doc c'],
      top_n: 2,
      return_documents: true,
    });
  });

  it('voyage', () => {
    expect(voyageDialect.toRequest(request)).toEqual({
      query: 'best API gateway',
      documents: ['doc a', 'doc b', 'doc c'],
      model: 'qwen3-rerank',
      top_k: 2,
      return_documents: true,
      truncation: true,
    });
  });

  it('dashscope native and compatible', () => {
    expect(dashScopeDialect.toRequest(request)).toEqual({
      model: 'qwen3-rerank',
      input: { query: 'best API gateway', documents: ['doc a', 'doc b', 'doc c'] },
      parameters: { top_n: 2, return_documents: true, instruct: 'Retrieve semantically similar text' },
    });
    expect(dashScopeCompatibleDialect.toRequest(request)).toEqual({
      model: 'qwen3-rerank',
      query: 'best API gateway',
      documents: ['doc a', 'doc b', 'doc c'],
      top_n: 2,
      return_documents: true,
      instruct: 'Retrieve semantically similar text',
    });
  });

  it('tei', () => {
    expect(teiDialect.toRequest(request)).toEqual({
      query: 'best API gateway',
      texts: ['doc a', 'doc b', 'doc c'],
      return_text: true,
      raw_scores: false,
      truncate: true,
    });
    const { maxTokensPerDocument: _limit, ...withoutLimit } = request;
    expect(teiDialect.toRequest(withoutLimit, { rawScores: true })).toEqual({
      query: 'best API gateway',
      texts: ['doc a', 'doc b', 'doc c'],
      return_text: true,
      raw_scores: true,
    });
  });

  it('vllm rerank and score, plain and with the Qwen3 template', () => {
    expect(vllmRerankDialect.toRequest(request, { upstreamModel: 'Qwen/Qwen3-Reranker-0.6B' })).toEqual({
      model: 'Qwen/Qwen3-Reranker-0.6B',
      query: 'best API gateway',
      documents: ['doc a', 'doc b', 'doc c'],
      top_n: 2,
      // vLLM applies a count to the whole prompt: only "the model's length" (-1) is sent, never 512.
      truncate_prompt_tokens: -1,
    });
    expect(vllmScoreDialect.toRequest(request, { qwen3RerankerTemplate: true })).toEqual({
      model: 'qwen3-rerank',
      text_1: formatQwen3RerankerQuery({
        instruction: 'Retrieve semantically similar text',
        query: 'best API gateway',
      }),
      text_2: ['doc a', 'doc b', 'doc c'].map(formatQwen3RerankerDocument),
      truncate_prompt_tokens: -1,
    });
    const { maxTokensPerDocument: _limit, ...withoutLimit } = request;
    expect(vllmRerankDialect.toRequest(withoutLimit)).not.toHaveProperty('truncate_prompt_tokens');
    expect(vllmScoreDialect.toRequest(withoutLimit)).not.toHaveProperty('truncate_prompt_tokens');
  });

  it('infinity and llama.cpp', () => {
    expect(infinityDialect.toRequest(request)).toEqual({
      query: 'best API gateway',
      documents: ['doc a', 'doc b', 'doc c'],
      return_documents: true,
      raw_scores: false,
      model: 'qwen3-rerank',
      top_n: 2,
    });
    expect(llamaCppDialect.toRequest(request)).toEqual({
      model: 'qwen3-rerank',
      query: 'best API gateway',
      documents: ['doc a', 'doc b', 'doc c'],
      top_n: 2,
    });
  });
});

describe('answers as the engines send them', () => {
  it('reads a TEI bare array, with and without raw scores', () => {
    const body = [
      { index: 2, score: 0.98 },
      { index: 0, score: 0.02 },
      { index: 1, score: 0.5 },
    ];
    const parsed = teiDialect.parseResponse(body, { documentCount: 3 });
    expect(parsed.results).toEqual([
      { index: 2, relevanceScore: 0.98 },
      { index: 1, relevanceScore: 0.5 },
      { index: 0, relevanceScore: 0.02 },
    ]);
    expect(Array.from(scoresInRequestOrder(parsed.results, 3))).toEqual([0.02, 0.5, 0.98]);
    const raw = teiDialect.parseResponse(
      [
        { index: 0, score: 3.2, text: 'doc a' },
        { index: 1, score: -4.1, text: 'doc b' },
      ],
      { documentCount: 2, scoreMapping: 'sigmoid' },
    );
    expect(raw.results[0]).toEqual({ index: 0, relevanceScore: 1 / (1 + Math.exp(-3.2)), text: 'doc a' });
    expect(raw.results[1]!.relevanceScore).toBeCloseTo(0.016302, 6);
  });

  it('refuses TEI raw logits read as probabilities, naming the fix', () => {
    expect(() => teiDialect.parseResponse([{ index: 0, score: 3.2 }], { documentCount: 1 })).toThrow(
      'the tei answer is invalid: results[0].score: 3.2 is not a probability in [0, 1] (raw logits need the sigmoid mapping)',
    );
  });

  it('maps llama.cpp logits through the sigmoid', () => {
    const body = {
      model: 'qwen3-reranker',
      object: 'list',
      usage: { prompt_tokens: 464, total_tokens: 464 },
      results: [
        { index: 1, relevance_score: 8.2 },
        { index: 0, relevance_score: -10.5 },
      ],
    };
    const parsed = llamaCppDialect.parseResponse(body, { documentCount: 2 });
    expect(parsed.totalTokens).toBe(464);
    expect(parsed.results.map((result) => result.index)).toEqual([1, 0]);
    expect(parsed.results[0]!.relevanceScore).toBeCloseTo(0.999725, 6);
    expect(parsed.results[1]!.relevanceScore).toBeCloseTo(2.75e-5, 7);
  });

  it('reads vLLM score data in request order and rerank results with documents', () => {
    const score = vllmScoreDialect.parseResponse(
      {
        id: 'score-1',
        object: 'list',
        created: 1_700_000_000,
        model: 'Qwen/Qwen3-Reranker-0.6B',
        data: [
          { index: 0, object: 'score', score: 0.1 },
          { index: 1, object: 'score', score: 0.85 },
        ],
        usage: { prompt_tokens: 100, total_tokens: 100, completion_tokens: 0 },
      },
      { documentCount: 2 },
    );
    expect(score).toEqual({
      results: [
        { index: 1, relevanceScore: 0.85 },
        { index: 0, relevanceScore: 0.1 },
      ],
      totalTokens: 100,
    });
    const rerank = vllmRerankDialect.parseResponse(
      {
        id: 'rerank-1',
        model: 'm',
        usage: { total_tokens: 7 },
        results: [{ index: 0, document: { text: 'doc a' }, relevance_score: 0.7 }],
      },
      { documentCount: 3, topN: 1 },
    );
    expect(rerank.results).toEqual([{ index: 0, relevanceScore: 0.7, text: 'doc a' }]);
    expect(() => scoresInRequestOrder(rerank.results, 3)).toThrow('document 1 has no score');
  });

  it('reads Infinity, Voyage, DashScope and Cohere answers', () => {
    expect(
      infinityDialect.parseResponse(
        {
          object: 'rerank',
          results: [{ relevance_score: 0.9, index: 0, document: 'doc a' }],
          model: 'm',
          usage: { prompt_tokens: 5, total_tokens: 5 },
          id: 'infinity-1',
          created: 1,
        },
        { documentCount: 1 },
      ).results,
    ).toEqual([{ index: 0, relevanceScore: 0.9, text: 'doc a' }]);
    expect(
      voyageDialect.parseResponse(
        {
          object: 'list',
          data: [{ index: 0, relevance_score: 0.4, document: 'doc a' }],
          model: 'rerank-2.5',
          usage: { total_tokens: 9 },
        },
        { documentCount: 1 },
      ),
    ).toEqual({ results: [{ index: 0, relevanceScore: 0.4, text: 'doc a' }], totalTokens: 9 });
    expect(
      dashScopeDialect.parseResponse(
        {
          output: { results: [{ document: { text: 'doc a' }, index: 0, relevance_score: 0.6 }] },
          usage: { total_tokens: 11 },
          request_id: 'abc',
        },
        { documentCount: 1 },
      ),
    ).toEqual({ results: [{ index: 0, relevanceScore: 0.6, text: 'doc a' }], totalTokens: 11 });
    expect(
      cohereV2Dialect.parseResponse(
        {
          id: 'x',
          results: [{ index: 0, relevance_score: 0.3 }],
          meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } },
        },
        { documentCount: 1 },
      ),
    ).toEqual({ results: [{ index: 0, relevanceScore: 0.3 }], totalTokens: undefined });
  });

  it('lists every problem of a broken answer in one error', () => {
    let thrown: unknown;
    try {
      jinaDialect.parseResponse(
        {
          results: [
            { index: 0, relevance_score: 0.2 },
            { index: 0, relevance_score: 0.3 },
            { index: 7, relevance_score: 0.3 },
          ],
        },
        { documentCount: 4 },
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DialectResponseError);
    expect((thrown as DialectResponseError).dialect).toBe('jina');
    expect((thrown as DialectResponseError).issues).toEqual([
      'expected 4 results for 4 documents, got 3',
      'results[1].index: document 0 is scored twice',
      'results[2].index: 7 is not a document index (0 to 3)',
    ]);
  });

  it('names the field of a wrong shape', () => {
    expect(() => cohereV2Dialect.parseResponse({ results: [{ index: 0 }] }, { documentCount: 1 })).toThrow(
      /^the cohere-v2 answer is invalid: results\[0\]\.relevance_score: /,
    );
  });
});

describe('error bodies', () => {
  it('reads each engine error shape', () => {
    expect(cohereV2Dialect.describeError({ message: 'invalid api token' })).toEqual({
      message: 'invalid api token',
    });
    expect(jinaDialect.describeError({ detail: 'Invalid API key' })).toEqual({ message: 'Invalid API key' });
    expect(
      voyageDialect.describeError({
        detail: [{ loc: ['body', 'query'], msg: 'field required', type: 'missing' }],
      }),
    ).toEqual({ message: 'field required' });
    expect(
      dashScopeDialect.describeError({
        code: 'InvalidParameter',
        message: 'Range of top_n is invalid',
        request_id: 'r',
      }),
    ).toEqual({ message: 'Range of top_n is invalid', code: 'InvalidParameter' });
    expect(
      dashScopeCompatibleDialect.describeError({
        error: { message: 'bad key', type: 'invalid_request_error', code: 'invalid_api_key' },
      }),
    ).toEqual({ message: 'bad key', code: 'invalid_request_error' });
    expect(teiDialect.describeError({ error: 'Model is overloaded', error_type: 'Overloaded' })).toEqual({
      message: 'Model is overloaded',
      code: 'Overloaded',
    });
    expect(
      vllmRerankDialect.describeError({
        object: 'error',
        message: "This model's maximum context length is 512 tokens.",
        type: 'BadRequestError',
        param: null,
        code: 400,
      }),
    ).toEqual({ message: "This model's maximum context length is 512 tokens.", code: 'BadRequestError' });
    expect(
      llamaCppDialect.describeError({
        error: { code: 501, message: 'This server does not support reranking.', type: 'not_supported_error' },
      }),
    ).toEqual({ message: 'This server does not support reranking.', code: 'not_supported_error' });
    expect(infinityDialect.describeError({ error: { message: 'model not found' } })).toEqual({
      message: 'model not found',
    });
  });

  it("reads vLLM's API-key refusal, whose error is a bare string (AuthenticationMiddleware)", () => {
    for (const dialect of [vllmRerankDialect, vllmScoreDialect]) {
      expect(dialect.describeError({ error: 'Unauthorized' })).toEqual({ message: 'Unauthorized' });
      expect(dialect.error.safeParse({ error: 'Unauthorized' }).success).toBe(true);
    }
  });

  it("reads Infinity's FastAPI refusals: 422 schema errors and 401 as { detail }", () => {
    expect(
      infinityDialect.describeError({
        detail: [
          {
            type: 'too_long',
            loc: ['body', 'documents'],
            msg: 'List should have at most 2048 items after validation, not 2049',
          },
        ],
      }),
    ).toEqual({ message: 'List should have at most 2048 items after validation, not 2049' });
    expect(infinityDialect.describeError({ detail: 'Unauthorized' })).toEqual({ message: 'Unauthorized' });
    expect(infinityDialect.error.safeParse({ detail: 'Unauthorized' }).success).toBe(true);
  });
});

describe('requests from the wire', () => {
  it('reads Cohere v1 object documents by their text', () => {
    const body = cohereV1Dialect.request.parse({
      query: 'q',
      documents: ['plain', { text: 'object', title: 'kept but unused' }],
      rank_fields: ['text'],
      max_chunks_per_doc: 10,
    });
    expect(cohereV1Dialect.fromRequest(body, { defaultModel: 'rerank-english-v3.0' })).toEqual({
      model: 'rerank-english-v3.0',
      query: 'q',
      documents: ['plain', 'object'],
      topN: 2,
      returnDocuments: false,
    });
  });

  it.each([-1, 7])(
    "reads vLLM's top_n 0 as all and truncate_prompt_tokens %i as no per-document limit",
    (truncatePromptTokens) => {
      const body = vllmRerankDialect.request.parse({
        query: 'q',
        documents: ['a', 'b', 'c'],
        top_n: 0,
        truncate_prompt_tokens: truncatePromptTokens,
      });
      expect(vllmRerankDialect.fromRequest(body)).toEqual({
        model: '',
        query: 'q',
        documents: ['a', 'b', 'c'],
        topN: 3,
        returnDocuments: true,
      });
      const score = vllmScoreDialect.request.parse({
        text_1: 'q',
        text_2: ['a'],
        truncate_prompt_tokens: truncatePromptTokens,
      });
      expect(vllmScoreDialect.fromRequest(score).maxTokensPerDocument).toBeUndefined();
    },
  );

  it('leaves a vLLM query alone unless the query and every document carry the Qwen3 template', () => {
    const query = formatQwen3RerankerQuery({ query: 'q' });
    const body = vllmScoreDialect.request.parse({
      text_1: query,
      text_2: [formatQwen3RerankerDocument('a'), 'b'],
    });
    const canonical = vllmScoreDialect.fromRequest(body);
    expect(canonical.query).toBe(query);
    expect(canonical.instruction).toBeUndefined();
  });

  it('refuses requests that miss what the dialect requires', () => {
    expect(teiDialect.request.safeParse({ query: 'q', documents: ['a'] }).success).toBe(false);
    expect(cohereV2Dialect.request.safeParse({ query: 'q', documents: ['a'] }).success).toBe(false);
    expect(voyageDialect.request.safeParse({ model: 'm', query: '', documents: ['a'] }).success).toBe(false);
    expect(
      dashScopeDialect.request.safeParse({ model: 'm', input: { query: 'q', documents: [] } }).success,
    ).toBe(false);
    expect(llamaCppDialect.request.safeParse({ query: 'q', documents: ['a'], top_n: 0 }).success).toBe(false);
  });
});
