import { z } from 'zod';
import { DialectQuery, EngineDocument, EngineIndex, EngineScoreValue, PositiveInt } from './engine-fields.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import { relevanceEntries, toRelevanceResults } from './relevance-results.js';
import type { RerankDialect } from './rerank-dialect.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/** The body of Jina's `POST /v1/rerank`. */
export const JinaRerankRequest = z.object({
  /** The model, for example `jina-reranker-v2-base-multilingual`. */
  model: z.string().min(1),
  /** The search query. */
  query: DialectQuery,
  /**
   * The documents: strings, or `{ text }` objects (multimodal models such as `jina-reranker-m0` also
   * take `{ image }`, which this gateway does not send).
   */
  documents: z.array(z.union([z.string(), z.object({ text: z.string() })])).min(1),
  /** How many results to return; all when omitted. */
  top_n: PositiveInt.optional(),
  /** Whether results carry the document; Jina's default is `true`. */
  return_documents: z.boolean().optional(),
});

/** The body of Jina's `POST /v1/rerank`. */
export type JinaRerankRequest = z.infer<typeof JinaRerankRequest>;

/** One result of Jina's rerank. */
export const JinaRerankResult = z.object({
  /** The document's position in the request. */
  index: EngineIndex,
  /** The document, as `{ text }` (older answers used a plain string), when `return_documents` is set. */
  document: EngineDocument.optional(),
  /** The relevance score, in [0, 1]. */
  relevance_score: EngineScoreValue,
});

/** The answer of Jina's `POST /v1/rerank`. */
export const JinaRerankResponse = z.object({
  /** The model that ranked. */
  model: z.string().optional(),
  /** Tokens counted (Jina bills on them). */
  usage: z.object({ total_tokens: z.number() }).optional(),
  /** The ranked documents, by score descending. */
  results: z.array(JinaRerankResult),
});

/** The answer of Jina's `POST /v1/rerank`. */
export type JinaRerankResponse = z.infer<typeof JinaRerankResponse>;

/** Jina's error body: FastAPI's `{ "detail": ... }`, a string or a list of validation errors. */
export const DetailErrorBody = z.object({
  /** What went wrong: a message, or FastAPI's list of `{ loc, msg, type }`. */
  detail: z.union([z.string(), z.array(z.looseObject({ msg: z.string().optional() }))]),
});

/** A FastAPI-style `{ detail }` error body, as Jina and Voyage send. */
export type DetailErrorBody = z.infer<typeof DetailErrorBody>;

/** The message of a `{ detail }` error body. */
export function describeDetailError(body: unknown) {
  const parsed = DetailErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { detail } = parsed.data;
  return {
    message:
      typeof detail === 'string' ? detail : detail.map((item) => item.msg ?? 'invalid input').join('; '),
  };
}

/** Jina `POST /v1/rerank`. Scores are probabilities (identity); no instruction or token limit. */
export const jinaDialect: RerankDialect<JinaRerankRequest, JinaRerankResponse> = {
  name: 'jina',
  request: JinaRerankRequest,
  response: JinaRerankResponse,
  error: DetailErrorBody,
  toRequest(request, options = {}) {
    return {
      model: options.upstreamModel ?? request.model,
      query: request.query,
      documents: request.documents,
      top_n: request.topN,
      return_documents: request.returnDocuments,
    };
  },
  fromRequest(request) {
    return toNormalizedRequest({
      model: request.model,
      query: request.query,
      documents: request.documents.map((document) =>
        typeof document === 'string' ? document : document.text,
      ),
      topN: request.top_n,
      returnDocuments: request.return_documents ?? true,
    });
  },
  toResponse(input) {
    return {
      model: input.model,
      usage: { total_tokens: input.totalTokens },
      results: toRelevanceResults(input, 'identity', 'object'),
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('jina', JinaRerankResponse, body, options, 'identity', (parsed) => ({
      entries: relevanceEntries(parsed.results),
      totalTokens: parsed.usage?.total_tokens,
    })),
  describeError: describeDetailError,
};
