import MiniSearch from 'minisearch';
import okapiBm25Module from 'okapibm25';
import winkBm25 from 'wink-bm25-text-search';
import winkNlpUtilities from 'wink-nlp-utils';
import { Bm25Backend } from '../src/bm25/bm25-backend.js';
import type { Bm25BenchRequest } from './bm25-bench-inputs.js';

/** One BM25 implementation under test: scores every document of a request against its query. */
export interface Bm25Scorer {
  /** The name printed in the table. */
  name: string;
  /** Scores one request from scratch (document frequencies are per request, so nothing is reused). */
  score(request: Bm25BenchRequest): unknown;
}

/** Our backend, as the server calls it (its surface-form table persists across calls, as in the server). */
export function sealinkScorer(): Bm25Scorer {
  const backend = new Bm25Backend();
  return { name: '@sealink/rerank-server Bm25Backend', score: (request) => backend.doScore(request) };
}

/** Our backend with an empty surface-form table for every request: the worst case, every word stemmed anew. */
export function sealinkColdScorer(): Bm25Scorer {
  return {
    name: '@sealink/rerank-server Bm25Backend, cold',
    score: (request) => new Bm25Backend().doScore(request),
  };
}

/** `okapibm25`: regular expressions over the raw text, query split into words. */
export function okapiBm25Scorer(): Bm25Scorer {
  return {
    name: 'okapibm25',
    score: (request) =>
      okapiBm25Module.default(request.documents, request.query.toLowerCase().split(/\W+/).filter(Boolean)),
  };
}

/** `wink-bm25-text-search` with `wink-nlp-utils` preparation: lower case, tokenize, stop words, stem. */
export function winkBm25Scorer(): Bm25Scorer {
  const prepTasks = [
    winkNlpUtilities.string.lowerCase,
    winkNlpUtilities.string.tokenize0,
    winkNlpUtilities.tokens.removeWords,
    winkNlpUtilities.tokens.stem,
  ] as Array<(input: never) => unknown>;
  return {
    name: 'wink-bm25-text-search',
    score: (request) => {
      const engine = winkBm25();
      engine.defineConfig({ fldWeights: { body: 1 } });
      engine.definePrepTasks(prepTasks);
      request.documents.forEach((text, index) => {
        engine.addDoc({ body: text }, index);
      });
      engine.consolidate();
      return engine.search(request.query, request.documents.length);
    },
  };
}

/** `minisearch` (BM25+ full-text index): index the request's documents, then search. */
export function miniSearchScorer(): Bm25Scorer {
  return {
    name: 'minisearch',
    score: (request) => {
      const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
      index.addAll(request.documents.map((text, id) => ({ id, text })));
      return index.search(request.query);
    },
  };
}
