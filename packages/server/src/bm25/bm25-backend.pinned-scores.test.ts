import { describe, expect, it } from 'vitest';
import { Bm25Backend, type Bm25BackendOptions } from './bm25-backend.js';

/**
 * Pins the exact scores and usage of the backend on a fixed set of calls, so that a change meant only to
 * make the backend faster can prove that it changed no score (not even in the last bit). The expected
 * values are in `__snapshots__/bm25-pinned-scores.txt`, written by the backend before its speed work; one
 * line per call: its name, the usage tokens, then each score in JavaScript's shortest exact notation.
 * A deliberate change of the scoring updates the file with `vitest run -u` (and says so in its commit).
 */

/** English words with their inflections (stems shared and not), stop words, and words of other shapes. */
const WORDS = [
  'the',
  'The',
  'of',
  'and',
  'to',
  'in',
  'a',
  'is',
  'that',
  'for',
  'with',
  'between',
  'into',
  'model',
  'models',
  'Modeling',
  'modelled',
  'rank',
  'ranking',
  'ranked',
  'document',
  'documents',
  'documentation',
  'retrieval',
  'retrieve',
  'retrieved',
  'relevance',
  'relevant',
  'query',
  'queries',
  'search',
  'searching',
  'engine',
  'engines',
  'protein',
  'proteins',
  'cell',
  'cells',
  'cellular',
  'gene',
  'genes',
  'expression',
  'expressed',
  'patient',
  'patients',
  'treatment',
  'treated',
  'study',
  'studies',
  'cry',
  'cries',
  'ai',
  'AI',
  'uk',
  'ies',
  'x',
  'i',
  's',
  'increased',
  'increase',
  'sky',
  'skies',
  'generalization',
  'generalizations',
  'BM25',
  'covid19',
  'COVID-19',
  '2024',
  '3.5%',
  "don't",
  "SeaLink's",
  "models'",
  'it’s',
  "O'Brien",
  "d'accord",
  'café',
  'ca\u0301fe',
  'e\u0301cole',
  'ＡＰＩ',
  'api',
  'ﬁle',
  'file',
  'Crème',
  'brûlée',
  '東京タワー',
  'API接口',
  'Москва',
  'России',
  'κείμενα',
  'العربية',
  '한국어',
  '١٢٣',
  '😀',
  '👍🏽',
  'ab\uD800cd',
  'thé',
  'th\uFF45',
  'mu\uFB06',
];
const SEPARATORS = [' ', ' ', ' ', ' ', ', ', '. ', '\n', '-', '/', ' (', ') ', '; ', '\t', '—'];

/** A fixed linear congruential sequence: the inputs must be the same on every machine and every run. */
function fixedSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

function fixedText(next: () => number, wordCount: number): string {
  let text = '';
  for (let index = 0; index < wordCount; index++) {
    text += WORDS[Math.floor(next() * WORDS.length)] as string;
    text += SEPARATORS[Math.floor(next() * SEPARATORS.length)] as string;
  }
  return text;
}

interface PinnedCall {
  name: string;
  options: Bm25BackendOptions;
  query: string;
  documents: string[];
  maxTokensPerDocument?: number;
}

function pinnedCalls(): PinnedCall[] {
  const next = fixedSequence(20_260_301);
  // Lengths from empty to about 1,500 characters, weighted to the short end like real candidate lists.
  const documents = Array.from({ length: 80 }, () => fixedText(next, Math.floor(next() ** 2 * 220)));
  const queries = [
    'ranking models for document retrieval',
    'Which proteins are expressed in cells of patients treated with the drug?',
    'cry skies AI uk i x ies',
    "SeaLink's API ＡＰＩ café ca\u0301fe école 東京 Москва don't O'Brien",
    'COVID-19 2024 3.5% BM25 covid19 ١٢٣',
    'model model model models modelled',
    'the of and to in a is',
    '',
    fixedText(next, 40),
    fixedText(next, 12),
  ];
  const calls: PinnedCall[] = queries.map((query, index) => ({
    name: `default settings, query ${index}`,
    options: {},
    query,
    documents,
  }));
  calls.push(
    {
      name: 'k1 2, b 0.3, saturation 3',
      options: { k1: 2, b: 0.3, saturation: 3 },
      query: queries[1] as string,
      documents,
    },
    {
      name: 'no stop words, no stemming',
      options: { stopWords: false, stemming: false },
      query: queries[0] as string,
      documents,
    },
    {
      name: 'maxTokensPerDocument 25',
      options: {},
      query: queries[2] as string,
      documents,
      maxTokensPerDocument: 25,
    },
    {
      name: 'document cache',
      options: { documentCacheSize: 50 },
      query: queries[8] as string,
      documents: [...documents, ...documents.slice(0, 30)],
    },
  );
  return calls;
}

describe('Bm25Backend pinned scores', () => {
  it('gives exactly the scores and usage it gave before its speed work', async () => {
    const lines: string[] = [];
    for (const call of pinnedCalls()) {
      const backend = new Bm25Backend(call.options);
      // Twice on the same backend: the second call reads the surface forms the first one stored.
      for (const pass of ['first call', 'second call']) {
        const result = await backend.doScore({
          query: call.query,
          documents: call.documents,
          ...(call.maxTokensPerDocument === undefined
            ? {}
            : { maxTokensPerDocument: call.maxTokensPerDocument }),
        });
        lines.push(
          `${call.name}, ${pass}\ttokens ${result.usage.tokens}\t${Array.from(result.scores).join(' ')}`,
        );
      }
    }
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./__snapshots__/bm25-pinned-scores.txt');
  });
});
