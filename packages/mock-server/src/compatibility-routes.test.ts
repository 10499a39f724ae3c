import { ErrorResponse, RerankResponse } from '@sealink/rerank-contract';
import { CohereV2RerankResponse, TeiRerankResponse } from '@sealink/rerank-contract/dialects';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { findContractViolations } from './find-contract-violations.js';
import { startMockServer } from './start-mock-server.js';
import { useMockServer } from './testing/use-mock-server.js';

const API_KEY = 'sk-mock-compat-0123456789';
const MODELS = ['qwen3-rerank', 'bm25'];
const QUERY = 'how do I feed a sourdough starter';
const DOCUMENTS = [
  'Bread flour has more protein than cake flour.',
  'Feed a sourdough starter with flour and water every day.',
  'A starter that is not fed goes flat.',
  'The gateway routes API calls.',
];

const mock = useMockServer({ apiKeys: [API_KEY], models: MODELS });

async function post(path: string, body: unknown, key = API_KEY) {
  const answer = await request(`${mock().url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: answer.statusCode, headers: answer.headers, json: (await answer.body.json()) as unknown };
}

/** The mock's native scores for the query and documents with `model`, by document index. */
async function nativeScores(model: string): Promise<Map<number, number>> {
  const native = await post('/v1/rerank', { model, query: QUERY, documents: DOCUMENTS });
  expect(native.status).toBe(200);
  const response = RerankResponse.parse(native.json);
  return new Map(response.results.map((result) => [result.index, result.relevance_score]));
}

describe('the real server’s compatibility routes, over a socket', () => {
  it('answers a Cohere v2 request on POST /v2/rerank in Cohere’s shape with the /v1/rerank scores', async () => {
    const answer = await post('/v2/rerank', { model: 'bm25', query: QUERY, documents: DOCUMENTS, top_n: 3 });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-request-id']).toEqual(expect.any(String));
    const response = CohereV2RerankResponse.parse(answer.json);
    const expected = [...(await nativeScores('bm25')).entries()]
      .map(([index, score]) => ({ index, relevance_score: score }))
      .slice(0, 3);
    expect(response.results).toEqual(expected);
    expect(response.results.some((result) => result.relevance_score > 0)).toBe(true);
  });

  it('answers a TEI request on POST /rerank in TEI’s shape, for the first model, with the /v1/rerank scores', async () => {
    const answer = await post('/rerank', { query: QUERY, texts: DOCUMENTS, return_text: true });
    expect(answer.status).toBe(200);
    const ranks = TeiRerankResponse.parse(answer.json);
    const expected = [...(await nativeScores(MODELS[0] as string)).entries()].map(([index, score]) => ({
      index,
      text: DOCUMENTS[index],
      score,
    }));
    expect(ranks).toEqual(expected);
    expect(mock().requests.at(-2)?.path).toBe('/rerank');
  });

  it('answers compatibility errors as the contract does: 401, 400 naming the field, 404, 405', async () => {
    const unauthorized = await post(
      '/v2/rerank',
      { model: 'bm25', query: QUERY, documents: DOCUMENTS },
      'wrong',
    );
    expect(unauthorized.status).toBe(401);
    expect(ErrorResponse.parse(unauthorized.json).error.type).toBe('authentication_error');
    const missing = await post('/rerank', { query: QUERY });
    expect(missing.status).toBe(400);
    expect(ErrorResponse.parse(missing.json).error.param).toBe('texts');
    const unknownModel = await post('/v2/rerank', { model: 'nope', query: QUERY, documents: DOCUMENTS });
    expect(unknownModel.status).toBe(404);
    expect(ErrorResponse.parse(unknownModel.json).error.code).toBe('model_not_found');
    for (const path of ['/v2/rerank', '/rerank']) {
      const answer = await request(`${mock().url}${path}`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      expect(answer.statusCode).toBe(405);
      expect(answer.headers.allow).toBe('POST');
      expect(ErrorResponse.safeParse(await answer.body.json()).success).toBe(true);
    }
  });

  it('applies faults to the compatibility routes, as to /v1/rerank', async () => {
    mock().faults.enqueue({ kind: 'error', status: 503 });
    const answer = await post('/rerank', { query: QUERY, texts: DOCUMENTS });
    expect(answer.status).toBe(503);
    expect(mock().requests.at(-1)?.fault).toEqual({ kind: 'error', status: 503 });
  });

  it('matches a fault rule on model against TEI requests by the model they are answered for', async () => {
    const rule = mock().faults.when({ model: MODELS[0]! }, { kind: 'error', status: 429 }, { times: 1 });
    const other = mock().faults.when({ model: MODELS[1]! }, { kind: 'error', status: 500 });
    try {
      expect((await post('/rerank', { query: QUERY, texts: DOCUMENTS })).status).toBe(429);
      expect(rule.applied).toBe(1);
      expect(other.applied).toBe(0);
    } finally {
      other.remove();
    }
  });

  it("answers a contract-violation fault with a body that breaks each route's shape, one result or several", async () => {
    const requests: [string, Record<string, unknown>][] = [
      ['/v1/rerank', { model: 'bm25', query: QUERY, documents: DOCUMENTS }],
      ['/v1/rerank', { model: 'bm25', query: QUERY, documents: DOCUMENTS, top_n: 1 }],
      ['/v2/rerank', { model: 'bm25', query: QUERY, documents: DOCUMENTS }],
      ['/v2/rerank', { model: 'bm25', query: QUERY, documents: DOCUMENTS, top_n: 1 }],
      ['/v2/rerank', { model: 'bm25', query: QUERY, documents: [DOCUMENTS[1]!] }],
      ['/rerank', { query: QUERY, texts: DOCUMENTS }],
    ];
    for (const [path, body] of requests) {
      mock().faults.enqueue({ kind: 'contract-violation' });
      const answer = await post(path, body);
      expect(answer.status).toBe(200);
      const violations = findContractViolations({
        method: 'POST',
        path,
        requestBody: body,
        status: answer.status,
        headers: new Headers(answer.headers as Record<string, string>),
        bodyText: JSON.stringify(answer.json),
      });
      expect({ path, body, broken: violations.length > 0 }).toEqual({ path, body, broken: true });
    }
  });

  it('names each route’s documents field in the 400 for more documents than maxDocuments, as the server does (TEI: texts)', async () => {
    await using small = await startMockServer({ maxDocuments: 2 });
    const routes: [string, Record<string, unknown>, string][] = [
      ['/v1/rerank', { model: 'bm25', query: QUERY, documents: DOCUMENTS }, 'documents'],
      ['/v2/rerank', { model: 'bm25', query: QUERY, documents: DOCUMENTS }, 'documents'],
      ['/rerank', { query: QUERY, texts: DOCUMENTS }, 'texts'],
    ];
    for (const [path, body, param] of routes) {
      const answer = await request(`${small.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const { error } = ErrorResponse.parse(await answer.body.json());
      expect({ path, status: answer.statusCode, code: error.code, param: error.param }).toEqual({
        path,
        status: 400,
        code: 'too_many_documents',
        param,
      });
    }
  });
});
