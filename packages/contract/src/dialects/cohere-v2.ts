import { z } from 'zod';
import { createRerankId } from '../build-rerank-response.js';
import { cohereSearchUnits } from './cohere-search-units.js';
import { DialectQuery, DialectTexts, EngineIndex, EngineScoreValue, PositiveInt } from './engine-fields.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import { relevanceEntries, toRelevanceResults } from './relevance-results.js';
import type { DialectErrorDescription, RerankDialect } from './rerank-dialect.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/** The body of Cohere's `POST /v2/rerank`. */
export const CohereV2RerankRequest = z.object({
  /** The model, for example `rerank-v3.5`; required in v2. */
  model: z.string().min(1),
  /** The search query. */
  query: DialectQuery,
  /** The documents as plain strings; v2 takes no objects (structured data goes in as YAML text). */
  documents: DialectTexts,
  /**
   * How many results to return; all when omitted or `null` (cohere-python sends `None` as `null`,
   * and Cohere takes it as not given).
   */
  top_n: PositiveInt.nullish(),
  /** Long documents are cut to this many tokens; Cohere's default (4096) when omitted or `null`. */
  max_tokens_per_doc: PositiveInt.nullish(),
});

/** The body of Cohere's `POST /v2/rerank`. */
export type CohereV2RerankRequest = z.infer<typeof CohereV2RerankRequest>;

/** The `meta` object of a Cohere answer: API version, billing and warnings. */
export const CohereMeta = z.object({
  /** The API version that answered, for example `{ version: "2" }`. */
  api_version: z.object({ version: z.string() }).optional(),
  /** What the call was billed: rerank is billed in search units (one per query and 100 documents). */
  billed_units: z.object({ search_units: z.number().optional() }).optional(),
  /** Tokens read and written, when Cohere reports them. */
  tokens: z.object({ input_tokens: z.number().optional(), output_tokens: z.number().optional() }).optional(),
  /** Warnings about the call, such as deprecated parameters. */
  warnings: z.array(z.string()).optional(),
});

/** The `meta` object of a Cohere answer. */
export type CohereMeta = z.infer<typeof CohereMeta>;

/** One result of Cohere v2's rerank: no document text in v2. */
export const CohereV2RerankResult = z.object({
  /** The document's position in the request. */
  index: EngineIndex,
  /** The relevance score, in [0, 1]. */
  relevance_score: EngineScoreValue,
});

/** The answer of Cohere's `POST /v2/rerank`; results are by score descending. */
export const CohereV2RerankResponse = z.object({
  /** The id of the call; omitted by some Cohere-compatible servers. */
  id: z.string().optional(),
  /** The ranked documents. */
  results: z.array(CohereV2RerankResult),
  /** Version, billing and warnings. */
  meta: CohereMeta.optional(),
});

/** The answer of Cohere's `POST /v2/rerank`. */
export type CohereV2RerankResponse = z.infer<typeof CohereV2RerankResponse>;

/** Cohere's error body: `{ "message": "..." }` (v2 adds an `id` on some errors). */
export const CohereErrorBody = z.object({
  /** The id of the failed call, when given. */
  id: z.string().optional(),
  /** What went wrong. */
  message: z.string(),
});

/** Cohere's error body. */
export type CohereErrorBody = z.infer<typeof CohereErrorBody>;

/** The message of a Cohere error body. */
export function describeCohereError(body: unknown): DialectErrorDescription | undefined {
  const parsed = CohereErrorBody.safeParse(body);
  return parsed.success ? { message: parsed.data.message } : undefined;
}

/**
 * Cohere v2 `POST /v2/rerank`. Scores are probabilities (identity mapping); no instruction field;
 * `max_tokens_per_doc` carries the per-document limit; v2 never returns document text.
 */
export const cohereV2Dialect: RerankDialect<CohereV2RerankRequest, CohereV2RerankResponse> = {
  name: 'cohere-v2',
  request: CohereV2RerankRequest,
  response: CohereV2RerankResponse,
  error: CohereErrorBody,
  toRequest(request, options = {}) {
    const body: CohereV2RerankRequest = {
      model: options.upstreamModel ?? request.model,
      query: request.query,
      documents: request.documents,
      top_n: request.topN,
    };
    if (request.maxTokensPerDocument !== undefined) body.max_tokens_per_doc = request.maxTokensPerDocument;
    return body;
  },
  fromRequest(request) {
    return toNormalizedRequest({
      model: request.model,
      query: request.query,
      documents: request.documents,
      topN: request.top_n ?? undefined,
      returnDocuments: false,
      maxTokensPerDocument: request.max_tokens_per_doc ?? undefined,
    });
  },
  toResponse(input) {
    return {
      id: input.id ?? createRerankId(),
      results: toRelevanceResults(input, 'identity', 'none'),
      meta: {
        api_version: { version: '2' },
        billed_units: { search_units: cohereSearchUnits(input.documentCount) },
      },
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('cohere-v2', CohereV2RerankResponse, body, options, 'identity', (parsed) => ({
      entries: relevanceEntries(parsed.results),
      totalTokens: parsed.meta?.tokens?.input_tokens,
    })),
  describeError: describeCohereError,
};
