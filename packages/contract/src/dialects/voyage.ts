import { z } from 'zod';
import {
  DialectQuery,
  DialectTexts,
  EngineDocument,
  EngineIndex,
  EngineScoreValue,
  PositiveInt,
} from './engine-fields.js';
import { DetailErrorBody, describeDetailError } from './jina.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import { relevanceEntries, toRelevanceResults } from './relevance-results.js';
import type { RerankDialect } from './rerank-dialect.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/** The body of Voyage AI's `POST /v1/rerank`. */
export const VoyageRerankRequest = z.object({
  /** The search query. */
  query: DialectQuery,
  /** The documents, as strings (at most 1,000). */
  documents: DialectTexts,
  /** The model, for example `rerank-2.5`. */
  model: z.string().min(1),
  /** How many results to return (Voyage's name for `top_n`); all when omitted. */
  top_k: PositiveInt.optional(),
  /** Whether results carry the document; `false` by default. */
  return_documents: z.boolean().optional(),
  /** Whether over-long inputs are truncated (default `true`) or rejected with an error (`false`). */
  truncation: z.boolean().optional(),
});

/** The body of Voyage AI's `POST /v1/rerank`. */
export type VoyageRerankRequest = z.infer<typeof VoyageRerankRequest>;

/** One result of Voyage's rerank. */
export const VoyageRerankResult = z.object({
  /** The document's position in the request. */
  index: EngineIndex,
  /** The relevance score, in [0, 1]. */
  relevance_score: EngineScoreValue,
  /** The document text (a plain string), when `return_documents` is set. */
  document: EngineDocument.optional(),
});

/** The answer of Voyage's `POST /v1/rerank`. */
export const VoyageRerankResponse = z.object({
  /** Always `list`. */
  object: z.literal('list').optional(),
  /** The ranked documents, by score descending. */
  data: z.array(VoyageRerankResult),
  /** The model that ranked. */
  model: z.string().optional(),
  /** Tokens counted. */
  usage: z.object({ total_tokens: z.number() }).optional(),
});

/** The answer of Voyage's `POST /v1/rerank`. */
export type VoyageRerankResponse = z.infer<typeof VoyageRerankResponse>;

/**
 * Voyage AI `POST /v1/rerank`: `top_k` for `top_n`, answers in `data`. Scores are probabilities
 * (identity). No instruction field (rerank-2.5 reads instructions written into the query itself).
 */
export const voyageDialect: RerankDialect<VoyageRerankRequest, VoyageRerankResponse> = {
  name: 'voyage',
  request: VoyageRerankRequest,
  response: VoyageRerankResponse,
  error: DetailErrorBody,
  toRequest(request, options = {}) {
    return {
      query: request.query,
      documents: request.documents,
      model: options.upstreamModel ?? request.model,
      top_k: request.topN,
      return_documents: request.returnDocuments,
      truncation: true,
    };
  },
  fromRequest(request) {
    return toNormalizedRequest({
      model: request.model,
      query: request.query,
      documents: request.documents,
      topN: request.top_k,
      returnDocuments: request.return_documents ?? false,
    });
  },
  toResponse(input) {
    return {
      object: 'list',
      data: toRelevanceResults(input, 'identity', 'string'),
      model: input.model,
      usage: { total_tokens: input.totalTokens },
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('voyage', VoyageRerankResponse, body, options, 'identity', (parsed) => ({
      entries: relevanceEntries(parsed.data),
      totalTokens: parsed.usage?.total_tokens,
    })),
  describeError: describeDetailError,
};
