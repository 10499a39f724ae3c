/**
 * A small relevance fixture: one query, documents that clearly answer it and documents that clearly
 * do not. A reranker that works ranks every relevant document above every irrelevant one, by a margin.
 * Relevant documents share words with the query, so even a lexical scorer (BM25) passes.
 */
export const RELEVANCE_FIXTURE = {
  /** The query. */
  query: 'How often should I feed a sourdough starter?',
  /** The instruction, the Qwen3-Reranker default. */
  instruction: 'Given a web search query, retrieve relevant passages that answer the query',
  /** The documents, relevant and irrelevant interleaved so that position gives nothing away. */
  documents: [
    'The stock market closed higher on Friday after strong earnings reports.',
    'Feed a sourdough starter once a day at room temperature, or once a week if you keep it in the fridge.',
    'A graphics card needs good airflow to avoid thermal throttling.',
    'The offside rule in football applies when a player is nearer the goal line than the ball.',
    'A healthy sourdough starter should be fed every 12 to 24 hours with equal weights of flour and water.',
    'Photosynthesis converts light energy into chemical energy in plants.',
    'Tax returns are due in April for most individual filers.',
    'How often you feed a sourdough starter depends on temperature: daily on the counter, weekly in the fridge.',
    'The Eiffel Tower was completed in 1889 for the World Fair.',
    'Lithium-ion batteries lose capacity with each charge cycle.',
  ],
  /** 1 for each document that answers the query, 0 for the others. */
  labels: [0, 1, 0, 0, 1, 0, 0, 1, 0, 0],
} as const;

/** Options of {@link detectDegenerateScores}. */
export interface DegenerateScoreOptions {
  /** The smallest spread (highest minus lowest score) a working reranker gives; 0.05 by default. */
  minimumSpread?: number;
  /**
   * The smallest gap between the lowest relevant and the highest irrelevant score; 0 by default, so
   * that any strict separation passes.
   */
  minimumMargin?: number;
}

/** The verdict of {@link detectDegenerateScores}. */
export interface DegenerateScoreReport {
  /** Whether the scores look like a broken reranker's. */
  degenerate: boolean;
  /** Each reason the scores were judged degenerate; empty when they were not. */
  reasons: string[];
  /** The highest score minus the lowest. */
  spread: number;
  /**
   * The share of (relevant, irrelevant) pairs ranked the right way round, ties counting half: 1 for a
   * perfect ranking, about 0.5 for random scores (the ROC AUC).
   */
  pairwiseAccuracy: number;
  /** The lowest relevant score minus the highest irrelevant one; negative when they overlap. */
  margin: number;
}

/**
 * Flags scores that a broken reranker would give on a labelled fixture ({@link RELEVANCE_FIXTURE}
 * by default): scores that are not numbers in [0, 1], near-constant scores, or a ranking that does
 * not put every relevant document above every irrelevant one. Engines that build the Qwen3-Reranker
 * prompt wrong or read the wrong head fail this (vLLM #20478, #27857; llama.cpp #16407). Random scores
 * pass it with probability 1 / C(10, 3) = 1/120 on the default fixture.
 */
export function detectDegenerateScores(
  scores: ArrayLike<number>,
  labels: ArrayLike<number> = RELEVANCE_FIXTURE.labels,
  options: DegenerateScoreOptions = {},
): DegenerateScoreReport {
  const reasons: string[] = [];
  const values = Array.from(scores);
  const relevance = Array.from(labels);
  if (values.length !== relevance.length) {
    reasons.push(`expected ${relevance.length} scores, got ${values.length}`);
  }
  const invalid = values.findIndex((score) => !(score >= 0 && score <= 1));
  if (invalid !== -1) reasons.push(`score ${invalid} is ${values[invalid]}, not a number in [0, 1]`);
  const relevant: number[] = [];
  const irrelevant: number[] = [];
  for (const [index, score] of values.entries()) {
    if (index >= relevance.length) break;
    (relevance[index]! > 0 ? relevant : irrelevant).push(score);
  }
  if (relevant.length === 0 || irrelevant.length === 0) {
    reasons.push('the labels need at least one relevant and one irrelevant document');
  }
  const spread = values.length === 0 ? 0 : Math.max(...values) - Math.min(...values);
  const minimumSpread = options.minimumSpread ?? 0.05;
  if (!(spread >= minimumSpread))
    reasons.push(`near-constant scores: spread ${spread} below ${minimumSpread}`);
  let correct = 0;
  for (const high of relevant) {
    for (const low of irrelevant) correct += high > low ? 1 : high === low ? 0.5 : 0;
  }
  const pairs = relevant.length * irrelevant.length;
  const pairwiseAccuracy = pairs === 0 ? 0 : correct / pairs;
  const margin = Math.min(...relevant) - Math.max(...irrelevant);
  const minimumMargin = options.minimumMargin ?? 0;
  if (pairs > 0 && !(margin > minimumMargin)) {
    reasons.push(
      `relevant documents do not all outrank irrelevant ones: pairwise accuracy ${pairwiseAccuracy.toFixed(3)}, margin ${margin}`,
    );
  }
  return { degenerate: reasons.length > 0, reasons, spread, pairwiseAccuracy, margin };
}
