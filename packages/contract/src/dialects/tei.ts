import { z } from 'zod';
import { DialectQuery, DialectTexts, EngineIndex, EngineScoreValue } from './engine-fields.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import type { DialectErrorDescription, RerankDialect } from './rerank-dialect.js';
import { toEngineScores } from './to-engine-scores.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/**
 * The side TEI cuts over-long inputs from. TEI's OpenAPI spells it `Left` / `Right`; lower case is
 * accepted here too, since we could not confirm that every TEI version rejects it.
 */
export const TeiTruncationDirection = z.enum(['Left', 'Right', 'left', 'right']);

/** The body of HuggingFace text-embeddings-inference's `POST /rerank`. */
export const TeiRerankRequest = z.object({
  /** The search query. */
  query: DialectQuery,
  /** The documents (TEI's name for them); at most `--max-client-batch-size` (32 by default). */
  texts: DialectTexts,
  /** Whether results carry `text`; `false` by default. */
  return_text: z.boolean().optional(),
  /** Whether scores are raw logits (`true`) or after the model's sigmoid (`false`, the default). */
  raw_scores: z.boolean().optional(),
  /** Whether over-long inputs are cut to the model's length (`true`) or rejected with 413 (default). */
  truncate: z.boolean().nullable().optional(),
  /** Which side `truncate` cuts from; `Right` by default. */
  truncation_direction: TeiTruncationDirection.optional(),
});

/** The body of TEI's `POST /rerank`. */
export type TeiRerankRequest = z.infer<typeof TeiRerankRequest>;

/** One result of TEI's rerank. */
export const TeiRank = z.object({
  /** The document's position in `texts`. */
  index: EngineIndex,
  /** The score: a probability, or a raw logit with `raw_scores`. */
  score: EngineScoreValue,
  /** The document text, with `return_text`. */
  text: z.string().nullable().optional(),
});

/** The answer of TEI's `POST /rerank`: a bare array of ranks, by score descending. */
export const TeiRerankResponse = z.array(TeiRank);

/** The answer of TEI's `POST /rerank`. */
export type TeiRerankResponse = z.infer<typeof TeiRerankResponse>;

/**
 * TEI's error body. `error_type` is one of `Unhealthy`, `Backend`, `Overloaded` (429), `Validation`
 * (413/422), `Tokenizer` (422) or `Empty` (400).
 */
export const TeiErrorBody = z.object({
  /** What went wrong. */
  error: z.string(),
  /** The kind of error. */
  error_type: z.string(),
});

/** The message and type of a TEI error body. */
export function describeTeiError(body: unknown): DialectErrorDescription | undefined {
  const parsed = TeiErrorBody.safeParse(body);
  return parsed.success ? { message: parsed.data.error, code: parsed.data.error_type } : undefined;
}

/**
 * TEI `POST /rerank`. No model, `top_n`, instruction or per-document token limit: TEI scores every
 * text and sorts them. Scores are probabilities (identity) unless `raw_scores` asks for logits
 * (sigmoid). When the request sets a per-document token limit the gateway sends `truncate: true`, which
 * cuts each query-text pair to the model's length, not to the given count (the count is never sent).
 */
export const teiDialect: RerankDialect<TeiRerankRequest, TeiRerankResponse> = {
  name: 'tei',
  request: TeiRerankRequest,
  response: TeiRerankResponse,
  error: TeiErrorBody,
  toRequest(request, options = {}) {
    const body: TeiRerankRequest = {
      query: request.query,
      texts: request.documents,
      return_text: request.returnDocuments,
      raw_scores: options.rawScores ?? false,
    };
    if (request.maxTokensPerDocument !== undefined) {
      body.truncate = true;
      if (options.truncateFromStart === true) body.truncation_direction = 'Left';
    }
    return body;
  },
  fromRequest(request, options = {}) {
    return toNormalizedRequest({
      model: options.defaultModel ?? '',
      query: request.query,
      documents: request.texts,
      returnDocuments: request.return_text ?? false,
    });
  },
  toResponse(input) {
    return toEngineScores(input, 'identity').map(({ index, score, text }) =>
      text === undefined ? { index, score } : { index, text, score },
    );
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('tei', TeiRerankResponse, body, options, 'identity', (parsed) => ({
      entries: parsed.map((rank) => ({ index: rank.index, score: rank.score, text: rank.text ?? undefined })),
      totalTokens: undefined,
    })),
  describeError: describeTeiError,
};
