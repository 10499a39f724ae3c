import { describe, expect, it } from 'vitest';
import { buildRerankResponse } from '../build-rerank-response.js';
import { MAX_DOCUMENT_LENGTH, MAX_DOCUMENTS } from '../limits.js';
import type { NormalizedRerankRequest } from '../normalize-rerank-request.js';
import { rerankRoute } from '../routes.js';
import { DIALECT_NAMES } from './dialect-name.js';
import { DIALECTS } from './dialects.js';
import { dialectRerankCodec, NATIVE_RERANK_CODEC } from './rerank-route-codec.js';
import { logit } from './score-mapping.js';

const DOCUMENTS = ['alpha', 'beta', 'gamma'];
const SCORES = [0.2, 0.9, 0.5];

function answer(request: NormalizedRerankRequest) {
  return buildRerankResponse({
    model: request.model,
    documents: request.documents,
    scores: SCORES,
    topN: request.topN,
    returnDocuments: request.returnDocuments,
    totalTokens: 7,
  });
}

describe('NATIVE_RERANK_CODEC', () => {
  it('serves the contract’s rerank route and answers in the contract’s shape', () => {
    expect(NATIVE_RERANK_CODEC.path).toBe(rerankRoute.path);
    const decoded = NATIVE_RERANK_CODEC.decode({ model: 'm', query: 'q', documents: DOCUMENTS }, 'req_1');
    if (!decoded.success) throw new Error('expected a valid request');
    const response = answer(decoded.request);
    expect(decoded.encode(response)).toBe(response);
  });

  it('answers an invalid body with the contract’s 400 naming the field', () => {
    const decoded = NATIVE_RERANK_CODEC.decode({ model: 'm', query: 'q' }, 'req_2');
    expect(decoded.success).toBe(false);
    if (decoded.success) return;
    expect(decoded.error.status).toBe(400);
    expect(decoded.error.body.error).toMatchObject({ param: 'documents', request_id: 'req_2' });
  });
});

