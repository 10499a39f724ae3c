import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TermVocabulary, TokenBuffer } from './term-vocabulary.js';

/** Pieces that exercise every path of the scanner: stop words, stems, short stems, apostrophes, NFKC, CJK. */
const WORDS = [
  'the',
  'The',
  'model',
  'Models',
  'aying',
  'ayed',
  'ai',
  'AI',
  'ies',
  'i',
  'a',
  'x',
  "don't",
  "SeaLink's",
  "a's",
  'it’s',
  "d'accord",
  'café',
  'ca\u0301fe',
  'e\u0301cole',
  'ｔｈｅ',
  'ﬁle',
  'file',
  '東京',
  'Москва',
  '12',
  'covid19',
  'gateway',
  'gateways',
  's',
  'S',
  'thé',
  'mu\uFB06',
  'th\uFF45',
  'increased',
  'into',
  'INTO',
  'between',
  'betweenness',
  'uk',
  '1',
  '3.14',
  '1,000',
  'e.g',
  'I.E',
  'key:value',
  "5'UTR",
  '３．１４',
];
const SEPARATORS = [' ', ' ', ' ', '', '\n', '-', "'", '’', '😀', '.', ',', ';', ':'];
const textArbitrary = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { maxLength: 30 })
  .map((pairs) => pairs.map(([word, separator]) => word + separator).join(''));

/** Document length and matched query-term counts, through the lookup filter or through full lookups. */
function analyseDocument(vocabulary: TermVocabulary, queryTerms: string[], text: string, filtered: boolean) {
  const buffer = new TokenBuffer();
  const filter = filtered ? vocabulary.createLookupFilter(queryTerms) : undefined;
  const tokens = vocabulary.scan(text, Number.POSITIVE_INFINITY, buffer, filter);
  const mark = vocabulary.markTerms(queryTerms);
  const matches = queryTerms.map(() => 0);
  for (let position = 0; position < buffer.length; position++) {
    const termId = buffer.termIds[position] as number;
    if (vocabulary.termMarks[termId] === mark) {
      const slot = vocabulary.termSlots[termId] as number;
      matches[slot] = (matches[slot] as number) + 1;
    }
  }
  return { tokens, length: buffer.length + (filtered ? buffer.unlistedCount : 0), matches };
}

function queryTermsOf(vocabulary: TermVocabulary, query: string): string[] {
  const buffer = new TokenBuffer();
  vocabulary.scan(query, Number.POSITIVE_INFINITY, buffer);
  return [...new Set(Array.from(buffer.termIds.subarray(0, buffer.length), (id) => vocabulary.termText(id)))];
}

describe('TermVocabulary', () => {
  it('gives the same lengths and matches with the lookup filter as without it', () => {
    fc.assert(
      fc.property(
        textArbitrary,
        textArbitrary,
        fc.boolean(),
        fc.boolean(),
        (query, text, stopWords, stemming) => {
          const vocabulary = new TermVocabulary({ stopWords, stemming });
          const queryTerms = queryTermsOf(vocabulary, query);
          expect(analyseDocument(vocabulary, queryTerms, text, true)).toEqual(
            analyseDocument(vocabulary, queryTerms, text, false),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('maps a surface form to the same term id every time, and variants to one stem', () => {
    const vocabulary = new TermVocabulary({ stopWords: true, stemming: true });
    const buffer = new TokenBuffer();
    vocabulary.scan('Models model MODELS the', 10, buffer);
    expect(buffer.length).toBe(3);
    expect(new Set(buffer.termIds.subarray(0, 3)).size).toBe(1);
    expect(vocabulary.termText(buffer.termIds[0] as number)).toBe('model');
  });

  it('reads at most maxTokens tokens, stop words included', () => {
    const vocabulary = new TermVocabulary({ stopWords: true, stemming: true });
    const buffer = new TokenBuffer();
    expect(vocabulary.scan('the cat sat on the mat', 3, buffer)).toBe(3);
    expect(Array.from(buffer.termIds.subarray(0, buffer.length), (id) => vocabulary.termText(id))).toEqual([
      'cat',
      'sat',
    ]);
  });

  it('grows its buffers for long texts', () => {
    const vocabulary = new TermVocabulary({ stopWords: false, stemming: false });
    const buffer = new TokenBuffer();
    const words = Array.from({ length: 5000 }, (_, index) => `w${index}`);
    expect(vocabulary.scan(words.join(' '), Number.POSITIVE_INFINITY, buffer)).toBe(5000);
    expect(buffer.length).toBe(5000);
    expect(vocabulary.size).toBe(5000);
    expect(vocabulary.termText(buffer.termIds[4999] as number)).toBe('w4999');
  });

  it('clears itself when full and keeps working', () => {
    const vocabulary = new TermVocabulary({ stopWords: false, stemming: false, maxEntries: 10 });
    const buffer = new TokenBuffer();
    vocabulary.scan('a b c d e f g h i j k l', Number.POSITIVE_INFINITY, buffer);
    expect(vocabulary.resetIfFull()).toBe(true);
    expect(vocabulary.size).toBe(0);
    expect(vocabulary.generation).toBe(1);
    vocabulary.scan('k l', Number.POSITIVE_INFINITY, buffer);
    expect(Array.from(buffer.termIds.subarray(0, buffer.length), (id) => vocabulary.termText(id))).toEqual([
      'k',
      'l',
    ]);
    expect(vocabulary.resetIfFull()).toBe(false);
  });

  it('clears itself once its surface forms and terms hold maxCharacters, however few they are', () => {
    // A few hundred requests of long unique tokens (up to a document's 131,072 characters each) kept about
    // 10 MB each until 262,144 forms: the server ran out of memory long before.
    const vocabulary = new TermVocabulary({ stopWords: false, stemming: false });
    const buffer = new TokenBuffer();
    vocabulary.scan(`${'a'.repeat(2_000_000)} ${'b'.repeat(2_000_000)}`, Number.POSITIVE_INFINITY, buffer);
    expect(vocabulary.size).toBe(2);
    expect(vocabulary.resetIfFull()).toBe(false);
    vocabulary.scan(`${'c'.repeat(2_000_000)} ${'d'.repeat(2_000_000)}`, Number.POSITIVE_INFINITY, buffer);
    expect(vocabulary.size).toBe(4);
    // 8 million characters of forms and as many of terms: past the default 8,388,608.
    expect(vocabulary.resetIfFull()).toBe(true);
    expect(vocabulary.size).toBe(0);

    const small = new TermVocabulary({ stopWords: false, stemming: false, maxCharacters: 30 });
    small.scan('abcde fghij', Number.POSITIVE_INFINITY, buffer);
    expect(small.resetIfFull()).toBe(false);
    small.scan('klmno', Number.POSITIVE_INFINITY, buffer);
    expect(small.resetIfFull()).toBe(true);
    expect(small.resetIfFull()).toBe(false);
  });
});
