import type { z } from 'zod';
import type { NormalizedRerankRequest } from '../normalize-rerank-request.js';
import type { DialectName } from './dialect-name.js';
import type { ScoreMapping } from './score-mapping.js';

/** One scored document of a ranking, in the contract's terms. */
export interface RankedScore {
  /** The position of the document in the request's documents. */
  index: number;
  /** The relevance score in [0, 1]. */
  relevanceScore: number;
  /** The document's text, when the answer carries it. */
  text?: string;
}

/** Options of a dialect's `toRequest`: settings of the upstream, not of the client's request. */
export interface DialectRequestOptions {
  /**
   * The model name to send upstream in place of the customer-visible one, for example
   * `Qwen/Qwen3-Reranker-0.6B` for the model `qwen3-rerank`. Dialects without a model field ignore it.
   */
  upstreamModel?: string;
  /**
   * Asks engines that can return raw logits (TEI, Infinity) for them; parse the answer with
   * `scoreMapping: 'sigmoid'` then. Other dialects ignore it.
   */
  rawScores?: boolean;
  /**
   * Formats the query and documents with the Qwen3-Reranker prompt template on the client side, as
   * vLLM's Qwen3 example does for a model served with the `Qwen3ForSequenceClassification` overrides.
   * Only the vLLM dialects read it; the instruction (or the default one) goes into the query.
   */
  qwen3RerankerTemplate?: boolean;
  /**
   * When the request is truncated, cuts each query-document pair at its start instead of its end, for a
   * prompt whose end is where the model reads its answer (the Qwen3-Reranker one). Only TEI reads it
   * (`truncation_direction: 'Left'`); other dialects ignore it.
   */
  truncateFromStart?: boolean;
}

/** Options of a dialect's `fromRequest`. */
export interface FromDialectRequestOptions {
  /** The model for requests that name none, as TEI's never do. */
  defaultModel?: string;
}

/** What a dialect answer is built from: a ranking in the contract's terms. */
export interface DialectResponseInput {
  /** The model name the answer carries. */
  model: string;
  /** The ranked documents, in the order the answer lists them. */
  results: readonly RankedScore[];
  /** The tokens the answer reports. */
  totalTokens: number;
  /** The answer's id, for dialects that carry one; a fresh `rerank-` id when omitted. */
  id?: string;
  /** Answer in this score scale instead of the dialect's default, for example logits for `rawScores`. */
  scoreMapping?: ScoreMapping;
  /**
   * How many documents the request sent, for dialects whose answer reports billing by it (Cohere's
   * `meta.billed_units.search_units`, one per 100 documents); billed as one search unit when omitted.
   */
  documentCount?: number;
}

/** Options of a dialect's `parseResponse`. */
export interface ParseDialectResponseOptions {
  /** How many documents the request sent; every index must be below it. */
  documentCount: number;
  /**
   * The `top_n` the request sent; the answer must carry exactly `min(topN, documentCount)` results.
   * Omitted means every document must be scored.
   */
  topN?: number;
  /** Read the scores in this scale instead of the dialect's default, for example for `rawScores`. */
  scoreMapping?: ScoreMapping;
}

/** An engine answer read into the contract's terms. */
export interface ParsedRerankScores {
  /** The scored documents, by relevance score descending, ties by index ascending. */
  results: RankedScore[];
  /** The tokens the engine reported, when it reports any. */
  totalTokens: number | undefined;
}

/** A human-readable description of an engine's error body. */
export interface DialectErrorDescription {
  /** The engine's message, when the body carries one. */
  message: string;
  /** The engine's own error type or code, when it sends one. */
  code?: string;
}

/**
 * One provider or engine wire format, with pure converters between it and the contract's canonical
 * request and ranking. Backends use `toRequest` and `parseResponse`; compatibility routes and mock
 * engines use `request.parse`, `fromRequest` and `toResponse`.
 */
export interface RerankDialect<Request, Response> {
  /** The dialect's name, a key of `DIALECTS`. */
  readonly name: DialectName;
  /** The zod schema of the request body the endpoint takes. */
  readonly request: z.ZodType<Request>;
  /** The zod schema of a successful answer; loose, since engines add fields over time. */
  readonly response: z.ZodType<Response>;
  /** The zod schema of an error answer. */
  readonly error: z.ZodType;
  /** The canonical request in this dialect. */
  toRequest(request: NormalizedRerankRequest, options?: DialectRequestOptions): Request;
  /**
   * A request in this dialect (already checked with `request`) as a canonical request. Fields the
   * dialect lacks take its defaults; a request that names no model gets `options.defaultModel`, or the
   * empty string, which the caller must replace.
   */
  fromRequest(request: Request, options?: FromDialectRequestOptions): NormalizedRerankRequest;
  /** A ranking as this dialect's answer. */
  toResponse(input: DialectResponseInput): Response;
  /**
   * Checks an answer body and reads its scores.
   * @throws DialectResponseError when the body has the wrong shape or its scores cannot be trusted.
   */
  parseResponse(body: unknown, options: ParseDialectResponseOptions): ParsedRerankScores;
  /** The message of an error answer, or `undefined` when the body is not this dialect's error shape. */
  describeError(body: unknown): DialectErrorDescription | undefined;
}
