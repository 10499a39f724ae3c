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
        const headers: Record<string, string> = {};
        if (type !== '') headers['content-type'] = type;
        if (key !== '') headers.authorization = key;
        const { fromMock, fromServer } = await bothAnswer('/v1/rerank', {
          method: 'POST',
          headers,
          body: body as BodyInit,
        });
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
