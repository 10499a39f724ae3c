/**
 * The mock's words, as `tokenize` in `lexical-score.ts` splits them: runs of letters, marks and digits
 * after NFKC; a run with a Chinese, Japanese or Korean character counts one word per character.
 * Repeated here with offsets, so that text can be cut at a word boundary; a test keeps the two in step.
 */
const WORD_PATTERN = /[\p{L}\p{M}\p{N}]+/gu;
const CHARACTER_WORD_PATTERN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Where each of the mock's words starts and ends in `text` (already NFKC-normalized). */
function wordSpans(text: string): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of text.matchAll(WORD_PATTERN)) {
    const word = match[0];
    if (CHARACTER_WORD_PATTERN.test(word)) {
      let offset = match.index;
      for (const character of word) {
        starts.push(offset);
        offset += character.length;
        ends.push(offset);
      }
    } else {
      starts.push(match.index);
      ends.push(match.index + word.length);
    }
  }
  return { starts, ends };
}

/**
 * Cuts text to its first or last `count` of the mock's words (its "tokens"), as a tokenizer truncating
 * on the right (`first`) or on the left (`last`) does. Text with at most `count` words comes back as is;
 * cut text comes back NFKC-normalized, from the first kept word's start or to the last kept word's end.
 */
export function keepTokens(text: string, count: number, keep: 'first' | 'last'): string {
  const normalized = text.normalize('NFKC');
  const { starts, ends } = wordSpans(normalized);
  if (starts.length <= count) return text;
  if (count <= 0) return '';
  return keep === 'first'
    ? normalized.slice(0, ends[count - 1])
    : normalized.slice(starts[starts.length - count]);
}
