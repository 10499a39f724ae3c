import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectDegenerateScores, RELEVANCE_FIXTURE } from './detect-degenerate-scores.js';
import { qwen3RerankerScore } from './qwen3-reranker.js';

const { labels, documents, query } = RELEVANCE_FIXTURE;

/** A tiny lexical scorer: the share of query words found in the document. */
function wordOverlapScore(queryText: string, document: string): number {
  const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
  const queryWords = words(queryText);
  const documentWords = words(document);
  let shared = 0;
  for (const word of queryWords) if (documentWords.has(word)) shared++;
  return shared / queryWords.size;
}

describe('RELEVANCE_FIXTURE', () => {
  it('labels three of ten documents relevant', () => {
    expect(documents).toHaveLength(10);
    expect(labels.filter((label) => label === 1)).toHaveLength(3);
  });

  it('is passed by a plain lexical scorer, so any working reranker passes it', () => {
    const scores = documents.map((document) => wordOverlapScore(query, document));
    const report = detectDegenerateScores(scores);
    expect(report.reasons).toEqual([]);
    expect(report.degenerate).toBe(false);
    expect(report.pairwiseAccuracy).toBe(1);
  });
});

describe('detectDegenerateScores', () => {
  it('passes a good ranking and reports its numbers', () => {
    const scores = labels.map((label, index) => (label === 1 ? 0.9 - index * 0.01 : 0.05 + index * 0.001));
    const report = detectDegenerateScores(scores);
    expect(report).toMatchObject({ degenerate: false, reasons: [], pairwiseAccuracy: 1 });
    expect(report.margin).toBeCloseTo(0.83 - 0.059, 12);
    expect(report.spread).toBeCloseTo(0.89 - 0.05, 12);
  });

  it('flags constant scores, as a Qwen3 engine reading a missing head gives', () => {
    const report = detectDegenerateScores(labels.map(() => 0.5));
    expect(report.degenerate).toBe(true);
    expect(report.reasons.some((reason) => reason.startsWith('near-constant'))).toBe(true);
    expect(report.pairwiseAccuracy).toBe(0.5);
  });

  it('flags near-constant scores even when they rank right', () => {
    const scores = labels.map((label) => (label === 1 ? 0.7301 : 0.73));
    expect(detectDegenerateScores(scores).degenerate).toBe(true);
  });

  it('flags scores from the wrong logits (yes and no swapped)', () => {
    const right = labels.map((label) =>
      label === 1 ? qwen3RerankerScore(-2, 5) : qwen3RerankerScore(4, -3),
    );
    const swapped = labels.map((label) =>
      label === 1 ? qwen3RerankerScore(5, -2) : qwen3RerankerScore(-3, 4),
    );
    expect(detectDegenerateScores(right).degenerate).toBe(false);
    const report = detectDegenerateScores(swapped);
    expect(report.degenerate).toBe(true);
    expect(report.pairwiseAccuracy).toBe(0);
  });

  it('flags any ranking that puts an irrelevant document above a relevant one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }),
        (scores) => {
          const relevantLow = Math.min(...scores.filter((_, index) => labels[index] === 1));
          const irrelevantHigh = Math.max(...scores.filter((_, index) => labels[index] === 0));
          const spread = Math.max(...scores) - Math.min(...scores);
          const expectedGood = relevantLow > irrelevantHigh && spread >= 0.05;
          expect(detectDegenerateScores(scores).degenerate).toBe(!expectedGood);
        },
      ),
    );
  });

  it('flags most random scores', () => {
    let flagged = 0;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }),
        (scores) => {
          if (detectDegenerateScores(scores).degenerate) flagged++;
        },
      ),
      { numRuns: 500, seed: 7 },
    );
    expect(flagged).toBeGreaterThan(450);
  });

  it('flags scores that are not probabilities or do not match the labels', () => {
    expect(detectDegenerateScores([...labels.slice(0, 9)]).reasons[0]).toBe('expected 10 scores, got 9');
    const withNaN = labels.map((label) => label * 0.9);
    withNaN[3] = Number.NaN;
    expect(detectDegenerateScores(withNaN).reasons[0]).toBe('score 3 is NaN, not a number in [0, 1]');
    expect(detectDegenerateScores(labels.map((label) => label * 7.5)).degenerate).toBe(true);
  });

  it('takes custom labels and a margin', () => {
    expect(detectDegenerateScores([0.9, 0.1], [1, 0]).degenerate).toBe(false);
    expect(detectDegenerateScores([0.6, 0.5], [1, 0], { minimumMargin: 0.2 }).degenerate).toBe(true);
    expect(detectDegenerateScores([0.9, 0.1], [1, 1]).reasons).toContain(
      'the labels need at least one relevant and one irrelevant document',
    );
  });
});
