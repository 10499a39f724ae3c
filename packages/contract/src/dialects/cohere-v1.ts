import { z } from 'zod';
import { createRerankId } from '../build-rerank-response.js';
import { cohereSearchUnits } from './cohere-search-units.js';
import { CohereErrorBody, CohereMeta, describeCohereError } from './cohere-v2.js';
import { DialectQuery, EngineIndex, EngineScoreValue, PositiveInt } from './engine-fields.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import { relevanceEntries, toRelevanceResults } from './relevance-results.js';
import type { RerankDialect } from './rerank-dialect.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/**
 * A document of Cohere v1: a string, or an object whose `text` field is ranked (v1 can rank other
 * fields through `rank_fields`; this gateway ranks `text` only, so other fields are kept but unused).
 */
export const CohereV1Document = z.union([z.string(), z.looseObject({ text: z.string() })]);

/** A document of Cohere v1. */
export type CohereV1Document = z.infer<typeof CohereV1Document>;

/** The body of Cohere's `POST /v1/rerank`: v2's fields except `max_tokens_per_doc`, plus the ones below. */
export const CohereV1RerankRequest = z.object({
  /** The model; optional in v1 (Cohere picks its default). */
  model: z.string().min(1).optional(),
  /** The search query. */
  query: DialectQuery,
  /** The documents, as strings or objects with `text`. */
  documents: z.array(CohereV1Document).min(1),
  /** How many results to return; all when omitted. */
  top_n: PositiveInt.optional(),
  /** The object fields to rank on; only `["text"]` (the default) is meaningful here. */
  rank_fields: z.array(z.string()).optional(),
  /** Whether results carry the document; `false` by default in v1. */
  return_documents: z.boolean().optional(),
  /** How many chunks a long document is split into; Cohere's default is 10. Not used by this gateway. */
  max_chunks_per_doc: PositiveInt.optional(),
});

/** The body of Cohere's `POST /v1/rerank`. */
export type CohereV1RerankRequest = z.infer<typeof CohereV1RerankRequest>;

/** One result of Cohere v1's rerank. */
export const CohereV1RerankResult = z.object({
  /** The document as sent (`{ text }` for string documents), present when `return_documents` was set. */
  document: z.looseObject({ text: z.string().optional() }).optional(),
  /** The document's position in the request. */
  index: EngineIndex,
  /** The relevance score, in [0, 1]. */
  relevance_score: EngineScoreValue,
});

/** The answer of Cohere's `POST /v1/rerank`. */
export const CohereV1RerankResponse = z.object({
  /** The id of the call. */
  id: z.string().optional(),
  /** The ranked documents. */
  results: z.array(CohereV1RerankResult),
  /** Version, billing and warnings. */
  meta: CohereMeta.optional(),
});

/** The answer of Cohere's `POST /v1/rerank`. */
export type CohereV1RerankResponse = z.infer<typeof CohereV1RerankResponse>;

/**
 * Cohere v1 `POST /v1/rerank`: like v2, with `return_documents` (default false), documents as objects,
 * `max_chunks_per_doc` and results carrying `document`. No per-document token limit or instruction.
 */
export const cohereV1Dialect: RerankDialect<CohereV1RerankRequest, CohereV1RerankResponse> = {
  name: 'cohere-v1',
  request: CohereV1RerankRequest,
  response: CohereV1RerankResponse,
  error: CohereErrorBody,
  toRequest(request, options = {}) {
    return {
      model: options.upstreamModel ?? request.model,
      query: request.query,
      documents: request.documents,
      top_n: request.topN,
      return_documents: request.returnDocuments,
    };
  },
  fromRequest(request, options = {}) {
    return toNormalizedRequest({
      model: request.model ?? options.defaultModel ?? '',
      query: request.query,
      documents: request.documents.map((document) =>
        typeof document === 'string' ? document : document.text,
      ),
      topN: request.top_n,
      returnDocuments: request.return_documents ?? false,
    });
  },
  toResponse(input) {
    return {
      id: input.id ?? createRerankId(),
      results: toRelevanceResults(input, 'identity', 'object'),
      meta: {
        api_version: { version: '1' },
        billed_units: { search_units: cohereSearchUnits(input.documentCount) },
      },
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('cohere-v1', CohereV1RerankResponse, body, options, 'identity', (parsed) => ({
      entries: relevanceEntries(parsed.results),
      totalTokens: parsed.meta?.tokens?.input_tokens,
    })),
  describeError: describeCohereError,
};
