import { MAX_DOCUMENT_LENGTH, MAX_DOCUMENTS } from '../limits.js';

/** One bad HTTP input and the answer every implementation of the API must give to it. */
export interface BadInputCase {
  /** What the case is. */
  name: string;
  /** The HTTP method. */
  method: string;
  /** The path, from the server's root. */
  path: string;
  /** Request headers; `authorization` is added by the runner unless the case is about auth. */
  headers: Record<string, string>;
  /** The body, as text. */
  body?: string;
  /** Whether the runner must leave out a valid `Authorization` header. */
  withoutAuth?: boolean;
  /** The status the answer must have. */
  status: number;
  /** The error type of the answer's body. */
  type: string;
  /** The error `code`, when the case pins it. */
  code?: string;
  /** The error `param`, when the case pins it. */
  param?: string;
}

const json = { 'content-type': 'application/json' };
const valid = { model: 'bm25', query: 'best API gateway', documents: ['a gateway', 'sourdough'] };
const body = (value: unknown) => JSON.stringify(value);

/**
 * Bad inputs with the answers the contract requires. The server and the mock server both run this
 * table over a real socket, so they answer the same bad input the same way. Model `bm25` must exist.
 */
export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: '{"model": "bm25",',
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_json',
  },
  {
    name: 'empty body',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: '',
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_json',
  },
  {
    name: 'body is an array',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: '[]',
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_body',
  },
  {
    name: 'wrong content type',
    method: 'POST',
    path: '/v1/rerank',
    headers: { 'content-type': 'text/plain' },
    body: body(valid),
    status: 415,
    type: 'unsupported_media_type',
  },
  {
    name: 'JSON in a charset other than UTF-8',
    method: 'POST',
    path: '/v1/rerank',
    headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    body: body(valid),
    status: 415,
    type: 'unsupported_media_type',
    code: 'unsupported_charset',
  },
  {
    name: 'compressed body (Content-Encoding gzip)',
    method: 'POST',
    path: '/v1/rerank',
    headers: { ...json, 'content-encoding': 'gzip' },
    body: body(valid),
    status: 415,
    type: 'unsupported_media_type',
    code: 'unsupported_content_encoding',
  },
  {
    name: 'no content type',
    method: 'POST',
    path: '/v1/rerank',
    headers: {},
    body: body(valid),
    status: 415,
    type: 'unsupported_media_type',
  },
  {
    name: 'missing key',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body(valid),
    withoutAuth: true,
    status: 401,
    type: 'authentication_error',
    code: 'invalid_api_key',
  },
  {
    name: 'malformed key',
    method: 'POST',
    path: '/v1/rerank',
    headers: { ...json, authorization: 'Basic abc' },
    body: body(valid),
    withoutAuth: true,
    status: 401,
    type: 'authentication_error',
    code: 'invalid_api_key',
  },
  {
    name: 'wrong key',
    method: 'POST',
    path: '/v1/rerank',
    headers: { ...json, authorization: 'Bearer wrong-key' },
    body: body(valid),
    withoutAuth: true,
    status: 401,
    type: 'authentication_error',
    code: 'invalid_api_key',
  },
  {
    name: 'unknown field',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, top_k: 2 }),
    status: 400,
    type: 'invalid_request_error',
    code: 'unknown_field',
    param: 'top_k',
  },
  {
    name: 'unknown field with a huge name (echoed cut at 64 characters)',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, ['k'.repeat(100_000)]: 1 }),
    status: 400,
    type: 'invalid_request_error',
    code: 'unknown_field',
    param: `${'k'.repeat(64)}…`,
  },
  {
    name: 'missing query',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ model: 'bm25', documents: ['a'] }),
    status: 400,
    type: 'invalid_request_error',
    code: 'missing_field',
    param: 'query',
  },
  {
    name: 'blank query',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, query: ' \t' }),
    status: 400,
    type: 'invalid_request_error',
    param: 'query',
  },
  {
    name: 'no documents',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, documents: [] }),
    status: 400,
    type: 'invalid_request_error',
    param: 'documents',
  },
  {
    name: 'too many documents',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, documents: Array.from({ length: MAX_DOCUMENTS + 1 }, () => 'd') }),
    status: 400,
    type: 'invalid_request_error',
    param: 'documents',
  },
  {
    name: 'document of the wrong type',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, documents: ['a', 42] }),
    status: 400,
    type: 'invalid_request_error',
    param: 'documents[1]',
  },
  {
    name: 'document too long',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, documents: ['a gateway', 'd'.repeat(MAX_DOCUMENT_LENGTH + 1)] }),
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_value',
    param: 'documents[1]',
  },
  {
    name: 'document object with too long a text',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({
      ...valid,
      documents: [{ text: 'a gateway' }, { text: 'd'.repeat(MAX_DOCUMENT_LENGTH + 1) }],
    }),
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_value',
    param: 'documents[1].text',
  },
  {
    name: 'document object without text',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, documents: [{ body: 'x' }] }),
    status: 400,
    type: 'invalid_request_error',
  },
  {
    name: 'top_n zero',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, top_n: 0 }),
    status: 400,
    type: 'invalid_request_error',
    param: 'top_n',
  },
  {
    name: 'top_n not an integer',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, top_n: '2' }),
    status: 400,
    type: 'invalid_request_error',
    param: 'top_n',
  },
  {
    name: 'unknown model',
    method: 'POST',
    path: '/v1/rerank',
    headers: json,
    body: body({ ...valid, model: 'no-such-model' }),
    status: 404,
    type: 'not_found_error',
    code: 'model_not_found',
    param: 'model',
  },
  {
    name: 'unknown route',
    method: 'GET',
    path: '/v1/nothing-here',
    headers: {},
    status: 404,
    type: 'not_found_error',
    code: 'route_not_found',
  },
  {
    name: 'wrong method',
    method: 'GET',
    path: '/v1/rerank',
    headers: {},
    status: 405,
    type: 'method_not_allowed',
  },
  {
    name: 'unknown model by id',
    method: 'GET',
    path: '/v1/models/no-such-model',
    headers: {},
    status: 404,
    type: 'not_found_error',
    code: 'model_not_found',
  },
];