describe('dialectRerankCodec', () => {
  it('reads Cohere v2 requests and answers in Cohere’s shape', () => {
    const codec = dialectRerankCodec('/v2/rerank', 'cohere-v2', 'default-model');
    expect(codec.path).toBe('/v2/rerank');
    const decoded = codec.decode({ model: 'm', query: 'q', documents: DOCUMENTS, top_n: 2 }, 'req_3');
    if (!decoded.success) throw new Error('expected a valid request');
    expect(decoded.request).toMatchObject({ model: 'm', query: 'q', documents: DOCUMENTS, topN: 2 });
    expect(decoded.encode(answer(decoded.request))).toMatchObject({
      results: [
        { index: 1, relevance_score: 0.9 },
        { index: 2, relevance_score: 0.5 },
      ],
    });
  });

  it('gives TEI requests the default model, and logits when raw_scores asks', () => {
    const codec = dialectRerankCodec('/rerank', 'tei', 'default-model');
    const decoded = codec.decode({ query: 'q', texts: DOCUMENTS, raw_scores: true }, 'req_4');
    if (!decoded.success) throw new Error('expected a valid request');
    expect(decoded.request.model).toBe('default-model');
    expect(decoded.encode(answer(decoded.request))).toEqual([
      { index: 1, score: expect.closeTo(logit(0.9), 6) },
      { index: 2, score: expect.closeTo(logit(0.5), 6) },
      { index: 0, score: expect.closeTo(logit(0.2), 6) },
    ]);
  });

  it('answers a body outside the dialect’s schema with the contract’s 400', () => {
    const decoded = dialectRerankCodec('/rerank', 'tei', 'default-model').decode({ query: 'q' }, 'req_5');
    expect(decoded.success).toBe(false);
    if (decoded.success) return;
    expect(decoded.error.status).toBe(400);
    expect(decoded.error.body.error).toMatchObject({ type: 'invalid_request_error', param: 'texts' });
  });

  it('names the field of the request as sent when the contract’s limits refuse it (TEI says texts)', () => {
    const codec = dialectRerankCodec('/rerank', 'tei', 'default-model');
    const cases = [
      [{ query: 'q', texts: ['a', 'x'.repeat(MAX_DOCUMENT_LENGTH + 1)] }, 'texts[1]'],
      [{ query: 'q', texts: Array.from({ length: MAX_DOCUMENTS + 1 }, () => 'd') }, 'texts'],
      [{ query: ' ', texts: ['a'] }, 'query'],
    ] as const;
    for (const [body, param] of cases) {
      const decoded = codec.decode(body, 'req_6');
      if (decoded.success) throw new Error(`expected ${param} to be refused`);
      expect(decoded.error.status).toBe(400);
      expect(decoded.error.body.error.param).toBe(param);
      expect(decoded.error.body.error.message).toContain(`'${param}'`);
      expect(decoded.error.body.error.message).not.toContain('documents');
    }
    // Cohere v2's fields are the contract's own.
    const cohere = dialectRerankCodec('/v2/rerank', 'cohere-v2', 'default-model').decode(
      { model: 'm', query: 'q', documents: ['x'.repeat(MAX_DOCUMENT_LENGTH + 1)] },
      'req_7',
    );
    expect(cohere.success || cohere.error.body.error.param).toBe('documents[0]');
  });

  it('refuses an empty list of texts or an empty query in the words of the field as sent', () => {
    // The dialects' own schemas refuse these before the contract's checks; their messages once said
    // `documents` and `query` whatever the field's name: "Invalid 'texts': documents must have ...".
    const cases = [
      ['tei', { query: 'q', texts: [] }, 'texts', "Invalid 'texts': must have at least 1 item."],
      ['vllm-score', { text_1: 'q', text_2: [] }, 'text_2', "Invalid 'text_2': must have at least 1 item."],
      ['vllm-score', { text_1: '', text_2: ['a'] }, 'text_1', "Invalid 'text_1': must not be empty."],
      [
        'dashscope',
        { model: 'm', input: { query: '', documents: ['a'] } },
        'input.query',
        "Invalid 'input.query': must not be empty.",
      ],
      [
        'cohere-v2',
        { model: 'm', query: 'q', documents: [] },
        'documents',
        "Invalid 'documents': must have at least 1 item.",
      ],
    ] as const;
    for (const [name, body, param, message] of cases) {
      const decoded = dialectRerankCodec('/rerank', name, 'default-model').decode(body, 'req_10');
      if (decoded.success) throw new Error(`expected ${name} to refuse ${param}`);
      expect(decoded.error.status).toBe(400);
      expect(decoded.error.body.error).toMatchObject({ code: 'invalid_value', param, message });
    }
  });

  it.each(DIALECT_NAMES)('names, for %s, a path of the request as sent', (name) => {
    const codec = dialectRerankCodec('/rerank', name, 'default-model');
    const tooLong = 'x'.repeat(MAX_DOCUMENT_LENGTH + 1);
    const base: NormalizedRerankRequest = {
      model: 'm',
      query: 'q',
      documents: ['a', tooLong],
      topN: 2,
      returnDocuments: true,
    };
    for (const [canonical, refused] of [
      [base, tooLong],
      [{ ...base, query: ' \n', documents: ['a', 'b'] }, ' \n'],
    ] as [NormalizedRerankRequest, string][]) {
      const wire = JSON.parse(JSON.stringify(DIALECTS[name].dialect.toRequest(canonical)));
      const decoded = codec.decode(wire, 'req_8');
      if (decoded.success) throw new Error('expected the request to be refused');
      const param = decoded.error.body.error.param ?? '';
      let value: unknown = wire;
      for (const segment of param.match(/[^.[\]]+/g) ?? []) {
        value = (value as Record<string, unknown>)[/^\d+$/.test(segment) ? Number(segment) : segment];
      }
      expect(value, param).toBe(refused);
    }
  });

  it('refuses more documents than the contract takes before reading them one by one, whatever they are', () => {
    // A 10 MB body of 5 million non-strings took the dialect schema seconds and gigabytes to list one
    // problem per item; too many documents is answered from the length alone, as on the native route.
    for (const [name, path, field] of [
      ['tei', '/rerank', 'texts'],
      ['cohere-v2', '/v2/rerank', 'documents'],
      ['dashscope', '/dashscope', 'input.documents'],
    ] as const) {
      const codec = dialectRerankCodec(path, name, 'default-model');
      const answers = [Array(MAX_DOCUMENTS + 1).fill('d'), Array(200_000).fill(7)].map((documents) => {
        const wire = JSON.parse(
          JSON.stringify(
            DIALECTS[name].dialect.toRequest({
              model: 'm',
              query: 'q',
              documents: ['d'],
              topN: 1,
              returnDocuments: false,
            }),
          ),
        );
        const parent = field === 'input.documents' ? wire.input : wire;
        parent[field.split('.').at(-1)!] = documents;
        const decoded = codec.decode(wire, 'req_9');
        if (decoded.success) throw new Error('expected too many documents to be refused');
        return decoded.error;
      });
      expect(answers[0]!.body.error).toMatchObject({ code: 'invalid_value', param: field });
      expect(answers[0]!.body.error.message).toContain(`at most ${MAX_DOCUMENTS} items`);
      expect(answers[1]).toEqual(answers[0]);
    }
  });
});
