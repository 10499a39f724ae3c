import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodeUnitBuffer } from './code-unit-buffer.js';

function expectSameUnits(units: Uint16Array, text: string): void {
  const expected = Array.from({ length: text.length + 1 }, (_, index) =>
    index < text.length ? text.charCodeAt(index) : 0,
  );
  expect(Array.from(units.subarray(0, text.length + 1))).toEqual(expected);
}

describe('CodeUnitBuffer', () => {
  it('holds the code units of any text, then a 0', () => {
    const buffer = new CodeUnitBuffer();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expectSameUnits(buffer.load(text), text);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps lone surrogates, one-byte and two-byte strings as they are', () => {
    const buffer = new CodeUnitBuffer();
    for (const text of ['ab\uD800cd \uDC00ef', 'café', 'plain ascii', '東京 😀', '']) {
      expectSameUnits(buffer.load(text), text);
    }
  });

  it('reads a text longer than its kept capacity, and a short one after it', () => {
    const buffer = new CodeUnitBuffer();
    const long = 'word é '.repeat(40_000);
    expectSameUnits(buffer.load(long), long);
    // A short text after a long one: the 0 follows the short text, not the end of the long one.
    expectSameUnits(buffer.load('cat'), 'cat');
  });
});
