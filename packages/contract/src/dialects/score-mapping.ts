/**
 * How an engine's scores map to the contract's relevance scores in [0, 1]:
 * - `identity`: the engine already returns probabilities in [0, 1] (after its own sigmoid or softmax);
 *   a score outside [0, 1] is rejected, since it means the engine returns raw logits after all.
 * - `sigmoid`: the engine returns raw logits; the relevance score is `1 / (1 + e^-x)`.
 */
export type ScoreMapping = 'identity' | 'sigmoid';

/** Every score mapping, for documentation and validation. */
export const SCORE_MAPPINGS = ['identity', 'sigmoid'] as const satisfies readonly ScoreMapping[];

/**
 * How far outside [0, 1] an `identity` score may stray from float rounding (for example an engine
 * computing in float16) before it counts as out of range. Scores within it are clamped to [0, 1].
 */
export const PROBABILITY_TOLERANCE = 1e-6;

/** The largest logit magnitude {@link logit} returns, so that 0 and 1 map to finite JSON numbers. */
export const MAX_LOGIT = 100;

/**
 * The logistic function `1 / (1 + e^-x)`, computed without overflow for any finite `x`: for negative
 * `x` it uses `e^x / (1 + e^x)`, so `e^` never sees a large positive argument.
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const exponential = Math.exp(x);
  return exponential / (1 + exponential);
}

/**
 * The inverse of {@link sigmoid}: `ln(p / (1 - p))`, clamped to ±{@link MAX_LOGIT} so that 0 and 1
 * give finite numbers. Mock engines use it to answer in logits.
 */
export function logit(probability: number): number {
  if (probability <= 0) return -MAX_LOGIT;
  if (probability >= 1) return MAX_LOGIT;
  const value = Math.log(probability) - Math.log1p(-probability);
  return Math.min(MAX_LOGIT, Math.max(-MAX_LOGIT, value));
}

/**
 * Maps one engine score to a relevance score in [0, 1], or returns `undefined` when the score cannot
 * be one: not a finite number, or, for `identity`, outside [0, 1] by more than {@link PROBABILITY_TOLERANCE}.
 */
export function toRelevanceScore(mapping: ScoreMapping, engineScore: number): number | undefined {
  if (!Number.isFinite(engineScore)) return undefined;
  if (mapping === 'sigmoid') return sigmoid(engineScore);
  if (engineScore < -PROBABILITY_TOLERANCE || engineScore > 1 + PROBABILITY_TOLERANCE) return undefined;
  return Math.min(1, Math.max(0, engineScore));
}

/** Maps a relevance score in [0, 1] to the engine's scale: the inverse of {@link toRelevanceScore}. */
export function toEngineScore(mapping: ScoreMapping, relevanceScore: number): number {
  return mapping === 'sigmoid' ? logit(relevanceScore) : relevanceScore;
}
