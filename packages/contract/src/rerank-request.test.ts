import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_RERANK_REQUEST } from './code-samples.js';
import { MAX_DOCUMENTS } from './limits.js';
import { RerankRequest } from './rerank-request.js';
import { invalidRerankRequestArbitrary, rerankRequestArbitrary } from './testing/index.js';
import { validateRerankRequest } from './validate-rerank-request.js';

const valid = { model: 'bm25', query: 'best gateway', documents: ['a', { text: 'b' }] };

/** The public API page, beside the project root; present for developers and CI, absent elsewhere. */
const API_PAGE = new URL('../../../../shared/seed/rerank-api-page.txt', import.meta.url);

function errorOf(body: unknown) {
  const outcome = validateRerankRequest(body, 'req_test');
  if (outcome.success) throw new Error('expected the body to fail validation');
  return outcome.error;
}

describe('RerankRequest', () => {
  it.runIf(existsSync(API_PAGE))(
    "is the page's example request in each of its three examples (curl, Python, Node.js)",
    () => {
      const page = readFileSync(API_PAGE, 'utf8');
      const curl = /-d '(\{.*?\})'/.exec(page)?.[1];
      // Python's dict and the Node object literal, with the page's trailing commas, as JSON.
      const python = /payload = (\{.*?\})resp = /.exec(page)?.[1];
      const node = /body: JSON\.stringify\((\{.*?\})\),\}\);/.exec(page)?.[1];
      const asJson = (text: string | undefined) =>
        JSON.parse((text ?? 'null').replaceAll(/,\s*([\]}])/g, '$1').replaceAll(/([{,])(\w+):/g, '$1"$2":'));
      for (const [label, text] of [
        ['curl', curl],
        ['Python', python],
        ['Node.js', node],
      ] as const) {
        expect(asJson(text), label).toEqual(EXAMPLE_RERANK_REQUEST);
        expect(RerankRequest.safeParse(asJson(text)).success, label).toBe(true);
      }
    },
  );

  it('accepts the public API page example and normalises documents to text', () => {
    const outcome = validateRerankRequest({ ...valid, top_n: 1 }, 'req_1');
    expect(outcome).toEqual({
      success: true,
      request: {
        model: 'bm25',
        query: 'best gateway',
        documents: ['a', 'b'],
        topN: 1,
        returnDocuments: true,
      },
    });
  });

  it('treats top_n above the number of documents as all of them', () => {
    const outcome = validateRerankRequest({ ...valid, top_n: 50 }, 'req_1');
    expect(outcome.success && outcome.request.topN).toBe(2);
  });

  it("reads a top_n beyond 2^53, such as Python's sys.maxsize, as all documents: it is an integer, as the spec says", () => {
    // JSON.parse reads 9223372036854775807 (sys.maxsize) as 2^63, an integer no double can tell from it.
    for (const text of ['9007199254740992', '9223372036854775807', '1e300']) {
      const body = JSON.parse(`{"model":"bm25","query":"q","documents":["a","b"],"top_n":${text}}`);
      const outcome = validateRerankRequest(body, 'req_1');
      expect(outcome.success && outcome.request.topN, text).toBe(2);
    }
  });

  it('reads a max_tokens_per_doc beyond 2^53 as no cut, capped at the largest safe integer', () => {
    const outcome = validateRerankRequest({ ...valid, max_tokens_per_doc: 2 ** 63 }, 'req_1');
    expect(outcome.success && outcome.request.maxTokensPerDocument).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('allows empty documents', () => {
    expect(RerankRequest.safeParse({ ...valid, documents: ['', { text: '' }] }).success).toBe(true);
  });

  it('carries instruction, max_tokens_per_doc and return_documents', () => {
    const outcome = validateRerankRequest(
      { ...valid, instruction: 'Find answers', max_tokens_per_doc: 64, return_documents: false },
      'r',
    );
    expect(outcome.success && outcome.request).toMatchObject({
      instruction: 'Find answers',
      maxTokensPerDocument: 64,
      returnDocuments: false,
    });
  });

  it.each([
    [{ ...valid, query: '  \n' }, 'query', 'invalid_value'],
    [{ ...valid, query: undefined }, 'query', 'missing_field'],
    [{ model: 'bm25', documents: ['a'] }, 'query', 'missing_field'],
    [{ ...valid, model: '' }, 'model', 'invalid_value'],
    [{ ...valid, documents: [] }, 'documents', 'invalid_value'],
    [
      { ...valid, documents: Array.from({ length: MAX_DOCUMENTS + 1 }, () => 'x') },
      'documents',
      'invalid_value',
    ],
    [{ ...valid, documents: ['a', 7] }, 'documents[1]', 'invalid_value'],
    [{ ...valid, documents: [{ text: 5 }] }, 'documents[0].text', 'invalid_value'],
    [{ ...valid, top_n: 0 }, 'top_n', 'invalid_value'],
    [{ ...valid, top_n: 1.5 }, 'top_n', 'invalid_value'],
    [{ ...valid, top_k: 2 }, 'top_k', 'unknown_field'],
  ])('rejects %j naming %s', (body, param, code) => {
    const error = errorOf(body);
    expect(error.status).toBe(400);
    expect(error.body.error).toMatchObject({
      type: 'invalid_request_error',
      param,
      code,
      request_id: 'req_test',
    });
  });

  it('tells a user who sends top_k that the field is top_n', () => {
    expect(errorOf({ ...valid, top_k: 2 }).body.error.message).toContain("Did you mean 'top_n'?");
  });

  it('never echoes a huge unknown field name unbounded, at the top level or in a document', () => {
    const key = 'k'.repeat(200_000);
    for (const [body, prefix] of [
      [{ ...valid, [key]: 1 }, ''],
      [{ ...valid, documents: ['a', { text: 'b', [key]: 1 }] }, 'documents[1].'],
    ] as const) {
      const { error } = errorOf(body).body;
      expect(error.code).toBe('unknown_field');
      expect(JSON.stringify(error).length).toBeLessThan(1000);
      expect(error.param?.startsWith(`${prefix}kkkk`)).toBe(true);
      expect(error.param?.endsWith('…')).toBe(true);
      expect(error.message).toContain('…');
    }
    // Names of an ordinary length are echoed whole.
    expect(errorOf({ ...valid, ['x'.repeat(64)]: 1 }).body.error.param).toBe('x'.repeat(64));
  });

  it('says the body must be an object when it is not', () => {
    for (const body of [null, 3, 'text', [valid]]) {
      expect(errorOf(body).body.error).toMatchObject({ code: 'invalid_body' });
      expect(errorOf(body).body.error.param).toBeUndefined();
    }
  });

  it('accepts every generated valid request (property)', () => {
    fc.assert(
      fc.property(rerankRequestArbitrary(), (request) => {
        const outcome = validateRerankRequest(request, 'r');
        expect(outcome.success).toBe(true);
        if (outcome.success) {
          expect(outcome.request.documents).toHaveLength(request.documents.length);
          expect(outcome.request.topN).toBe(Math.min(request.top_n ?? Infinity, request.documents.length));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every one-place mutation with an error naming the right param (property)', () => {
    fc.assert(
      fc.property(invalidRerankRequestArbitrary(), ({ body, param }) => {
        const error = errorOf(body);
        expect(error.status).toBe(400);
        expect(error.body.error.type).toBe('invalid_request_error');
        expect(error.body.error.param).toBe(param);
        expect(error.body.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
