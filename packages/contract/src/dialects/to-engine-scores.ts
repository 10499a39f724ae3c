import type { DialectResponseInput } from './rerank-dialect.js';
import { type ScoreMapping, toEngineScore } from './score-mapping.js';

/** One result in an engine's scale: index, score and, when known, the text. */
export interface EngineResult {
  /** The position of the document in the request. */
  index: number;
  /** The score in the engine's scale (a logit under the `sigmoid` mapping). */
  score: number;
  /** The document's text, when the ranking carries it. */
  text: string | undefined;
}

/** The results of a ranking with their scores in the engine's scale, for building a dialect's answer. */
export function toEngineScores(input: DialectResponseInput, defaultMapping: ScoreMapping): EngineResult[] {
  const mapping = input.scoreMapping ?? defaultMapping;
  return input.results.map((result) => ({
    index: result.index,
    score: toEngineScore(mapping, result.relevanceScore),
    text: result.text,
  }));
}
