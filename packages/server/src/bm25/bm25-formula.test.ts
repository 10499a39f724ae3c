import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bm25InverseDocumentFrequency, bm25RelevanceScore, bm25TermFrequencyWeight } from './bm25-formula.js';

describe('the BM25 formula', () => {
  it('computes idf as ln(1 + (N - n + 0.5) / (n + 0.5))', () => {
    // N = 3, n = 1: ln(1 + 2.5 / 1.5) = ln(8 / 3)
    expect(bm25InverseDocumentFrequency(3, 1)).toBeCloseTo(0.980829253, 8);
    // A term in every document still counts a little: ln(1 + 0.5 / 3.5)
    expect(bm25InverseDocumentFrequency(3, 3)).toBeCloseTo(0.133531393, 8);
  });

  it('saturates term frequency and normalises by length', () => {
    // tf 2, |D| 3, avgdl 2, k1 1.2, b 0.75: 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 1.5)) = 4.4 / 3.65
    const weight = bm25TermFrequencyWeight({
      termFrequency: 2,
      documentLength: 3,
      averageDocumentLength: 2,
      k1: 1.2,
      b: 0.75,
    });
    expect(weight).toBeCloseTo(1.205479452, 8);
    expect(
      bm25TermFrequencyWeight({
        termFrequency: 0,
        documentLength: 3,
        averageDocumentLength: 2,
        k1: 1.2,
        b: 0.75,
      }),
    ).toBe(0);
  });

  it('maps raw scores to [0, 1) with raw = saturation at 0.5', () => {
    expect(bm25RelevanceScore(0, 10)).toBe(0);
    expect(bm25RelevanceScore(10, 10)).toBe(0.5);
    expect(bm25RelevanceScore(30, 10)).toBe(0.75);
  });

  it('maps monotonically into [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        (left, right, saturation) => {
          const low = Math.min(left, right);
          const high = Math.max(left, right);
          const lowScore = bm25RelevanceScore(low, saturation);
          const highScore = bm25RelevanceScore(high, saturation);
          expect(lowScore).toBeGreaterThanOrEqual(0);
          expect(highScore).toBeLessThanOrEqual(1);
          expect(highScore).toBeGreaterThanOrEqual(lowScore);
        },
      ),
    );
  });

  it('never ranks a higher raw score below a lower one, even one ulp apart', () => {
    const nextUp = (value: number): number => {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, value);
      view.setBigUint64(0, view.getBigUint64(0) + 1n);
      return view.getFloat64(0);
    };
    // raw / (raw + saturation) rounds these two the wrong way round: 0.7384575973977747 > 0.7384575973977746.
    expect(bm25RelevanceScore(28.234717967353085, 10)).toBeGreaterThanOrEqual(
      bm25RelevanceScore(28.23471796735308, 10),
    );
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(10, 1, 3.7, 0.5, 250),
        (raw, steps, saturation) => {
          let higher = raw;
          for (let step = 0; step < steps; step++) higher = nextUp(higher);
          expect(bm25RelevanceScore(higher, saturation)).toBeGreaterThanOrEqual(
            bm25RelevanceScore(raw, saturation),
          );
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
