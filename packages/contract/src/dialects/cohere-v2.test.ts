import { describe, expect, it } from 'vitest';
import { buildRerankResponse } from '../build-rerank-response.js';
import { cohereV1Dialect } from './cohere-v1.js';
import { cohereV2Dialect } from './cohere-v2.js';
import { dialectRerankCodec } from './rerank-route-codec.js';

describe('Cohere v2 requests with null optional fields', () => {
  // cohere-python sends `None` as JSON null (it drops only omitted arguments), and LangChain's
  // CohereRerank passes max_tokens_per_doc=None by default: Cohere's API takes null as "not given".
  const body = {
    model: 'rerank-v3.5',
    query: 'q',
    documents: ['alpha', 'beta', 'gamma'],
    top_n: null,
    max_tokens_per_doc: null,
  };

  it('reads null top_n and max_tokens_per_doc as not given', () => {
    const request = cohereV2Dialect.fromRequest(cohereV2Dialect.request.parse(body), {});
    expect(request.topN).toBe(3);
    expect(request.maxTokensPerDocument).toBeUndefined();
    expect('maxTokensPerDocument' in request).toBe(false);
  });

  it('decodes on POST /v2/rerank as a request for every document, without a token limit', () => {
    const decoded = dialectRerankCodec('/v2/rerank', 'cohere-v2', 'default').decode(body, 'req_1');
    if (!decoded.success) throw new Error(JSON.stringify(decoded.error.body));
    expect(decoded.request).toMatchObject({ model: 'rerank-v3.5', topN: 3 });
    expect(decoded.request.maxTokensPerDocument).toBeUndefined();
  });

  it('still refuses a top_n or max_tokens_per_doc of the wrong type', () => {
    for (const bad of [{ top_n: '2' }, { max_tokens_per_doc: 0 }, { top_n: 1.5 }]) {
      expect(cohereV2Dialect.request.safeParse({ ...body, ...bad }).success).toBe(false);
    }
  });
});

describe("Cohere answers' billed search units", () => {
  // Cohere bills one search unit per query with up to 100 documents, so cost trackers that read
  // meta.billed_units.search_units (LiteLLM) must see one per started block of 100 documents.
  const cases: [documentCount: number | undefined, searchUnits: number][] = [
    [undefined, 1],
    [1, 1],
    [100, 1],
    [101, 2],
    [250, 3],
    [1000, 10],
  ];

  it.each(cases)('reports %s documents as %s search units in v2 and v1 answers', (documentCount, units) => {
    const input = {
      model: 'rerank-v3.5',
      results: [{ index: 0, relevanceScore: 0.5 }],
      totalTokens: 7,
      ...(documentCount === undefined ? {} : { documentCount }),
    };
    expect(cohereV2Dialect.toResponse(input).meta?.billed_units).toEqual({ search_units: units });
    expect(cohereV1Dialect.toResponse(input).meta?.billed_units).toEqual({ search_units: units });
  });

  it("bills the request's documents, not the top_n results, on POST /v2/rerank", () => {
    const documents = Array.from({ length: 250 }, (_, index) => `document ${index}`);
    const decoded = dialectRerankCodec('/v2/rerank', 'cohere-v2', 'default').decode(
      { model: 'rerank-v3.5', query: 'q', documents, top_n: 2 },
      'req_1',
    );
    if (!decoded.success) throw new Error(JSON.stringify(decoded.error.body));
    const response = buildRerankResponse({
      model: 'rerank-v3.5',
      documents,
      scores: documents.map(() => 0.5),
      topN: 2,
      totalTokens: 500,
    });
    const answer = cohereV2Dialect.response.parse(decoded.encode(response));
    expect(answer.results).toHaveLength(2);
    expect(answer.meta?.billed_units).toEqual({ search_units: 3 });
  });
});
