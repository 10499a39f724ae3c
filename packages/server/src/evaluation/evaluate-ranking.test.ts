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
