import { describe, expect, it } from 'vitest';
import { checkRerankResponse } from './check-rerank-response.js';
import type { RerankRequest } from './rerank-request.js';
import type { RerankResult } from './rerank-response.js';

const REQUEST: RerankRequest = { model: 'm', query: 'q', documents: ['a', 'b', 'c'] };

const answer = (results: { index: number; relevance_score: number }[], returnText = true) => ({
  id: 'rerank-1',
  model: 'm',
  results: results.map(
    (result): RerankResult =>
      returnText ? { ...result, document: { text: REQUEST.documents[result.index] as string } } : result,
  ),
  usage: { total_tokens: 3 },
});

describe('checkRerankResponse', () => {
  it('passes an answer sorted by score, ties by index', () => {
    const ok = answer([
      { index: 1, relevance_score: 0.9 },
      { index: 0, relevance_score: 0.5 },
      { index: 2, relevance_score: 0.5 },
    ]);
    expect(checkRerankResponse(REQUEST, ok)).toEqual([]);
  });

  it('reports equal scores whose indexes are not ascending', () => {
    const tiesReversed = answer([
      { index: 1, relevance_score: 0.9 },
      { index: 2, relevance_score: 0.5 },
      { index: 0, relevance_score: 0.5 },
    ]);
    expect(checkRerankResponse(REQUEST, tiesReversed)).toEqual(['result 2 is out of order']);
  });

  it('reports a lower score ranked first, a wrong count, a repeated index and a text not echoed', () => {
    const broken = answer([
      { index: 0, relevance_score: 0.1 },
      { index: 0, relevance_score: 0.2 },
    ]);
    broken.results[1]!.document = { text: 'not b' };
    expect(checkRerankResponse(REQUEST, broken)).toEqual([
      'expected 3 results, got 2',
      'index 0 appears twice',
      'result 1 is out of order',
      'result 1 does not echo the text of document 0',
    ]);
    expect(
      checkRerankResponse(
        { ...REQUEST, top_n: 1, return_documents: false },
        answer([{ index: 2, relevance_score: 1 }], false),
      ),
    ).toEqual([]);
  });
});
