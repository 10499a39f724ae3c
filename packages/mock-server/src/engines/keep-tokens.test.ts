import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens, tokenize } from '../lexical-score.js';
import { keepTokens } from './keep-tokens.js';

/** Text of words, punctuation, template markers and CJK, where word boundaries matter. */
const textArbitrary = fc
  .array(
    fc.oneof(
      fc.constantFrom('sourdough', 'Starter', 'feeds', '12', 'ünïcode', '<|im_start|>', '<Document>: ', '\n'),
      fc.constantFrom('中文', '日本語', 'ｆｕｌｌ', '한국어', 'x中y'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(' '));

describe('keepTokens', () => {
  it("keeps exactly the first or last count of the mock's words, as tokenize counts them", () => {
    fc.assert(
      fc.property(
        textArbitrary,
        fc.nat(40),
        fc.constantFrom('first', 'last') as fc.Arbitrary<'first' | 'last'>,
        (text, count, keep) => {
          const words = tokenize(text);
          const kept = keepTokens(text, count, keep);
          expect(countTokens(kept)).toBe(Math.min(count, words.length));
          if (count < words.length) {
            expect(tokenize(kept)).toEqual(
              keep === 'first' ? words.slice(0, count) : words.slice(words.length - count),
            );
          } else {
            expect(kept).toBe(text);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cuts at word boundaries and keeps what lies between the kept words', () => {
    const prompt = '<Query>: feed a starter\n<Document>: once a day<|im_end|>';
    expect(keepTokens(prompt, 3, 'first')).toBe('<Query>: feed a');
    expect(keepTokens(prompt, 4, 'last')).toBe('a day<|im_end|>');
    expect(keepTokens(prompt, 0, 'last')).toBe('');
  });
});
