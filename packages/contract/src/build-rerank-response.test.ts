import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRerankResponse, createRerankId } from './build-rerank-response.js';
import { RerankResponse } from './rerank-response.js';
import { checkRerankResponse } from './testing/index.js';

describe('buildRerankResponse', () => {
  it('sorts by score descending, breaks ties by index, and cuts to top_n', () => {
    const response = buildRerankResponse({
      model: 'm',
      documents: ['a', 'b', 'c', 'd'],
      scores: [0.2, 0.9, 0.2, 0.5],
      topN: 3,
      totalTokens: 7,
      id: 'rerank-ab',
    });
    expect(response).toEqual({
      id: 'rerank-ab',
      model: 'm',
      results: [
        { index: 1, document: { text: 'b' }, relevance_score: 0.9 },
        { index: 3, document: { text: 'd' }, relevance_score: 0.5 },
        { index: 0, document: { text: 'a' }, relevance_score: 0.2 },
      ],
      usage: { total_tokens: 7 },
    });
  });

  it('omits documents when asked', () => {
    const response = buildRerankResponse({
      model: 'm',
      documents: ['a'],
      scores: [1],
      returnDocuments: false,
      totalTokens: 1,
    });
    expect(response.results).toEqual([{ index: 0, relevance_score: 1 }]);
  });

  it('rejects scores that are not numbers in [0, 1] or do not match the documents', () => {
    for (const scores of [[Number.NaN], [1.5], [-0.1], [0.5, 0.5]]) {
      expect(() => buildRerankResponse({ model: 'm', documents: ['a'], scores, totalTokens: 0 })).toThrow(
        RangeError,
      );
    }
  });

  it('makes ids of the contract form, different each time', () => {
    const ids = new Set(Array.from({ length: 100 }, createRerankId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^rerank-[0-9a-f]{24}$/);
  });

  it('keeps every invariant for any scores (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.string(),
            fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.5, 1)),
          ),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }),
        fc.boolean(),
        (pairs, topN, returnDocuments) => {
          const documents = pairs.map(([text]) => text);
          const scores = pairs.map(([, score]) => score);
          const response = buildRerankResponse({
            model: 'm',
            documents,
            scores,
            topN,
            returnDocuments,
            totalTokens: 3,
          });
          expect(RerankResponse.safeParse(response).success).toBe(true);
          const request = {
            model: 'm',
            query: 'q',
            documents,
            return_documents: returnDocuments,
            ...(topN === undefined ? {} : { top_n: topN }),
          };
          expect(checkRerankResponse(request, response)).toEqual([]);
          for (const result of response.results) expect(result.relevance_score).toBe(scores[result.index]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
