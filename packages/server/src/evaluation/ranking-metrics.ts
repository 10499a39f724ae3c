/**
 * Ranking quality measures, with the definitions of `trec_eval` / `pytrec_eval` that the BEIR benchmark
 * reports. `relevance` maps judged document ids to their grade; unjudged documents count as grade 0.
 */

/** Relevance grades of one query's judged documents: document id to grade (0 = judged not relevant). */
export type RelevanceJudgements = ReadonlyMap<string, number>;

/**
 * nDCG@k: DCG = Σ_{i=1..k} grade(d_i) / log2(i + 1) over the ranking, divided by the DCG of the ideal ranking
 * of all judged grades. Gains are the grades themselves (binary qrels give 1 and 0), as in `trec_eval`'s
 * `ndcg_cut`. 0 when the query has no relevant document.
 */
export function ndcgAtK(ranking: readonly string[], relevance: RelevanceJudgements, k: number): number {
  let dcg = 0;
  const depth = Math.min(k, ranking.length);
  for (let position = 0; position < depth; position++) {
    const grade = relevance.get(ranking[position] as string) ?? 0;
    if (grade > 0) dcg += grade / Math.log2(position + 2);
  }
  const ideal = [...relevance.values()].filter((grade) => grade > 0).sort((left, right) => right - left);
  let idealDcg = 0;
  for (let position = 0; position < Math.min(k, ideal.length); position++) {
    idealDcg += (ideal[position] as number) / Math.log2(position + 2);
  }
  return idealDcg > 0 ? dcg / idealDcg : 0;
}

/** Recall@k: the share of the query's relevant documents (grade > 0) found in the first k. 0 when none exist. */
export function recallAtK(ranking: readonly string[], relevance: RelevanceJudgements, k: number): number {
  let relevantTotal = 0;
  for (const grade of relevance.values()) if (grade > 0) relevantTotal++;
  if (relevantTotal === 0) return 0;
  let found = 0;
  const depth = Math.min(k, ranking.length);
  for (let position = 0; position < depth; position++) {
    if ((relevance.get(ranking[position] as string) ?? 0) > 0) found++;
  }
  return found / relevantTotal;
}

/** Reciprocal rank@k: 1 / the rank of the first relevant document within the first k, else 0. */
export function reciprocalRankAtK(
  ranking: readonly string[],
  relevance: RelevanceJudgements,
  k: number,
): number {
  const depth = Math.min(k, ranking.length);
  for (let position = 0; position < depth; position++) {
    if ((relevance.get(ranking[position] as string) ?? 0) > 0) return 1 / (position + 1);
  }
  return 0;
}
