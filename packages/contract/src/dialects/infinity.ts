import { z } from 'zod';
import { createRerankId } from '../build-rerank-response.js';
import {
  DialectQuery,
  DialectTexts,
  EngineDocument,
  EngineIndex,
  EngineScoreValue,
  PositiveInt,
} from './engine-fields.js';
import { DetailErrorBody, describeDetailError } from './jina.js';
import { describeOpenAiError, OpenAiErrorBody } from './openai-error-body.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import { relevanceEntries, toRelevanceResults } from './relevance-results.js';
import type { RerankDialect } from './rerank-dialect.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/** The body of Infinity's `POST /rerank` (michaelfeil/infinity's `RerankInput`). */
export const InfinityRerankRequest = z.object({
  /** The search query. */
  query: DialectQuery,
  /** The documents, as strings (at most 2,048). */
  documents: DialectTexts,
  /** Whether results carry the document; `false` by default. */
  return_documents: z.boolean().optional(),
  /** Whether scores are raw logits (`true`) or after the model's activation (`false`, the default). */
  raw_scores: z.boolean().optional(),
  /** The served model; Infinity's default model when omitted. */
  model: z.string().min(1).optional(),
  /** How many results to return; all when omitted. */
  top_n: PositiveInt.optional(),
});

/** The body of Infinity's `POST /rerank`. */
export type InfinityRerankRequest = z.infer<typeof InfinityRerankRequest>;

/** One result of Infinity's rerank. */
export const InfinityRerankResult = z.object({
  /** The score: a probability, or a raw logit with `raw_scores`. */
  relevance_score: EngineScoreValue,
  /** The document's position in the request. */
  index: EngineIndex,
  /** The document text (a plain string), with `return_documents`. */
  document: EngineDocument.nullable().optional(),
});

/**
 * The answer of Infinity's `POST /rerank`. Infinity versions before about 0.0.50 named the list `data`
 * instead of `results`; only `results` is read.
 */
export const InfinityRerankResponse = z.object({
  /** Always `rerank`. */
  object: z.string().optional(),
  /** The ranked documents, by score descending. */
  results: z.array(InfinityRerankResult),
  /** The served model. */
  model: z.string().optional(),
  /** Tokens counted. */
  usage: z.object({ prompt_tokens: z.number().optional(), total_tokens: z.number() }).optional(),
  /** The id of the call, `infinity-` and a UUID. */
  id: z.string().optional(),
  /** When the answer was made, in Unix seconds. */
  created: z.number().optional(),
});

/** The answer of Infinity's `POST /rerank`. */
export type InfinityRerankResponse = z.infer<typeof InfinityRerankResponse>;

/**
 * Infinity's error body. Its own refusals (`OpenAIException`, for example an unknown model) are
 * OpenAI-style; FastAPI's default handlers, which Infinity keeps, answer a request that fails
 * `RerankInput`'s schema (empty or more than 2,048 documents, bad JSON) with 422 `{ detail: [...] }`
 * and a wrong `--api-key` with 401 `{ detail: "Unauthorized" }`.
 */
export const InfinityErrorBody = z.union([OpenAiErrorBody, DetailErrorBody]);

/** The message of an Infinity error body, OpenAI-style or FastAPI's `{ detail }`. */
export function describeInfinityError(body: unknown) {
  return describeOpenAiError(body) ?? describeDetailError(body);
}

/**
 * Infinity `POST /rerank`. Scores are probabilities (identity) unless `raw_scores` asks for logits
 * (sigmoid). No instruction or token limit. Errors: see {@link InfinityErrorBody}.
 */
export const infinityDialect: RerankDialect<InfinityRerankRequest, InfinityRerankResponse> = {
  name: 'infinity',
  request: InfinityRerankRequest,
  response: InfinityRerankResponse,
  error: InfinityErrorBody,
  toRequest(request, options = {}) {
    return {
      query: request.query,
      documents: request.documents,
      return_documents: request.returnDocuments,
      raw_scores: options.rawScores ?? false,
      model: options.upstreamModel ?? request.model,
      top_n: request.topN,
    };
  },
  fromRequest(request, options = {}) {
    return toNormalizedRequest({
      model: request.model ?? options.defaultModel ?? '',
      query: request.query,
      documents: request.documents,
      topN: request.top_n,
      returnDocuments: request.return_documents ?? false,
    });
  },
  toResponse(input) {
    return {
      object: 'rerank',
      results: toRelevanceResults(input, 'identity', 'string'),
      model: input.model,
      usage: { prompt_tokens: input.totalTokens, total_tokens: input.totalTokens },
      id: input.id ?? createRerankId(),
      created: Math.floor(Date.now() / 1000),
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('infinity', InfinityRerankResponse, body, options, 'identity', (parsed) => ({
      entries: relevanceEntries(parsed.results),
      totalTokens: parsed.usage?.total_tokens,
    })),
  describeError: describeInfinityError,
};
