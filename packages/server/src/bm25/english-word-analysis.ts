import { stemmer } from 'stemmer';
import { eng as englishStopWordList } from 'stopword';

/**
 * English stop words: the list of the `stopword` package (108 common function words such as "the",
 * "for", "with"). A stop word carries almost no information about relevance, so BM25 ignores it.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(englishStopWordList);

/** Which English word analysis to apply to a token. */
export interface EnglishWordAnalysisOptions {
  /** Drop English stop words. */
  stopWords: boolean;
  /** Reduce English words to their Porter stem ("models" and "model" both become "model"). */
  stemming: boolean;
}

const LOWERCASE_ASCII_WORD = /^[a-z]+$/;

/**
 * Applies the English word analysis to one normalised (NFKC, lower-cased) token: returns `undefined` for a
 * stop word, the Porter stem for a word of the letters a to z, and the token itself otherwise (numbers,
 * words of other scripts, words with an apostrophe).
 *
 * Stemming uses the `stemmer` package (Martin Porter's 1980 algorithm, the one Lucene's and
 * Elasticsearch's English analysers use), chosen because it is small, typed, dependency-free and kept up
 * by a maintainer of many text packages. Callers cache the result per distinct token.
 */
export function analyzeEnglishWord(token: string, options: EnglishWordAnalysisOptions): string | undefined {
  if (options.stopWords && ENGLISH_STOP_WORDS.has(token)) return undefined;
  if (options.stemming && token.length > 2 && LOWERCASE_ASCII_WORD.test(token)) return stemmer(token);
  return token;
}
