import { ErrorResponse, type RerankRequest, RerankResponse } from '@sealink/rerank-contract';
import {
  checkRerankResponse,
  invalidRerankRequestArbitrary,
  junkBodyArbitrary,
  rerankRequestArbitrary,
} from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MOCK_MODELS } from './mock-options.js';
import { useMockServer } from './testing/use-mock-server.js';

const mock = useMockServer();

async function postJson(body: string | Uint8Array, headers: Record<string, string> = {}) {
  const answer = await request(`${mock().url}/v1/rerank`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: answer.statusCode, headers: answer.headers, text: await answer.body.text() };
}

const scoresByIndex = (response: RerankResponse) =>
  new Map(response.results.map((result) => [result.index, result.relevance_score]));

describe('property: random valid requests keep the response invariants', () => {
  it('answers 200 with a response that passes checkRerankResponse', async () => {
    await fc.assert(
      fc.asyncProperty(rerankRequestArbitrary({ models: DEFAULT_MOCK_MODELS }), async (rerankRequest) => {
        const answer = await postJson(JSON.stringify(rerankRequest));
        expect(answer.status).toBe(200);
        expect(checkRerankResponse(rerankRequest, JSON.parse(answer.text))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same answer to the same request, apart from the id', async () => {
    await fc.assert(
      fc.asyncProperty(rerankRequestArbitrary({ models: DEFAULT_MOCK_MODELS }), async (rerankRequest) => {
        const first = RerankResponse.parse(JSON.parse((await postJson(JSON.stringify(rerankRequest))).text));
        const second = RerankResponse.parse(JSON.parse((await postJson(JSON.stringify(rerankRequest))).text));
        expect({ ...second, id: first.id }).toEqual(first);
      }),
      { numRuns: 40 },
    );
  });
});

describe('property: pointwise scores', () => {
  it('scores each document the same in one request or split over several, and usage adds up', async () => {
    const splitRequest = fc
      .tuple(rerankRequestArbitrary({ models: DEFAULT_MOCK_MODELS, maxDocuments: 12 }), fc.nat())
      .filter(([rerankRequest]) => rerankRequest.documents.length >= 2);
    await fc.assert(
      fc.asyncProperty(splitRequest, async ([rerankRequest, cutSeed]) => {
        const whole: RerankRequest = { ...rerankRequest, top_n: rerankRequest.documents.length };
        const cut = 1 + (cutSeed % (rerankRequest.documents.length - 1));
        const parts = [rerankRequest.documents.slice(0, cut), rerankRequest.documents.slice(cut)];
        const wholeResponse = RerankResponse.parse(JSON.parse((await postJson(JSON.stringify(whole))).text));
        const wholeScores = scoresByIndex(wholeResponse);
        let offset = 0;
        let splitTokens = 0;
        for (const documents of parts) {
          const part: RerankRequest = { ...whole, documents, top_n: documents.length };
          const partResponse = RerankResponse.parse(JSON.parse((await postJson(JSON.stringify(part))).text));
          for (const [index, score] of scoresByIndex(partResponse)) {
            expect(score).toBe(wholeScores.get(index + offset));
          }
          splitTokens += partResponse.usage!.total_tokens;
          offset += documents.length;
        }
        expect(splitTokens).toBe(wholeResponse.usage!.total_tokens);
      }),
      { numRuns: 40 },
    );
  });
});

describe('property: bad input never gives a 5xx', () => {
  it('answers random junk bodies with a 4xx in the contract error shape', async () => {
    const contentType = fc.oneof(
      fc.constant('application/json'),
      fc.constant('application/json; charset=utf-8'),
      fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', ''),
      fc.string({ maxLength: 30 }).filter((value) => /^[\x21-\x7e ]*$/.test(value)),
    );
    const extraHeaders = fc.dictionary(
      fc.constantFrom('authorization', 'x-request-id', 'accept', 'x-custom', 'accept-encoding'),
      fc.string({ maxLength: 40 }).filter((value) => /^[\x21-\x7e ]*$/.test(value)),
    );
    await fc.assert(
      fc.asyncProperty(junkBodyArbitrary, contentType, extraHeaders, async (body, type, headers) => {
        const answer = await postJson(body, { ...headers, 'content-type': type });
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) {
          const error = ErrorResponse.parse(JSON.parse(answer.text));
          expect(error.error.request_id).toBe(answer.headers['x-request-id']);
        } else {
          expect(RerankResponse.safeParse(JSON.parse(answer.text)).success).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('answers a request broken in one place with a 400 that names the field', async () => {
    await fc.assert(
      fc.asyncProperty(invalidRerankRequestArbitrary(), async ({ body, param }) => {
        const answer = await postJson(JSON.stringify(body));
        expect(answer.status).toBe(400);
        expect(ErrorResponse.parse(JSON.parse(answer.text)).error.param).toBe(param);
      }),
      { numRuns: 100 },
    );
  });

  it('answers random methods and paths with a 4xx in the contract error shape', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH');
    const path = fc.oneof(
      fc.constantFrom(
        '/v1/rerank',
        '/v1/models',
        '/v1/models/bm25',
        '/v1',
        '/',
        '/v2/rerank',
        '/rerank',
        '/v1/models/',
      ),
      fc.webPath().map((value) => (value.startsWith('/') ? value : `/${value}`)),
    );
    await fc.assert(
      fc.asyncProperty(method, path, async (httpMethod, httpPath) => {
        const answer = await request(`${mock().url}${httpPath}`, { method: httpMethod as 'GET' });
        const text = await answer.body.text();
        expect(answer.statusCode).toBeLessThan(500);
        if (answer.statusCode >= 400) expect(ErrorResponse.safeParse(JSON.parse(text)).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('bodies whose bytes are not UTF-8', () => {
  it('answers 400 invalid_utf8 like the real server, and journals the text with replacement characters', async () => {
    const latin1 = Buffer.from(
      JSON.stringify({ model: DEFAULT_MOCK_MODELS[0], query: 'café', documents: ['a'] }),
      'latin1',
    );
    const answer = await postJson(Uint8Array.from(latin1));
    expect(answer.status).toBe(400);
    expect(ErrorResponse.parse(JSON.parse(answer.text)).error.code).toBe('invalid_utf8');
    expect(mock().requests.at(-1)?.body).toContain('caf\uFFFD');
  });
});
