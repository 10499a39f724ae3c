import { setImmediate as nextTurnOfTheEventLoop } from 'node:timers/promises';
import { ndcgAtK, recallAtK, reciprocalRankAtK } from './ranking-metrics.js';
import type { BeirDataset, BeirDocument } from './read-beir-dataset.js';

/** What the evaluation ranks with: a model, in process or behind an API. */
export interface EvaluationScorer {
  /** The most documents one call may carry; a larger corpus is scored in slices of this size. */
  readonly maxDocumentsPerCall: number;
  /** One relevance score per document, in order. */
  score(
    query: string,
    documents: readonly string[],
    abortSignal?: AbortSignal,
  ): PromiseLike<ArrayLike<number>>;
}

/** The averaged measures of an evaluation run, named as BEIR reports them. */
export interface EvaluationMetrics {
  /** Mean nDCG@10. */
  'ndcg@10': number;
  /** Mean Recall@100. */
  'recall@100': number;
  /** Mean reciprocal rank within the first 10. */
  'mrr@10': number;
  /** How many queries were ranked. */
  queries: number;
  /** How many documents each query ranked (the whole corpus). */
  documents: number;
}

/** Options of {@link evaluateRanking}. */
export interface EvaluateRankingOptions {
  /** Called after each query with how many are done. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stops the run, before the next query. The run gives the event loop a turn after each query, so a
   * signal handler or timer can abort it even when the scorer never waits for I/O.
   */
  abortSignal?: AbortSignal;
}

/** The text a model reads of a BEIR document: the title, a space, the text (as BEIR's own evaluation). */
export function beirDocumentText(document: BeirDocument): string {
  return document.title === '' ? document.text : `${document.title} ${document.text}`;
}

/**
 * For each document position, the rank of its id in byte order (strcmp on UTF-8, as trec_eval compares
 * ids), for breaking ties in score.
 */
function idByteOrder(ids: readonly string[]): Uint32Array {
  const bytes = ids.map((id) => Buffer.from(id, 'utf8'));
  const byId = Array.from({ length: ids.length }, (_, position) => position);
  byId.sort((left, right) => Buffer.compare(bytes[left] as Buffer, bytes[right] as Buffer));
  const order = new Uint32Array(ids.length);
  byId.forEach((position, rank) => {
    order[position] = rank;
  });
  return order;
}

/**
 * Document positions ordered by score, highest first, and among equal scores by id, last first (as
 * trec_eval, and so pytrec_eval and BEIR, order a run); the first `depth` of them, without `excluded` (the
 * position of the document whose id is the query's, if any).
 */
function topPositions(
  scores: ArrayLike<number>,
  idOrder: Uint32Array,
  depth: number,
  excluded: number | undefined,
): number[] {
  const positions = Array.from({ length: scores.length }, (_, position) => position);
  positions.sort(
    (left, right) =>
      (scores[right] as number) - (scores[left] as number) ||
      (idOrder[right] as number) - (idOrder[left] as number),
  );
  return positions.filter((position) => position !== excluded).slice(0, depth);
}

/**
 * Ranks the whole corpus for every query of the dataset with `scorer` and averages nDCG@10, Recall@100 and
 * MRR@10 over the queries, as BEIR does: a judged query without a relevant document counts as 0, and a
 * corpus document whose id is the query's id is left out of that query's ranking (BEIR's
 * `ignore_identical_ids`: ArguAna and Quora hold each query in the corpus under its own id). When the
 * corpus is larger than the scorer takes in one call it is scored in slices, and scores from different
 * slices are compared as they are (for BM25, each slice has its own document frequencies, so results
 * differ a little from one call over the whole corpus).
 */
export async function evaluateRanking(
  dataset: BeirDataset,
  scorer: EvaluationScorer,
  options: EvaluateRankingOptions = {},
): Promise<EvaluationMetrics> {
  const texts = dataset.documents.map(beirDocumentText);
  const ids = dataset.documents.map((document) => document.id);
  const positionOf = new Map(ids.map((id, position) => [id, position]));
  const idOrder = idByteOrder(ids);
  const slice = Math.max(1, scorer.maxDocumentsPerCall);
  let ndcg = 0;
  let recall = 0;
  let reciprocalRank = 0;
  let done = 0;
  for (const query of dataset.queries) {
    options.abortSignal?.throwIfAborted();
    let scores: ArrayLike<number>;
    if (texts.length <= slice) {
      scores = await scorer.score(query.text, texts, options.abortSignal);
    } else {
      const all = new Float64Array(texts.length);
      for (let start = 0; start < texts.length; start += slice) {
        all.set(
          Array.from(await scorer.score(query.text, texts.slice(start, start + slice), options.abortSignal)),
          start,
        );
      }
      scores = all;
    }
    if (scores.length !== texts.length) {
      throw new Error(`The model returned ${scores.length} scores for ${texts.length} documents.`);
    }
    const ranking = topPositions(scores, idOrder, 100, positionOf.get(query.id)).map(
      (position) => ids[position] as string,
    );
    const judgements = dataset.judgements.get(query.id) ?? new Map<string, number>();
    ndcg += ndcgAtK(ranking, judgements, 10);
    recall += recallAtK(ranking, judgements, 100);
    reciprocalRank += reciprocalRankAtK(ranking, judgements, 10);
    done++;
    options.onProgress?.(done, dataset.queries.length);
    // A scorer that never waits for I/O (the in-process BM25 model) would keep the event loop busy for the
    // whole run, so a SIGINT handler that aborts it (Ctrl-C) would only run once the run is over.
    await nextTurnOfTheEventLoop();
  }
  const count = Math.max(1, done);
  return {
    'ndcg@10': ndcg / count,
    'recall@100': recall / count,
    'mrr@10': reciprocalRank / count,
    queries: done,
    documents: texts.length,
  };
}
