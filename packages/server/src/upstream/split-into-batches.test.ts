import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitIntoBatches } from './split-into-batches.js';

describe('splitIntoBatches', () => {
  it('splits 1,000 documents at 32 into 32 batches of 31 or 32', () => {
    const documents = Array.from({ length: 1000 }, (_, index) => `d${index}`);
    const batches = splitIntoBatches(documents, 32);
    expect(batches).toHaveLength(32);
    expect(new Set(batches.map((batch) => batch.documents.length))).toEqual(new Set([31, 32]));
  });

  it('keeps every document once, in order, in batches of at most the maximum and near-equal sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        (documents, maxBatch) => {
          const batches = splitIntoBatches(documents, maxBatch);
          expect(batches.flatMap((batch) => batch.documents)).toEqual(documents);
          let start = 0;
          for (const batch of batches) {
            expect(batch.start).toBe(start);
            expect(batch.documents.length).toBeLessThanOrEqual(maxBatch);
            start += batch.documents.length;
          }
          expect(batches).toHaveLength(Math.ceil(documents.length / maxBatch));
          const sizes = batches.map((batch) => batch.documents.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('refuses a maximum that is not a positive integer', () => {
    expect(() => splitIntoBatches(['a'], 0)).toThrow(RangeError);
    expect(() => splitIntoBatches(['a'], 1.5)).toThrow(RangeError);
  });
});
