/**
 * The Okapi BM25 formula, as pure functions. The backend inlines the same arithmetic in its scoring loop;
 * these are its reference and documentation.
 *
 * For a query Q and a document D among N candidate documents:
 *
 *   BM25(D, Q) = Σ_{t ∈ Q} qtf(t) · idf(t) · tf(t, D) · (k1 + 1) / (tf(t, D) + k1 · (1 − b + b · |D| / avgdl))
 *
 * with idf(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5)), n(t) the number of candidates holding t, qtf(t) how
 * often t occurs in the query, |D| the document's length in (non stop word) tokens and avgdl the mean length
 * of the candidates. This idf (Lucene's) is never negative, so a term in every candidate counts a little
 * instead of pulling scores below zero.
 */

/** The inverse document frequency of a term held by `documentFrequency` of `documentCount` documents. */
export function bm25InverseDocumentFrequency(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** Inputs of {@link bm25TermFrequencyWeight}. */
export interface Bm25TermFrequencyInput {
  /** How often the term occurs in the document. */
  termFrequency: number;
  /** The document's length in tokens. */
  documentLength: number;
  /** The mean length of the candidate documents, in tokens. */
  averageDocumentLength: number;
  /** Term frequency saturation (k1). */
  k1: number;
  /** Length normalisation (b), from 0 (none) to 1 (full). */
  b: number;
}

/** The saturated, length-normalised term frequency factor of BM25 (0 when the term is absent). */
export function bm25TermFrequencyWeight(input: Bm25TermFrequencyInput): number {
  const { termFrequency, documentLength, averageDocumentLength, k1, b } = input;
  if (termFrequency <= 0) return 0;
  const relativeLength = averageDocumentLength > 0 ? documentLength / averageDocumentLength : 1;
  return (termFrequency * (k1 + 1)) / (termFrequency + k1 * (1 - b + b * relativeLength));
}

/**
 * Maps a raw BM25 score (0 to +∞) to a relevance score in [0, 1): `score / (score + saturation)`.
 *
 * The mapping is strictly increasing (in floating point: never decreasing), so it never changes a ranking, and it is fixed (it does not depend
 * on the other documents of the request, unlike min-max scaling), so a score means about the same in
 * every request: a raw score equal to `saturation` maps to 0.5. Raw scores still move somewhat with the
 * candidate set through idf. Not a calibrated probability.
 */
export function bm25RelevanceScore(rawScore: number, saturation: number): number {
  // Computed as 1 / (1 + saturation / raw), the same value: each step is monotonic in the one operand that
  // varies, so with rounding the result still never decreases as raw grows. raw / (raw + saturation) rounds
  // numerator and denominator apart and can put a raw score one ulp higher a little lower.
  return rawScore > 0 ? 1 / (1 + saturation / rawScore) : 0;
}
