import { describe, expect, it } from 'vitest';
import { validateRerankRequest } from '../validate-rerank-request.js';
import type { DialectName } from './dialect-name.js';
import { DIALECTS } from './dialects.js';
import { dialectRerankCodec } from './rerank-route-codec.js';

/**
 * Count fields (`top_n`, Voyage's `top_k`, `max_tokens_per_doc`, `max_chunks_per_doc`) take any integer of
 * their minimum or more, as the upstream APIs do (an `integer` without a maximum; Python servers parse any
 * integer) and as `POST /v1/rerank` does: a `top_n` of Python's `sys.maxsize` means every document.
 */

/** Python's `sys.maxsize`, as a Python client writes it in JSON; `JSON.parse` reads it beyond 2^53. */
const SYS_MAXSIZE = '9223372036854775807';

/** A JSON body with `fields` spliced in as raw JSON text, so that big integers reach the parser as sent. */
function body(base: Record<string, unknown>, fields: Record<string, string>, at?: string): unknown {
  const text = JSON.stringify(base);
  const spliced = Object.entries(fields)
    .map(([name, value]) => `"${name}":${value}`)
    .join(',');
  if (at === undefined) return JSON.parse(`${text.slice(0, -1)},${spliced}}`);
  return JSON.parse(text.replace(`"${at}":{}`, `"${at}":{${spliced}}`));
}

const DOCUMENTS = ['alpha', 'beta', 'gamma'];

/** The rest of a valid body for the dialects that take `query` and `documents` at the top. */
const FLAT_BASE = { model: 'm', query: 'q', documents: DOCUMENTS };
/** A `top_n` of 1 or more, the only count field of most dialects. */
const TOP_N = [{ name: 'top_n', minimum: 1 }];

/** Each dialect's count fields, with the rest of a valid body and each field's minimum. */
const COUNT_FIELDS: readonly {
  dialect: DialectName;
  base: Record<string, unknown>;
  fields: readonly { name: string; minimum: number }[];
  at?: string;
}[] = [
  { dialect: 'cohere-v2', base: FLAT_BASE, fields: [...TOP_N, { name: 'max_tokens_per_doc', minimum: 1 }] },
  { dialect: 'cohere-v1', base: FLAT_BASE, fields: [...TOP_N, { name: 'max_chunks_per_doc', minimum: 1 }] },
  { dialect: 'jina', base: FLAT_BASE, fields: TOP_N },
  { dialect: 'voyage', base: FLAT_BASE, fields: [{ name: 'top_k', minimum: 1 }] },
  { dialect: 'infinity', base: FLAT_BASE, fields: TOP_N },
  { dialect: 'llama-cpp', base: FLAT_BASE, fields: TOP_N },
  { dialect: 'dashscope-compatible', base: FLAT_BASE, fields: TOP_N },
  {
    dialect: 'dashscope',
    base: { model: 'm', input: { query: 'q', documents: DOCUMENTS }, parameters: {} },
    fields: TOP_N,
    at: 'parameters',
  },
  // vLLM's `top_n` of 0 (its default) means all.
  { dialect: 'vllm-rerank', base: FLAT_BASE, fields: [{ name: 'top_n', minimum: 0 }] },
];

describe('dialect count fields', () => {
  for (const { dialect, base, fields, at } of COUNT_FIELDS) {
    for (const { name, minimum } of fields) {
      it(`${dialect} takes any integer ${name} of ${minimum} or more, beyond 2^53 too, and refuses others`, () => {
        const { request } = DIALECTS[dialect].dialect;
        const accepts = (value: string) => request.safeParse(body(base, { [name]: value }, at)).success;
        for (const value of [SYS_MAXSIZE, '9007199254740993', '1e300', String(minimum), '4']) {
          expect({ value, accepted: accepts(value) }).toEqual({ value, accepted: true });
        }
        for (const value of ['1.5', String(minimum - 1), '-1e300', '"3"', 'true']) {
          expect({ value, accepted: accepts(value) }).toEqual({ value, accepted: false });
        }
      });
    }
  }
});

describe('compatibility routes with a count field beyond 2^53', () => {
  it('POST /v2/rerank takes a top_n and max_tokens_per_doc of sys.maxsize, as POST /v1/rerank does', () => {
    const codec = dialectRerankCodec('/v2/rerank', 'cohere-v2', 'm');
    const sent = body(FLAT_BASE, { top_n: SYS_MAXSIZE, max_tokens_per_doc: SYS_MAXSIZE });
    const decoded = codec.decode(sent, 'req_big');
    if (!decoded.success) throw new Error(`refused: ${decoded.error.body.error.message}`);
    // Cohere v2 never returns the documents' text.
    const native = validateRerankRequest(
      body(
        { model: 'm', query: 'q', documents: DOCUMENTS, return_documents: false },
        { top_n: SYS_MAXSIZE, max_tokens_per_doc: SYS_MAXSIZE },
      ),
      'req_big',
    );
    if (!native.success) throw new Error('the native route refused it');
    expect(decoded.request).toEqual(native.request);
    // Every document.
    expect(decoded.request.topN).toBe(DOCUMENTS.length);
    expect(decoded.request.maxTokensPerDocument).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('POST /v2/rerank still refuses a top_n that is not an integer of 1 or more, naming it', () => {
    const codec = dialectRerankCodec('/v2/rerank', 'cohere-v2', 'm');
    for (const value of ['1.5', '0', '-9223372036854775807']) {
      const decoded = codec.decode(body(FLAT_BASE, { top_n: value }), 'r');
      expect(decoded.success).toBe(false);
      if (!decoded.success) {
        expect(decoded.error.status).toBe(400);
        expect(decoded.error.body.error.param).toBe('top_n');
      }
    }
  });

  it('POST /rerank (TEI, which has no top_n) ignores a top_n of sys.maxsize, as TEI does', () => {
    const codec = dialectRerankCodec('/rerank', 'tei', 'm');
    const decoded = codec.decode(body({ query: 'q', texts: DOCUMENTS }, { top_n: SYS_MAXSIZE }), 'r');
    expect(decoded.success && decoded.request.topN).toBe(DOCUMENTS.length);
  });
});
