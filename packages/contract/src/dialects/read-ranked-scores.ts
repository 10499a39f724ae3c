import { DialectResponseError } from './dialect-response-error.js';
import type { ParseDialectResponseOptions, RankedScore } from './rerank-dialect.js';
import { type ScoreMapping, toRelevanceScore } from './score-mapping.js';

/** One result as an engine sends it: the document's index and the score in the engine's scale. */
export interface EngineScore {
  /** The position of the document in the request. */
  index: number;
  /** The score in the engine's scale. */
  score: number;
  /** The document's text, when the answer carries it. */
  text?: string | undefined;
}

/**
 * Checks an engine's results and maps their scores to [0, 1]: every index an integer below the
 * document count and seen once, every score usable under `mapping`, and exactly as many results as
 * the request asked for. Returns them by relevance score descending, ties by index ascending.
 * @throws DialectResponseError listing every problem found.
 */
export function readRankedScores(
  dialect: string,
  entries: readonly EngineScore[],
  options: ParseDialectResponseOptions,
  mapping: ScoreMapping,
): RankedScore[] {
  const { documentCount } = options;
  const expected = Math.min(options.topN ?? documentCount, documentCount);
  const issues: string[] = [];
  if (entries.length !== expected) {
    issues.push(`expected ${expected} results for ${documentCount} documents, got ${entries.length}`);
  }
  const seen = new Set<number>();
  const results: RankedScore[] = [];
  for (const [position, entry] of entries.entries()) {
    const { index, score } = entry;
    if (!Number.isInteger(index) || index < 0 || index >= documentCount) {
      issues.push(`results[${position}].index: ${index} is not a document index (0 to ${documentCount - 1})`);
      continue;
    }
    if (seen.has(index)) {
      issues.push(`results[${position}].index: document ${index} is scored twice`);
      continue;
    }
    seen.add(index);
    const relevanceScore = toRelevanceScore(mapping, score);
    if (relevanceScore === undefined) {
      issues.push(
        mapping === 'identity'
          ? `results[${position}].score: ${score} is not a probability in [0, 1] (raw logits need the sigmoid mapping)`
          : `results[${position}].score: ${score} is not a finite number`,
      );
      continue;
    }
    results.push(
      entry.text === undefined ? { index, relevanceScore } : { index, relevanceScore, text: entry.text },
    );
  }
  if (issues.length > 0) throw new DialectResponseError(dialect, issues);
  results.sort((a, b) => b.relevanceScore - a.relevanceScore || a.index - b.index);
  return results;
}

/**
 * The scores of a complete ranking in request order, as a scoring backend returns them.
 * @throws RangeError when some document has no score, as after a `top_n` cut.
 */
export function scoresInRequestOrder(results: readonly RankedScore[], documentCount: number): Float64Array {
  const scores = new Float64Array(documentCount).fill(Number.NaN);
  for (const result of results) scores[result.index] = result.relevanceScore;
  const missing = scores.findIndex((score) => Number.isNaN(score));
  if (missing !== -1) throw new RangeError(`document ${missing} has no score`);
  return scores;
}
