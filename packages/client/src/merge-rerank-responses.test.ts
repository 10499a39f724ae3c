import { buildRerankResponse, documentText } from '@sealink/rerank-contract';
import { rerankRequestArbitrary } from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeRerankResponses } from './merge-rerank-responses.js';
import { splitDocuments } from './split-documents.js';

/** A pointwise score: depends only on the document, with many ties. */
const scoreOf = (text: string): number => (text.length % 7) / 6;

describe('mergeRerankResponses', () => {
  it('merges chunk answers into exactly the unsplit answer for pointwise scores', () => {
    fc.assert(
      fc.property(
        rerankRequestArbitrary({ models: ['m'], maxDocuments: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (request, chunkSize) => {
          const texts = request.documents.map(documentText);
          const whole = buildRerankResponse({
            model: 'm',
            documents: texts,
            scores: texts.map(scoreOf),
            topN: request.top_n,
            returnDocuments: request.return_documents,
            totalTokens: texts.length,
          });
          const chunks = splitDocuments(request.documents, { maxDocuments: chunkSize, maxBytes: 1e9 }).map(
            (chunk) => {
              const chunkTexts = chunk.documents.map(documentText);
              return {
                offset: chunk.offset,
                response: buildRerankResponse({
                  model: 'm',
                  documents: chunkTexts,
                  scores: chunkTexts.map(scoreOf),
                  topN: request.top_n === undefined ? undefined : Math.min(request.top_n, chunkTexts.length),
                  returnDocuments: false,
                  totalTokens: chunkTexts.length,
                }),
              };
            },
          );
          const merged = mergeRerankResponses({
            model: 'm',
            documents: request.documents,
            chunks: chunks.reverse(),
            topN: request.top_n,
            returnDocuments: request.return_documents,
          });
          expect(merged.results).toEqual(whole.results);
          expect(merged.usage).toEqual(whole.usage);
          expect(merged.id).toMatch(/^rerank-[0-9a-f]+$/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('splitDocuments', () => {
  it('keeps order, offsets and both limits', () => {
    // Each of these documents takes 4 bytes: its JSON string and a comma.
    const documents = ['a', 'b', 'c', 'd', 'e'];
    const byBytes = splitDocuments(documents, { maxDocuments: 3, maxBytes: 8 });
    expect(byBytes.map((chunk) => chunk.documents)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(byBytes.map((chunk) => chunk.offset)).toEqual([0, 2, 4]);
    const byCount = splitDocuments(documents, { maxDocuments: 3, maxBytes: 100 });
    expect(byCount.map((chunk) => chunk.documents)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(byCount.map((chunk) => chunk.offset)).toEqual([0, 3]);
  });

  it('gives a document larger than the byte limit a chunk of its own', () => {
    const chunks = splitDocuments(['x'.repeat(100), 'y', 'z'], { maxDocuments: 10, maxBytes: 10 });
    expect(chunks.map((chunk) => chunk.documents.length)).toEqual([1, 2]);
  });
});

describe('mergeRerankResponses results', () => {
  const chunk = (offset: number, indices: number[]) => ({
    offset,
    response: {
      id: 'rerank-1',
      model: 'm',
      results: indices.map((index) => ({ index, relevance_score: 0.5 })),
    },
  });

  it('carry the text of their document unless returnDocuments is false', () => {
    const documents = ['a', { text: 'b' }, 'c'];
    const chunks = [chunk(0, [0, 1]), chunk(2, [0])];
    expect(mergeRerankResponses({ model: 'm', documents, chunks }).results).toEqual([
      { index: 0, document: { text: 'a' }, relevance_score: 0.5 },
      { index: 1, document: { text: 'b' }, relevance_score: 0.5 },
      { index: 2, document: { text: 'c' }, relevance_score: 0.5 },
    ]);
    expect(mergeRerankResponses({ model: 'm', documents, chunks, returnDocuments: false }).results).toEqual([
      { index: 0, relevance_score: 0.5 },
      { index: 1, relevance_score: 0.5 },
      { index: 2, relevance_score: 0.5 },
    ]);
  });

  it('a chunk result beyond the documents is a RangeError, not a result without its document', () => {
    const documents = ['a', 'b', 'c'];
    for (const returnDocuments of [undefined, true, false]) {
      expect(() =>
        mergeRerankResponses({ model: 'm', documents, chunks: [chunk(2, [0, 1])], returnDocuments }),
      ).toThrow(new RangeError('result index 1 of the chunk at offset 2 is beyond the 3 documents'));
    }
  });
});
