import { TermVocabulary, TokenBuffer } from './term-vocabulary.js';

/** Options of {@link analyzeText}. */
export interface AnalyzeTextOptions {
  /** Drop English stop words. Default true. */
  stopWords?: boolean;
  /** Reduce English words to their Porter stem. Default true. */
  stemming?: boolean;
}

/**
 * The terms the BM25 backend sees in a text, in order: the tokens of {@link TermVocabulary.scan} after stop
 * words and stemming. With both options off, these are the normalised tokens themselves. For inspection and
 * tests; the backend does not build these strings.
 */
export function analyzeText(text: string, options: AnalyzeTextOptions = {}): string[] {
  const vocabulary = new TermVocabulary({
    stopWords: options.stopWords ?? true,
    stemming: options.stemming ?? true,
  });
  const buffer = new TokenBuffer();
  vocabulary.scan(text, Number.POSITIVE_INFINITY, buffer);
  return Array.from(buffer.termIds.subarray(0, buffer.length), (termId) => vocabulary.termText(termId));
}
