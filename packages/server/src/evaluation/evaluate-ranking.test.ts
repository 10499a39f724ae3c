import { describe, expect, it } from 'vitest';
import { Bm25Backend } from '../bm25/bm25-backend.js';
import { beirDocumentText, type EvaluationScorer, evaluateRanking } from './evaluate-ranking.js';
import { readBeirDataset } from './read-beir-dataset.js';
import { SMALL_BEIR_FOLDER, writeBeirFolder } from './write-beir-folder.js';

function bm25Scorer(maxDocumentsPerCall = 10_000): EvaluationScorer {
  const backend = new Bm25Backend({ documentCacheSize: 100 });
  return {
    maxDocumentsPerCall,
    score: async (query, documents) => (await backend.doScore({ query, documents })).scores,
  };
}

describe('evaluateRanking', () => {
  it('joins title and text as the document text', () => {
    expect(beirDocumentText({ id: 'a', title: 'Title', text: 'Body.' })).toBe('Title Body.');
    expect(beirDocumentText({ id: 'a', title: '', text: 'Body.' })).toBe('Body.');
  });

  it('scores 1 on every measure when BM25 ranks each relevant document first', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    const progress: number[] = [];
    const metrics = await evaluateRanking(dataset, bm25Scorer(), {
      onProgress: (done) => progress.push(done),
    });
    expect(metrics).toEqual({ 'ndcg@10': 1, 'recall@100': 1, 'mrr@10': 1, queries: 4, documents: 6 });
    expect(progress).toEqual([1, 2, 3, 4]);
  });

  it('averages hand-computed values of a fixed ranking', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const dataset = await readBeirDataset(folder.path, { split: 'test', limit: 2 });
    // Scores rank documents in reverse corpus order: d6, d5, d4, d3, d2, d1.
    const reversed: EvaluationScorer = {
      maxDocumentsPerCall: 100,
      score: async (_query, documents) => documents.map((_, index) => index),
    };
    const metrics = await evaluateRanking(dataset, reversed);
    // q1 (d1 at rank 6): nDCG 1/log2(7), RR 1/6. q2 (d4 at rank 3): nDCG 1/log2(4) = 0.5, RR 1/3.
    expect(metrics['ndcg@10']).toBeCloseTo((1 / Math.log2(7) + 0.5) / 2, 12);
    expect(metrics['mrr@10']).toBeCloseTo((1 / 6 + 1 / 3) / 2, 12);
    expect(metrics['recall@100']).toBe(1);
  });

  it('matches BEIR on a hand-computed example: a query without a relevant document counts as 0', async () => {
    await using folder = await writeBeirFolder({
      ...SMALL_BEIR_FOLDER,
      qrels: {
        test: [
          ['q1', 'd1', 1],
          ['q2', 'd4', 2],
          ['q2', 'd6', 1],
          ['q3', 'd2', 0],
        ],
      },
    });
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    // Scores rank documents in reverse corpus order: d6, d5, d4, d3, d2, d1.
    const reversed: EvaluationScorer = {
      maxDocumentsPerCall: 100,
      score: async (_query, documents) => documents.map((_, index) => index),
    };
    const metrics = await evaluateRanking(dataset, reversed);
    // q1: d1 at rank 6: nDCG 1/log2(7), recall 1, RR 1/6.
    // q2: d6 (grade 1) at rank 1, d4 (grade 2) at rank 3: DCG 1 + 2/log2(4) = 2, ideal 2 + 1/log2(3);
    // recall 1, RR 1. q3: judged, nothing relevant: 0 on every measure, as pytrec_eval gives it.
    expect(metrics.queries).toBe(3);
    expect(metrics['ndcg@10']).toBeCloseTo((1 / Math.log2(7) + 2 / (2 + 1 / Math.log2(3)) + 0) / 3, 12);
    expect(metrics['recall@100']).toBeCloseTo(2 / 3, 12);
    expect(metrics['mrr@10']).toBeCloseTo((1 / 6 + 1 + 0) / 3, 12);
  });

  it('leaves out the corpus document whose id is the query id, as BEIR does', async () => {
    // ArguAna and Quora hold each query in the corpus under the same id; BEIR's evaluation ignores it
    // (`ignore_identical_ids`), else it takes rank 1 for every query.
    await using folder = await writeBeirFolder({
      corpus: [
        { _id: 'q1', text: 'the query itself' },
        { _id: 'd1', text: 'the answer' },
        { _id: 'd2', text: 'something else' },
      ],
      queries: [{ _id: 'q1', text: 'the query itself' }],
      qrels: { test: [['q1', 'd1', 1]] },
    });
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    const scores: Record<string, number> = { 'the query itself': 9, 'the answer': 5, 'something else': 1 };
    const fixed: EvaluationScorer = {
      maxDocumentsPerCall: 100,
      score: async (_query, documents) => documents.map((document) => scores[document] ?? 0),
    };
    const metrics = await evaluateRanking(dataset, fixed);
    expect(metrics).toEqual({ 'ndcg@10': 1, 'recall@100': 1, 'mrr@10': 1, queries: 1, documents: 3 });
  });

  it('orders documents with equal scores by id, last first, as trec_eval (and so pytrec_eval) does', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const dataset = await readBeirDataset(folder.path, { split: 'test', limit: 2 });
    const constant: EvaluationScorer = {
      maxDocumentsPerCall: 100,
      score: async (_query, documents) => documents.map(() => 0),
    };
    const metrics = await evaluateRanking(dataset, constant);
    // All tied: d6, d5, d4, d3, d2, d1. q1 (d1 at rank 6): nDCG 1/log2(7), RR 1/6. q2 (d4 at rank 3):
    // nDCG 0.5, RR 1/3. In corpus order q1 would score 1.
    expect(metrics['ndcg@10']).toBeCloseTo((1 / Math.log2(7) + 0.5) / 2, 12);
    expect(metrics['mrr@10']).toBeCloseTo((1 / 6 + 1 / 3) / 2, 12);
  });

  it('scores a corpus larger than one call in slices', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    const calls: number[] = [];
    const inner = bm25Scorer();
    const sliced: EvaluationScorer = {
      maxDocumentsPerCall: 4,
      score: (query, documents) => {
        calls.push(documents.length);
        return inner.score(query, documents);
      },
    };
    const metrics = await evaluateRanking(dataset, sliced);
    expect(calls.slice(0, 2)).toEqual([4, 2]);
    expect(metrics.queries).toBe(4);
    expect(metrics['recall@100']).toBe(1);
  });

  it('fails clearly when a model returns the wrong number of scores', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    const broken: EvaluationScorer = { maxDocumentsPerCall: 100, score: async () => [0.5] };
    await expect(evaluateRanking(dataset, broken)).rejects.toThrow('returned 1 scores for 6 documents');
  });

  it('lets a signal handler stop a run whose scorer never waits for I/O (Ctrl-C on an in-process model)', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    const controller = new AbortController();
    let calls = 0;
    // Resolves at once, as the in-process BM25 backend does: without a turn of the event loop between
    // queries, a SIGINT handler (or this callback) only runs once the whole run is over.
    const immediate: EvaluationScorer = {
      maxDocumentsPerCall: 100,
      score: async (_query, documents) => {
        calls++;
        return documents.map(() => 0);
      },
    };
    setImmediate(() => controller.abort(new Error('interrupted')));
    await expect(evaluateRanking(dataset, immediate, { abortSignal: controller.signal })).rejects.toThrow(
      'interrupted',
    );
    expect(calls).toBe(1);
  });

  it('stops when aborted', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(evaluateRanking(dataset, bm25Scorer(), { abortSignal: controller.signal })).rejects.toThrow(
      'stop',
    );
  });
});
