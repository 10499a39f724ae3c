import { ErrorResponse } from '@sealink/rerank-contract';
import { invalidRerankRequestArbitrary, junkBodyArbitrary } from '@sealink/rerank-contract/testing';
import { createMockApp } from '@sealink/rerank-mock-server';
import { Bm25Backend, createRerankApp, ModelRegistry } from '@sealink/rerank-server';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const API_KEY = 'sk-differential-0123456789';
const MODELS = ['qwen3-rerank', 'bm25'];

let registry: ModelRegistry;
let server: ReturnType<typeof createRerankApp>;
const mock = createMockApp({ apiKeys: [API_KEY], models: MODELS });

beforeAll(async () => {
  registry = new ModelRegistry(MODELS.map((id) => ({ id, backend: new Bm25Backend({ modelId: id }) })));
  await registry.load();
  server = createRerankApp({ registry, auth: { apiKeys: [API_KEY] }, logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await registry.close();
});

/** What must be the same in both answers: the status and, for errors, type, code and param. */
async function outcome(response: Response) {
  const text = await response.text();
  if (response.status < 400) return { status: response.status };
  const { error } = ErrorResponse.parse(JSON.parse(text));
  return { status: response.status, type: error.type, code: error.code, param: error.param };
}

async function bothAnswer(path: string, init: RequestInit) {
  const [fromMock, fromServer] = await Promise.all([
    Promise.resolve(mock.request(path, init)).then(outcome),
    Promise.resolve(server.request(path, init)).then(outcome),
  ]);
  return { fromMock, fromServer };
}

/** Posts `body` to `path` on both, with the content type and authorization given (none when empty). */
async function bothAnswerPost(path: string, body: unknown, contentType: string, authorization: string) {
  const headers: Record<string, string> = {};
  if (contentType !== '') headers['content-type'] = contentType;
  if (authorization !== '') headers.authorization = authorization;
  return bothAnswer(path, { method: 'POST', headers, body: body as BodyInit });
}

describe('the mock answers bad input exactly as the real server (createRerankApp with BM25)', () => {
  it('gives the same status, type, code and param for random junk, content types and keys', async () => {
    const contentType = fc.constantFrom('application/json', 'text/plain', 'application/merge-patch+json', '');
    const authorization = fc.constantFrom(
      `Bearer ${API_KEY}`,
      `Bearer ${API_KEY}`,
      'Bearer wrong',
      'Basic x',
      '',
    );
    await fc.assert(
      fc.asyncProperty(junkBodyArbitrary, contentType, authorization, async (body, type, key) => {
        const { fromMock, fromServer } = await bothAnswerPost('/v1/rerank', body, type, key);
        expect(fromMock).toEqual(fromServer);
      }),
      { numRuns: 150 },
    );
  });

  it('names the same field for requests broken in one place', async () => {
    await fc.assert(
      fc.asyncProperty(invalidRerankRequestArbitrary(), async ({ body }) => {
        const { fromMock, fromServer } = await bothAnswer('/v1/rerank', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
          body: JSON.stringify({ ...body, model: typeof body.model === 'string' ? 'bm25' : body.model }),
        });
        expect(fromMock).toEqual(fromServer);
      }),
      { numRuns: 100 },
    );
  });

  it('answers unknown models, routes and methods alike', async () => {
    const headers = { authorization: `Bearer ${API_KEY}` };
    for (const [method, path] of [
      ['GET', '/v1/models/no-such-model'],
      ['GET', '/v1/nothing'],
      ['GET', '/v1/rerank'],
      ['DELETE', '/v1/models'],
      ['GET', '/v1/models'],
      ['GET', '/v1/models/bm25'],
      ['GET', '/v2/rerank'],
      ['PUT', '/rerank'],
      ['GET', '/v2/rerank/'],
    ] as const) {
      const { fromMock, fromServer } = await bothAnswer(path, { method, headers });
      expect({ method, path, ...fromMock }).toEqual({ method, path, ...fromServer });
    }
    const unknownModel = await bothAnswer('/v1/rerank', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'nope', query: 'q', documents: ['d'] }),
    });
    expect(unknownModel.fromMock).toEqual(unknownModel.fromServer);
  });
});

describe('the mock answers its compatibility routes exactly as the real server', () => {
  // Mostly good headers, so that most runs reach the body's checks and some reach a 200.
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 8 },
    { arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', ''), weight: 1 },
  );
  const authorization = fc.oneof(
    { arbitrary: fc.constant(`Bearer ${API_KEY}`), weight: 8 },
    { arbitrary: fc.constantFrom('Bearer wrong', ''), weight: 1 },
  );
  const text = fc.oneof(
    { arbitrary: fc.string({ minLength: 1, maxLength: 12 }), weight: 6 },
    { arbitrary: fc.constantFrom('', '   '), weight: 1 },
  );
  /** Bodies near the two providers' shapes, every field optional and sometimes of the wrong type. */
  const providerBody = fc
    .record(
      {
        model: fc.oneof(fc.constantFrom(...MODELS, ...MODELS, 'nope', ''), fc.integer()),
        query: fc.oneof({ arbitrary: text, weight: 6 }, { arbitrary: fc.constantFrom(7, null), weight: 1 }),
        documents: fc.oneof(
          { arbitrary: fc.array(text, { maxLength: 4 }), weight: 4 },
          { arbitrary: fc.oneof(fc.array(fc.integer(), { maxLength: 2 }), text), weight: 1 },
        ),
        texts: fc.oneof(
          { arbitrary: fc.array(text, { maxLength: 4 }), weight: 4 },
          { arbitrary: fc.oneof(fc.array(fc.integer(), { maxLength: 2 }), text), weight: 1 },
        ),
        top_n: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constant('2')),
        max_tokens_per_doc: fc.oneof(fc.integer({ min: -1, max: 10 }), fc.double()),
        return_text: fc.oneof(fc.boolean(), fc.constant('yes')),
        raw_scores: fc.oneof(fc.boolean(), fc.constant(1)),
        truncate: fc.oneof(fc.boolean(), fc.constant(null)),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body));
  const body = fc.oneof({ arbitrary: providerBody, weight: 3 }, { arbitrary: junkBodyArbitrary, weight: 1 });

  for (const path of ['/v2/rerank', '/rerank']) {
    it(`gives the same status, type, code and param on POST ${path} for random junk, content types and keys`, async () => {
      await fc.assert(
        fc.asyncProperty(body, contentType, authorization, async (raw, type, key) => {
          const { fromMock, fromServer } = await bothAnswerPost(path, raw, type, key);
          expect(fromMock).toEqual(fromServer);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('answers a TEI request, which names no model, for the same default model: 200 from both', async () => {
    const tei = await bothAnswer('/rerank', {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'gateway', texts: ['api gateway', 'bread'] }),
    });
    expect(tei.fromMock).toEqual({ status: 200 });
    expect(tei.fromServer).toEqual({ status: 200 });
  });
});
