import { describe, expect, it } from 'vitest';
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
