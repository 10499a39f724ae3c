import { type EchoedDocument, engineDocumentText } from './engine-fields.js';
import type { EngineScore } from './read-ranked-scores.js';
import type { DialectResponseInput } from './rerank-dialect.js';
import type { ScoreMapping } from './score-mapping.js';
import { toEngineScores } from './to-engine-scores.js';

/** A result in the shape most rerank APIs share: `{ index, relevance_score, document? }`. */
export interface RelevanceResult {
  /** The document's position in the request. */
  index: number;
  /** The score in the engine's scale. */
  relevance_score: number;
  /** The echoed document, as a string or `{ text }`. */
  document?: EchoedDocument;
}

/** How an answer echoes a document: as `{ text }`, as a plain string, or not at all. */
export type EchoedDocumentStyle = 'object' | 'string' | 'none';

/** Reads `{ index, relevance_score, document? }` results as engine scores. */
export function relevanceEntries(results: readonly RelevanceResult[]): EngineScore[] {
  return results.map((result) => ({
    index: result.index,
    score: result.relevance_score,
    text: engineDocumentText(result.document),
  }));
}

/**
 * A ranking as `{ index, relevance_score, document? }` results in the engine's scale, echoing each
 * document that has text in the given style.
 */
export function toRelevanceResults<Style extends EchoedDocumentStyle>(
  input: DialectResponseInput,
  defaultMapping: ScoreMapping,
  style: Style,
): {
  index: number;
  relevance_score: number;
  document?: Style extends 'object' ? { text: string } : Style extends 'string' ? string : never;
}[] {
  return toEngineScores(input, defaultMapping).map(({ index, score, text }) => {
    if (text === undefined || style === 'none') return { index, relevance_score: score };
    const document = style === 'object' ? { text } : text;
    return { index, relevance_score: score, document } as never;
  });
}
