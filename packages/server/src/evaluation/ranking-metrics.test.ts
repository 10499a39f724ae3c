import { describe, expect, it } from 'vitest';
import { ndcgAtK, recallAtK, reciprocalRankAtK } from './ranking-metrics.js';

const binary = new Map([
  ['a', 1],
  ['c', 1],
  ['x', 0],
]);

describe('ranking metrics', () => {
  it('computes nDCG@10 with binary gains', () => {
    // Relevant at ranks 2 and 3: DCG = 1/log2(3) + 1/log2(4) = 0.630930 + 0.5; ideal = 1 + 0.630930.
    expect(ndcgAtK(['b', 'a', 'c', 'x'], binary, 10)).toBeCloseTo(1.13093 / 1.63093, 6);
    expect(ndcgAtK(['b', 'a', 'c', 'x'], binary, 10)).toBeCloseTo(0.693426, 6);
    expect(ndcgAtK(['a', 'c', 'b'], binary, 10)).toBe(1);
    expect(ndcgAtK(['b', 'x', 'd'], binary, 10)).toBe(0);
  });

  it('computes nDCG@k with graded gains and a cut-off', () => {
    const graded = new Map([
      ['a', 2],
      ['b', 1],
    ]);
    // Ranking b, a: DCG = 1 + 2/log2(3) = 2.261860; ideal a, b = 2 + 1/log2(3) = 2.630930.
    expect(ndcgAtK(['b', 'a'], graded, 10)).toBeCloseTo(2.26186 / 2.63093, 5);
    // At k = 1: DCG = 1, ideal = 2.
    expect(ndcgAtK(['b', 'a'], graded, 1)).toBe(0.5);
    // Relevant document past the cut-off does not count.
    expect(ndcgAtK(['x', 'y', 'a'], new Map([['a', 1]]), 2)).toBe(0);
  });

  it('gives 0 for a query without relevant documents', () => {
    expect(ndcgAtK(['a'], new Map([['a', 0]]), 10)).toBe(0);
    expect(recallAtK(['a'], new Map(), 100)).toBe(0);
    expect(reciprocalRankAtK(['a'], new Map(), 10)).toBe(0);
  });

  it('computes Recall@k', () => {
    expect(recallAtK(['b', 'a', 'x'], binary, 100)).toBe(0.5);
    expect(recallAtK(['c', 'b', 'a'], binary, 2)).toBe(0.5);
    expect(recallAtK(['c', 'a'], binary, 100)).toBe(1);
  });

  it('computes the reciprocal rank within the first k', () => {
    expect(reciprocalRankAtK(['b', 'x', 'c'], binary, 10)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRankAtK(['a'], binary, 10)).toBe(1);
    expect(reciprocalRankAtK(['b', 'x', 'c'], binary, 2)).toBe(0);
  });
});
