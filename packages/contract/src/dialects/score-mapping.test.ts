import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logit, MAX_LOGIT, sigmoid, toEngineScore, toRelevanceScore } from './score-mapping.js';

describe('sigmoid', () => {
  it('gives the textbook values', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(2)).toBeCloseTo(0.8807970779778823, 15);
    expect(sigmoid(-2)).toBeCloseTo(0.11920292202211755, 15);
  });

  it('stays finite and in [0, 1] for huge logits', () => {
    expect(sigmoid(1e6)).toBe(1);
    expect(sigmoid(-1e6)).toBe(0);
    expect(sigmoid(-745)).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(sigmoid(-1e308))).toBe(false);
  });

  it('is symmetric: sigmoid(-x) = 1 - sigmoid(x)', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (x) => {
        expect(sigmoid(-x)).toBeCloseTo(1 - sigmoid(x), 12);
      }),
    );
  });

  it('is inverted by logit (where doubles keep 1 - sigmoid(x) precise)', () => {
    fc.assert(
      fc.property(fc.double({ min: -15, max: 15, noNaN: true }), (x) => {
        expect(logit(sigmoid(x))).toBeCloseTo(x, 6);
      }),
    );
  });
});

describe('logit', () => {
  it('maps 0 and 1 to finite bounds', () => {
    expect(logit(0)).toBe(-MAX_LOGIT);
    expect(logit(1)).toBe(MAX_LOGIT);
    expect(logit(0.5)).toBe(0);
  });
});

describe('toRelevanceScore', () => {
  it('keeps probabilities under identity and clamps float drift', () => {
    expect(toRelevanceScore('identity', 0.25)).toBe(0.25);
    expect(toRelevanceScore('identity', 1 + 1e-9)).toBe(1);
    expect(toRelevanceScore('identity', -1e-9)).toBe(0);
  });

  it('rejects what cannot be a probability under identity', () => {
    for (const score of [1.5, -0.2, 7.3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(toRelevanceScore('identity', score)).toBeUndefined();
    }
  });

  it('maps logits under sigmoid and rejects non-finite ones', () => {
    expect(toRelevanceScore('sigmoid', 0)).toBe(0.5);
    expect(toRelevanceScore('sigmoid', 7.3)).toBeCloseTo(0.99932, 5);
    expect(toRelevanceScore('sigmoid', Number.NaN)).toBeUndefined();
    expect(toRelevanceScore('sigmoid', Number.NEGATIVE_INFINITY)).toBeUndefined();
  });

  it('round-trips through toEngineScore', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('identity' as const, 'sigmoid' as const),
        fc.integer({ min: 0, max: 1000 }),
        (mapping, n) => {
          const score = n / 1000;
          expect(toRelevanceScore(mapping, toEngineScore(mapping, score))).toBeCloseTo(score, 12);
        },
      ),
    );
  });
});
