import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAsciiStopWordAt, isPackableStopWord } from './ascii-stop-words.js';
import { ENGLISH_STOP_WORDS } from './english-word-analysis.js';

/** The token `text[start, end)` as the scanner hands it over: code units in a typed array. */
function isStopWordIn(text: string, start = 0, end = text.length): boolean {
  return isAsciiStopWordAt(
    Uint16Array.from(text, (character) => character.charCodeAt(0)),
    start,
    end,
  );
}

describe('isAsciiStopWordAt', () => {
  it('knows every word of the English stop word list, in any case', () => {
    for (const word of ENGLISH_STOP_WORDS) {
      expect(isPackableStopWord(word)).toBe(true);
      expect(isStopWordIn(word)).toBe(true);
      expect(isStopWordIn(word.toUpperCase())).toBe(true);
    }
  });

  it('rejects near misses: prefixes, extensions, digits and apostrophes', () => {
    for (const token of [
      'betwee',
      'betweens',
      'th',
      'thes',
      'himselF1',
      'don',
      "don't",
      'a1',
      '1',
      'x',
      'ab',
    ]) {
      expect(isStopWordIn(token)).toBe(ENGLISH_STOP_WORDS.has(token.toLowerCase()));
    }
    expect(isStopWordIn('xthex', 1, 4)).toBe(true);
    expect(isStopWordIn('xthex', 0, 4)).toBe(false);
  });

  it('agrees with the stop word list on any ASCII token', () => {
    const tokenCharacter = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzAEHTW019'");
    const stopWordLike = fc
      .constantFrom(...ENGLISH_STOP_WORDS)
      .chain((word) =>
        fc
          .tuple(fc.nat(word.length), tokenCharacter)
          .map(([index, character]) =>
            index === word.length ? word : word.slice(0, index) + character + word.slice(index + 1),
          ),
      );
    const token = fc.oneof(fc.string({ unit: tokenCharacter, minLength: 1, maxLength: 9 }), stopWordLike);
    fc.assert(
      fc.property(token, (text) => {
        expect(isStopWordIn(text)).toBe(ENGLISH_STOP_WORDS.has(text.toLowerCase()));
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts only one to seven letters a to z as packable', () => {
    expect(isPackableStopWord('through')).toBe(true);
    expect(isPackableStopWord('yourself')).toBe(false);
    expect(isPackableStopWord("don't")).toBe(false);
    expect(isPackableStopWord('')).toBe(false);
  });
});
