import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_DOCUMENTS } from '@sealink/rerank-contract';
import { Bm25Backend, type ScoringBackend, UpstreamBackend } from '@sealink/rerank-server';
import { describe, expect, it } from 'vitest';
import { resolveEvaluationBackend } from './resolve-evaluation-backend.js';

function modelsFile(models: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sealink-eval-models-')), 'models.json');
  writeFileSync(path, JSON.stringify(models));
  return path;
}

/** A BM25 model configured to take only 5 documents per call. */
const SMALL_LIMIT_ENV = {
  SEALINK_MODELS_FILE: modelsFile([
    { id: 'bm25-small', backend: { type: 'bm25', options: { maxDocumentsPerCall: 5 } } },
  ]),
};

/**
 * 15 documents in three groups of 5. Over the whole corpus "zebra" (5 documents) is rarer than "apple"
 * (6 documents), so the first document wins for "zebra apple". In slices of 5, "zebra" is in every
 * document of its slice and "apple" in one document of the second slice, so that one would win.
 */
const CORPUS = [
  'zebra zebra grass plains',
  ...Array.from({ length: 4 }, (_, index) => `zebra grass plains savanna${index}`),
  'apple orchard harvest autumn',
  ...Array.from({ length: 4 }, (_, index) => `river stone bridge valley${index}`),
  ...Array.from({ length: 5 }, (_, index) => `apple pie kitchen oven${index}`),
];
const QUERY = 'zebra apple';

async function scores(backend: ScoringBackend, documents: readonly string[]): Promise<number[]> {
  return Array.from((await backend.doScore({ query: QUERY, documents })).scores);
}

describe('resolveEvaluationBackend', () => {
  it('keeps the configured per-call limit of a BM25 model when no corpus size is given', () => {
    expect(resolveEvaluationBackend('bm25-small', { env: SMALL_LIMIT_ENV }).limits.maxDocumentsPerCall).toBe(
      5,
    );
  });

  it('gives a BM25 model a per-call limit of the corpus size, so the corpus has one IDF', async () => {
    const backend = resolveEvaluationBackend('bm25-small', {
      env: SMALL_LIMIT_ENV,
      corpusSize: CORPUS.length,
    });
    expect(backend).toBeInstanceOf(Bm25Backend);
    expect(backend.limits.maxDocumentsPerCall).toBe(CORPUS.length);

    const oneCall = await scores(backend, CORPUS);
    const reference = await scores(new Bm25Backend(), CORPUS);
    expect(oneCall).toEqual(reference);
    // The first document ranks first over the whole corpus...
    expect(oneCall.indexOf(Math.max(...oneCall))).toBe(0);

    // ...but not when each slice of 5 has its own document frequencies: what the fix avoids.
    const sliced: number[] = [];
    for (let start = 0; start < CORPUS.length; start += 5) {
      sliced.push(...(await scores(new Bm25Backend(), CORPUS.slice(start, start + 5))));
    }
    expect(sliced).not.toEqual(reference);
    expect(sliced.indexOf(Math.max(...sliced))).toBe(5);
  });

  it('keeps a configured BM25 limit that is already larger than the corpus', () => {
    const env = {
      SEALINK_MODELS_FILE: modelsFile([
        { id: 'bm25-large', backend: { type: 'bm25', options: { maxDocumentsPerCall: 50_000 } } },
      ]),
    };
    expect(resolveEvaluationBackend('bm25-large', { env, corpusSize: 15 }).limits.maxDocumentsPerCall).toBe(
      50_000,
    );
    expect(resolveEvaluationBackend('bm25', { env: {}, corpusSize: 20_000 }).limits.maxDocumentsPerCall).toBe(
      20_000,
    );
  });

  it('leaves the limit of an upstream model as it is', async () => {
    const env = {
      SEALINK_MODELS_FILE: modelsFile([
        { id: 'tei', backend: { type: 'tei', base_urls: ['http://127.0.0.1:9'], model: 'm' } },
      ]),
    };
    const backend = resolveEvaluationBackend('tei', { env, corpusSize: 5_000 });
    try {
      expect(backend).toBeInstanceOf(UpstreamBackend);
      expect(backend.limits.maxDocumentsPerCall).toBe(MAX_DOCUMENTS);
    } finally {
      await backend.close?.();
    }
  });
});
