import { z } from 'zod';
import {
  DialectQuery,
  DialectTexts,
  EngineDocument,
  EngineIndex,
  EngineScoreValue,
  PositiveInt,
} from './engine-fields.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import { relevanceEntries, toRelevanceResults } from './relevance-results.js';
import type { DialectErrorDescription, RerankDialect } from './rerank-dialect.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/** The body of DashScope's native text-rerank call (`qwen3-rerank`, `gte-rerank-v2`). */
export const DashScopeRerankRequest = z.object({
  /** The model, for example `qwen3-rerank`. */
  model: z.string().min(1),
  /** The query and documents. */
  input: z.object({
    /** The search query. */
    query: DialectQuery,
    /** The documents, as strings. */
    documents: DialectTexts,
  }),
  /** Optional settings. */
  parameters: z
    .object({
      /** How many results to return; all when omitted. */
      top_n: PositiveInt.optional(),
      /** Whether results carry the document; `false` by default. */
      return_documents: z.boolean().optional(),
      /** The task instruction (`qwen3-rerank` only); the model's default when omitted. */
      instruct: z.string().optional(),
    })
    .optional(),
});

/** The body of DashScope's native text-rerank call. */
export type DashScopeRerankRequest = z.infer<typeof DashScopeRerankRequest>;

/** One result of DashScope's rerank. */
export const DashScopeRerankResult = z.object({
  /** The document, as `{ text }`, when `return_documents` is set. */
  document: EngineDocument.optional(),
  /** The document's position in the request. */
  index: EngineIndex,
  /** The relevance score, in [0, 1]. */
  relevance_score: EngineScoreValue,
});

/** Token usage as DashScope reports it. */
export const DashScopeUsage = z.object({ total_tokens: z.number() });

/** The answer of DashScope's native text-rerank call. */
export const DashScopeRerankResponse = z.object({
  /** The ranking. */
  output: z.object({
    /** The ranked documents, by score descending. */
    results: z.array(DashScopeRerankResult),
  }),
  /** Tokens counted. */
  usage: DashScopeUsage.optional(),
  /** DashScope's id of the call. */
  request_id: z.string().optional(),
});

/** The answer of DashScope's native text-rerank call. */
export type DashScopeRerankResponse = z.infer<typeof DashScopeRerankResponse>;

/** DashScope's native error body. */
export const DashScopeErrorBody = z.object({
  /** An error code such as `InvalidParameter` or `Throttling.RateQuota`. */
  code: z.string(),
  /** What went wrong. */
  message: z.string(),
  /** DashScope's id of the call. */
  request_id: z.string().optional(),
});

/** The message and code of a DashScope native error body. */
export function describeDashScopeError(body: unknown): DialectErrorDescription | undefined {
  const parsed = DashScopeErrorBody.safeParse(body);
  return parsed.success ? { message: parsed.data.message, code: parsed.data.code } : undefined;
}

/**
 * DashScope native text-rerank (`POST /api/v1/services/rerank/text-rerank/text-rerank`). Scores are
 * probabilities (identity); `parameters.instruct` carries the instruction (qwen3-rerank only).
 */
export const dashScopeDialect: RerankDialect<DashScopeRerankRequest, DashScopeRerankResponse> = {
  name: 'dashscope',
  request: DashScopeRerankRequest,
  response: DashScopeRerankResponse,
  error: DashScopeErrorBody,
  toRequest(request, options = {}) {
    const parameters: NonNullable<DashScopeRerankRequest['parameters']> = {
      top_n: request.topN,
      return_documents: request.returnDocuments,
    };
    if (request.instruction !== undefined) parameters.instruct = request.instruction;
    return {
      model: options.upstreamModel ?? request.model,
      input: { query: request.query, documents: request.documents },
      parameters,
    };
  },
  fromRequest(request) {
    return toNormalizedRequest({
      model: request.model,
      query: request.input.query,
      documents: request.input.documents,
      topN: request.parameters?.top_n,
      returnDocuments: request.parameters?.return_documents ?? false,
      instruction: request.parameters?.instruct,
    });
  },
  toResponse(input) {
    return {
      output: {
        results: toRelevanceResults(input, 'identity', 'object'),
      },
      usage: { total_tokens: input.totalTokens },
      request_id: input.id ?? globalThis.crypto.randomUUID(),
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('dashscope', DashScopeRerankResponse, body, options, 'identity', (parsed) => ({
      entries: relevanceEntries(parsed.output.results),
      totalTokens: parsed.usage?.total_tokens,
    })),
  describeError: describeDashScopeError,
};
