import { z } from 'zod';
import { createRerankId } from '../build-rerank-response.js';
import {
  DashScopeErrorBody,
  DashScopeRerankResult,
  DashScopeUsage,
  describeDashScopeError,
} from './dashscope.js';
import { DialectQuery, DialectTexts, PositiveInt } from './engine-fields.js';
import { describeOpenAiError, OpenAiErrorBody } from './openai-error-body.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import { relevanceEntries, toRelevanceResults } from './relevance-results.js';
import type { RerankDialect } from './rerank-dialect.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/** The body of DashScope's OpenAI-compatible `POST /compatible-api/v1/reranks`. */
export const DashScopeCompatibleRerankRequest = z.object({
  /** The model, for example `qwen3-rerank`. */
  model: z.string().min(1),
  /** The search query. */
  query: DialectQuery,
  /** The documents, as strings. */
  documents: DialectTexts,
  /** How many results to return; all when omitted. */
  top_n: PositiveInt.optional(),
  /** The task instruction; the model's default when omitted. */
  instruct: z.string().optional(),
  /** Whether results carry the document; `false` by default. */
  return_documents: z.boolean().optional(),
});

/** The body of DashScope's compatible rerank call. */
export type DashScopeCompatibleRerankRequest = z.infer<typeof DashScopeCompatibleRerankRequest>;

/**
 * The answer of DashScope's compatible rerank call. Not confirmed field by field from DashScope's
 * reference: read as `{ object, results, model, id, usage }` like other OpenAI-style rerank APIs, with
 * everything but `results` optional.
 */
export const DashScopeCompatibleRerankResponse = z.object({
  /** `list`, when sent. */
  object: z.string().optional(),
  /** The ranked documents, by score descending. */
  results: z.array(DashScopeRerankResult),
  /** The model that ranked. */
  model: z.string().optional(),
  /** The id of the call. */
  id: z.string().optional(),
  /** Tokens counted. */
  usage: DashScopeUsage.optional(),
});

/** The answer of DashScope's compatible rerank call. */
export type DashScopeCompatibleRerankResponse = z.infer<typeof DashScopeCompatibleRerankResponse>;

/** DashScope's compatible-mode error: OpenAI-style, or the native `{ code, message }`. */
export const DashScopeCompatibleErrorBody = z.union([OpenAiErrorBody, DashScopeErrorBody]);

/**
 * DashScope `POST /compatible-api/v1/reranks`: flat OpenAI-like body with `instruct`. Scores are
 * probabilities (identity).
 */
export const dashScopeCompatibleDialect: RerankDialect<
  DashScopeCompatibleRerankRequest,
  DashScopeCompatibleRerankResponse
> = {
  name: 'dashscope-compatible',
  request: DashScopeCompatibleRerankRequest,
  response: DashScopeCompatibleRerankResponse,
  error: DashScopeCompatibleErrorBody,
  toRequest(request, options = {}) {
    const body: DashScopeCompatibleRerankRequest = {
      model: options.upstreamModel ?? request.model,
      query: request.query,
      documents: request.documents,
      top_n: request.topN,
      return_documents: request.returnDocuments,
    };
    if (request.instruction !== undefined) body.instruct = request.instruction;
    return body;
  },
  fromRequest(request) {
    return toNormalizedRequest({
      model: request.model,
      query: request.query,
      documents: request.documents,
      topN: request.top_n,
      returnDocuments: request.return_documents ?? false,
      instruction: request.instruct,
    });
  },
  toResponse(input) {
    return {
      object: 'list',
      results: toRelevanceResults(input, 'identity', 'object'),
      model: input.model,
      id: input.id ?? createRerankId(),
      usage: { total_tokens: input.totalTokens },
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer(
      'dashscope-compatible',
      DashScopeCompatibleRerankResponse,
      body,
      options,
      'identity',
      (parsed) => ({
        entries: relevanceEntries(parsed.results),
        totalTokens: parsed.usage?.total_tokens,
      }),
    ),
  describeError: (body) => describeOpenAiError(body) ?? describeDashScopeError(body),
};
