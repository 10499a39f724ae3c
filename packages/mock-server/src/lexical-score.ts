/**
 * The mock's scoring: a cheap, deterministic lexical similarity of one query and one document. It depends
 * on that pair only (pointwise), so scoring documents in one request or split over several gives the same
 * score per document.
 *
 * Text is split into words (letters, marks and digits, after NFKC and lower-casing); Chinese, Japanese and
 * Korean script counts one character per word. A light stemmer folds plural endings (`models` → `model`).
 * Common English function words weigh a fifth of other words.
 *
 * score = coverage × (0.8 + 0.2 × density), rounded to 6 decimals, where coverage is the weighted share of
 * the query's distinct words found in the document and density the share of the document's distinct words
 * that are query words. A document that repeats the query scores 1; one without a query word scores 0.
 */

const WORD_PATTERN = /[\p{L}\p{M}\p{N}]+/gu;
const CHARACTER_WORD_PATTERN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A word's pieces: each CJK character alone, and each run of other letters, marks and digits whole. */
const CHARACTER_WORD_PIECES =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const STOP_WORD_WEIGHT = 0.2;
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have in is it its of on or that the this to was were will with ' +
    'what which who how do does can i you we they he she my your our their me us them'
  ).split(' '),
);

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) {
    return word.slice(0, -1);
  }
  return word;
}

/** Splits text into the mock's words: lower case, stemmed, one per character for CJK scripts (other runs whole). */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(WORD_PATTERN)) {
    const word = match[0];
    if (CHARACTER_WORD_PATTERN.test(word)) {
      // CJK text has no spaces: each of its characters is a word, and a Latin word or a number written
      // against it (`使用Qwen3模型`) stays whole.
      for (const [piece] of word.matchAll(CHARACTER_WORD_PIECES)) {
        words.push(CHARACTER_WORD_PATTERN.test(piece) ? piece : stem(piece));
      }
    } else {
      words.push(stem(word));
    }
  }
  return words;
}

/** How many tokens the mock counts for a text: its words as {@link tokenize} splits them. */
export function countTokens(text: string): number {
  return tokenize(text).length;
}

function weightOf(word: string): number {
  return STOP_WORDS.has(word) ? STOP_WORD_WEIGHT : 1;
}

/** A query prepared once for scoring many documents. */
export interface PreparedQuery {
  /** The query's distinct words. */
  readonly words: ReadonlySet<string>;
  /** The summed weight of the distinct words. */
  readonly totalWeight: number;
  /** The query's token count. */
  readonly tokenCount: number;
  /** The query's text, trimmed, for queries without words. */
  readonly trimmedText: string;
}

/** Prepares a query for {@link scoreDocument}. */
export function prepareQuery(query: string): PreparedQuery {
  const tokens = tokenize(query);
  const words = new Set(tokens);
  let totalWeight = 0;
  for (const word of words) totalWeight += weightOf(word);
  return { words, totalWeight, tokenCount: tokens.length, trimmedText: query.trim() };
}

/** The score of one document and the tokens it counted. */
export interface DocumentScore {
  /** The score, in [0, 1]. */
  score: number;
  /** Tokens of the query and the document (truncated to `maxTokens`), as the pair counts for usage. */
  tokens: number;
}

/**
 * Scores one document against a prepared query. With `maxTokens`, only the document's first `maxTokens`
 * words count, as `max_tokens_per_doc` asks.
 */
export function scoreDocument(query: PreparedQuery, document: string, maxTokens?: number): DocumentScore {
  const allTokens = tokenize(document);
  const tokens = maxTokens === undefined ? allTokens : allTokens.slice(0, maxTokens);
  const pairTokens = query.tokenCount + tokens.length;
  if (query.words.size === 0) {
    return { score: document.trim() === query.trimmedText ? 1 : 0, tokens: pairTokens };
  }
  const documentWords = new Set(tokens);
  let matchedWeight = 0;
  let matchedWords = 0;
  for (const word of query.words) {
    if (documentWords.has(word)) {
      matchedWeight += weightOf(word);
      matchedWords++;
    }
  }
  if (matchedWords === 0) return { score: 0, tokens: pairTokens };
  const coverage = matchedWeight / query.totalWeight;
  const density = matchedWords / documentWords.size;
  const score = Math.round(coverage * (0.8 + 0.2 * density) * 1e6) / 1e6;
  return { score: Math.min(1, Math.max(0, score)), tokens: pairTokens };
}

/** Scores one query-document pair: {@link scoreDocument} with the query prepared for it. */
export function lexicalScore(query: string, document: string, maxTokens?: number): number {
  return scoreDocument(prepareQuery(query), document, maxTokens).score;
}
