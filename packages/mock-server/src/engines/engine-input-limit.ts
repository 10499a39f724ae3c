import type { DialectName } from '@sealink/rerank-contract/dialects';
import { countTokens } from '../lexical-score.js';
import { keepTokens } from './keep-tokens.js';

/** What a mock engine does with a query-document pair longer than its model takes, as the request asks. */
export type EngineInputLimit =
  /** Every pair is read whole: no `maxInputTokens`, or a per-document limit cut the documents already. */
  | { kind: 'unlimited' }
  /** Pairs over `maxTokens` are refused: vLLM without `truncate_prompt_tokens` (400), TEI without `truncate` (413). */
  | { kind: 'refuse'; maxTokens: number }
  /**
   * vLLM's `truncate_prompt_tokens`: only the last `maxTokens` tokens of the whole prompt (query,
   * document and any template) are read, so a small count cuts into the query and the template.
   */
  | { kind: 'keep-last'; maxTokens: number }
  /**
   * TEI's `truncate: true`: the pair is cut to `maxTokens` (the model's length) longest-first, each
   * text from its end (`right`, TEI's default) or its start (`left`).
   */
  | { kind: 'cut-pair'; maxTokens: number; side: 'left' | 'right' }
  /** The request's limit is one the engine refuses, with the engine's message. */
  | { kind: 'invalid'; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * The input limit a request to a mock engine of `dialect` gets, from its body (already checked against
 * the dialect's schema), the engine's `maxInputTokens` and the request's per-document limit, if any.
 */
export function engineInputLimit(
  dialect: DialectName,
  body: unknown,
  maxInputTokens: number | undefined,
  maxTokensPerDocument: number | undefined,
): EngineInputLimit {
  const fields = isRecord(body) ? body : {};
  const modelLength: EngineInputLimit =
    maxInputTokens === undefined ? { kind: 'unlimited' } : { kind: 'refuse', maxTokens: maxInputTokens };
  switch (dialect) {
    case 'vllm-rerank':
    case 'vllm-score': {
      const truncate = fields.truncate_prompt_tokens;
      if (typeof truncate !== 'number') return modelLength;
      if (truncate < 0) {
        return maxInputTokens === undefined
          ? { kind: 'unlimited' }
          : { kind: 'keep-last', maxTokens: maxInputTokens };
      }
      if (maxInputTokens !== undefined && truncate > maxInputTokens) {
        return {
          kind: 'invalid',
          message: `truncate_prompt_tokens value (${truncate}) is greater than max_model_len (${maxInputTokens}). Please, select a smaller truncation size.`,
        };
      }
      return { kind: 'keep-last', maxTokens: truncate };
    }
    case 'tei': {
      if (fields.truncate !== true || maxInputTokens === undefined) return modelLength;
      const direction = fields.truncation_direction;
      const side = typeof direction === 'string' && direction.toLowerCase() === 'left' ? 'left' : 'right';
      return { kind: 'cut-pair', maxTokens: maxInputTokens, side };
    }
    default:
      // A per-document limit (Cohere v2's max_tokens_per_doc) cuts every document before scoring.
      return maxTokensPerDocument === undefined ? modelLength : { kind: 'unlimited' };
  }
}

/** A query-document pair as the engine reads it under its input limit. */
export interface FittedPair {
  /** The query half, cut when the limit cut into it. */
  query: string;
  /** The document half, cut when the limit cut into it. */
  document: string;
  /** The tokens of the pair as sent, before any cut. */
  inputTokens: number;
  /** Whether the limit cut the pair. */
  cut: boolean;
  /** Whether the engine refuses the pair as too long. */
  refused: boolean;
}

/**
 * Fits the two halves of a pair (plain query and document, or the query and document halves of a
 * Qwen3 prompt) to an input limit, counting tokens as the mock does. `unlimited` and `invalid` leave it as is.
 */
export function fitToInputLimit(query: string, document: string, limit: EngineInputLimit): FittedPair {
  const queryTokens = countTokens(query);
  const documentTokens = countTokens(document);
  const inputTokens = queryTokens + documentTokens;
  const asIs: FittedPair = { query, document, inputTokens, cut: false, refused: false };
  if (limit.kind === 'unlimited' || limit.kind === 'invalid' || inputTokens <= limit.maxTokens) return asIs;
  switch (limit.kind) {
    case 'refuse':
      return { ...asIs, refused: true };
    case 'keep-last': {
      // The prompt is query then document: its last tokens are the document's, then the query's end.
      const keptDocument = Math.min(documentTokens, limit.maxTokens);
      return {
        query: keepTokens(query, limit.maxTokens - keptDocument, 'last'),
        document: keepTokens(document, keptDocument, 'last'),
        inputTokens,
        cut: true,
        refused: false,
      };
    }
    case 'cut-pair': {
      // Longest first: the longer text loses tokens until both are as long, then both lose alike.
      let excess = inputTokens - limit.maxTokens;
      let keptQuery = queryTokens;
      let keptDocument = documentTokens;
      const levelling = Math.min(excess, Math.abs(queryTokens - documentTokens));
      if (queryTokens > documentTokens) keptQuery -= levelling;
      else keptDocument -= levelling;
      excess -= levelling;
      keptDocument -= Math.ceil(excess / 2);
      keptQuery -= Math.floor(excess / 2);
      const keep = limit.side === 'right' ? 'first' : 'last';
      return {
        query: keepTokens(query, keptQuery, keep),
        document: keepTokens(document, keptDocument, keep),
        inputTokens,
        cut: true,
        refused: false,
      };
    }
  }
}
