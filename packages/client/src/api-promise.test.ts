import { buildRerankResponse, documentText, type Model, RerankRequest } from '@sealink/rerank-contract';
import {
  Bm25Backend,
  createRerankApp,
  ModelRegistry,
  RequestRateLimiter,
  serveRerankApp,
} from '@sealink/rerank-server';
import { captureLogger } from '@sealink/rerank-server/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitError } from './api-error.js';
import { APIPromise } from './api-promise.js';
import { SeaLink } from './sea-link.js';
import { SeaLinkError } from './sea-link-error.js';
import { testClient } from './testing/disposable-client.js';
import { EXAMPLE_REQUEST, FIXED_RERANK_RESPONSE } from './testing/fixed-rerank-response.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

const API_KEY = 'sk-client-with-response-test';

const MODEL: Model = {
  id: 'm',
  object: 'model',
  created: 1_764_115_200,
  owned_by: 'sealink',
  max_documents: 1,
  context_length: 512,
  supports_instruction: false,
};

/** A valid answer to a rerank request body, every document scored by its length. */
function answerTo(body: string) {
  const request = RerankRequest.parse(JSON.parse(body));
  const texts = request.documents.map(documentText);
  return buildRerankResponse({
    model: request.model,
    documents: texts,
    scores: texts.map((text) => text.length / 100),
    topN: request.top_n,
    returnDocuments: request.return_documents,
    totalTokens: texts.length,
  });
}

describe('withResponse against the real server with a rate limit', () => {
  it('gives the status, the x-ratelimit-* headers of each answer and its request id, and await gives the same body', async () => {
    const app = createRerankApp({
      registry: new ModelRegistry([{ id: 'bm25', backend: new Bm25Backend() }]),
      auth: { apiKeys: [API_KEY] },
      logger: captureLogger('warn').logger,
      rateLimiter: new RequestRateLimiter({ requests: 3, windowSeconds: 60 }),
    });
    await using server = await serveRerankApp(app);
    await using client = new SeaLink({ apiKey: API_KEY, baseURL: `${server.url}/v1` });
    const request = { ...EXAMPLE_REQUEST, model: 'bm25' };

    const first = await client.rerank(request).withResponse();
    expect(first.response.status).toBe(200);
    expect(first.response.url).toBe(`${server.url}/v1/rerank`);
    expect(first.response.headers).toBeInstanceOf(Headers);
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    const reset = Number(first.response.headers.get('x-ratelimit-reset-requests'));
    expect(Number.isInteger(reset) && reset >= 1 && reset <= 60).toBe(true);
    expect(first.request_id).toMatch(/\S/);
    expect(first.request_id).toBe(first.response.headers.get('x-request-id'));
    expect(first.request_id).toBe(first.data.request_id);
    expect(first.data.model).toBe('bm25');
    expect(first.data.results.map((result) => result.index).sort()).toEqual([0, 2]);

    // A plain await gives the body as before (with its own response id), with its own request id.
    const second = await client.rerank(request);
    expect({ ...second, id: 'same' }).toEqual({ ...first.data, id: 'same' });
    expect(second.id).toMatch(/^rerank-/);
    expect(second.request_id).toMatch(/\S/);
    expect(second.request_id).not.toBe(first.request_id);

    const third = await client.rerank(request).withResponse();
    expect(third.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    // The models routes are not counted: their answers carry no rate-limit headers.
    const models = await client.models.list().withResponse();
    expect(models.response.status).toBe(200);
    expect(models.response.url).toBe(`${server.url}/v1/models`);
    expect(models.data.data.map((model) => model.id)).toEqual(['bm25']);
    expect(models.request_id).toBe(models.data.request_id);
    expect(models.request_id).toMatch(/\S/);
    expect(models.response.headers.get('x-ratelimit-limit-requests')).toBeNull();

    // Over the budget: withResponse rejects with the error that await throws.
    const refused = await client
      .rerank(request, { maxRetries: 0 })
      .withResponse()
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(RateLimitError);
    expect((refused as RateLimitError).headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });
});

describe('withResponse against a scripted server', () => {
  const realHeaders = globalThis.Headers;
  afterEach(() => {
    globalThis.Headers = realHeaders;
  });

  it('passes the status and every header through, repeated ones joined and an echoed key redacted', async () => {
    await using server = await startScriptedServer((request, response) => {
      response.setHeader('x-request-id', 'req-203');
      response.setHeader('x-ratelimit-limit-requests', '100');
      response.setHeader('x-ratelimit-remaining-requests', '41');
      response.setHeader('x-ratelimit-reset-requests', '17');
      response.setHeader('x-proxy-hop', ['edge-a', 'edge-b']);
      response.setHeader('x-echo', `seen ${request.headers.authorization ?? ''}`);
      sendJson(response, 203, FIXED_RERANK_RESPONSE);
    });
    await using client = new SeaLink({ apiKey: API_KEY, baseURL: `${server.url}/v1` });
    const { data, response, request_id } = await client.rerank(EXAMPLE_REQUEST).withResponse();
    expect(response.status).toBe(203);
    expect(request_id).toBe('req-203');
    expect(data.request_id).toBe('req-203');
    expect(data).toEqual(FIXED_RERANK_RESPONSE);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('100');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('41');
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('17');
    expect(response.headers.get('x-proxy-hop')).toBe('edge-a, edge-b');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-echo')).toBe('seen Bearer [redacted]');
    expect(JSON.stringify([...response.headers])).not.toContain(API_KEY);
  });

  it('gives the answer of the try that succeeded after a retry', async () => {
    let call = 0;
    await using server = await startScriptedServer((_request, response) => {
      if (call++ === 0) {
        sendJson(
          response,
          503,
          { error: { message: 'busy', type: 'overloaded_error', code: 'overloaded' } },
          { 'retry-after-ms': '1', 'x-request-id': 'req-busy', 'x-ratelimit-remaining-requests': '9' },
        );
        return;
      }
      sendJson(response, 200, FIXED_RERANK_RESPONSE, {
        'x-request-id': 'req-ok',
        'x-ratelimit-remaining-requests': '8',
      });
    });
    await using client = testClient(server.url);
    const { response, request_id } = await client.rerank(EXAMPLE_REQUEST).withResponse();
    expect(server.requests).toHaveLength(2);
    expect(response.status).toBe(200);
    expect(request_id).toBe('req-ok');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('8');
  });

  it('sends one request however often the promise is awaited, and builds Headers only for withResponse', async () => {
    let built = 0;
    globalThis.Headers = class CountedHeaders extends realHeaders {
      constructor(init?: HeadersInit) {
        super(init);
        built++;
      }
    };
    await using server = await startScriptedServer((_request, response) => {
      sendJson(response, 200, FIXED_RERANK_RESPONSE, { 'x-request-id': 'req-once' });
    });
    await using client = testClient(server.url);

    const plain = await client.rerank(EXAMPLE_REQUEST);
    expect(plain.request_id).toBe('req-once');
    expect(built).toBe(0);

    const promise = client.rerank(EXAMPLE_REQUEST);
    const [awaited, withResponse, again] = await Promise.all([
      promise,
      promise.withResponse(),
      promise.withResponse(),
    ]);
    expect(server.requests).toHaveLength(2);
    expect(built).toBe(2);
    expect(withResponse.data).toBe(awaited);
    expect(again.data).toBe(awaited);
    // Each withResponse() has its own Headers: changing one does not change the other.
    withResponse.response.headers.set('x-request-id', 'changed');
    expect(again.response.headers.get('x-request-id')).toBe('req-once');
  });

  it('is a Promise and an APIPromise, whose then, catch and finally make plain promises', async () => {
    await using server = await startScriptedServer((_request, response) => {
      sendJson(response, 200, FIXED_RERANK_RESPONSE);
    });
    await using client = testClient(server.url);
    const promise = client.rerank(EXAMPLE_REQUEST);
    expect(promise).toBeInstanceOf(Promise);
    expect(promise).toBeInstanceOf(APIPromise);
    const chained = promise.then((response) => response.results.length);
    expect(chained).not.toBeInstanceOf(APIPromise);
    expect(await chained).toBe(2);
    expect(await promise.finally(() => undefined)).toEqual(FIXED_RERANK_RESPONSE);
    const { response, request_id } = await promise.withResponse();
    // The scripted server sends no request id.
    expect(request_id).toBeNull();
    expect(response.headers.get('x-request-id')).toBeNull();
  });

  it("rerankAll gives the last chunk's answer even when it arrives first, not the model lookup's", async () => {
    await using server = await startScriptedServer((request, response) => {
      if (request.method === 'GET') {
        sendJson(response, 200, MODEL, {
          'x-request-id': 'req-model',
          'x-ratelimit-remaining-requests': '99',
        });
        return;
      }
      const chunk = documentText(RerankRequest.parse(JSON.parse(request.body)).documents[0]!);
      const position = EXAMPLE_REQUEST.documents.map(documentText).indexOf(chunk);
      // The last chunk answers at once, the first ones later: arrival order is the reverse of chunk order.
      setTimeout(
        () =>
          sendJson(response, 200, answerTo(request.body), {
            'x-request-id': `req-chunk-${position}`,
            'x-ratelimit-remaining-requests': String(10 - position),
          }),
        (2 - position) * 60,
      );
    });
    await using client = testClient(server.url);
    const { data, response, request_id } = await client
      .rerankAll(EXAMPLE_REQUEST, { concurrency: 3 })
      .withResponse();
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /v1/models/qwen3-rerank',
      'POST /v1/rerank',
      'POST /v1/rerank',
      'POST /v1/rerank',
    ]);
    expect(data.request_ids).toEqual(['req-chunk-0', 'req-chunk-1', 'req-chunk-2']);
    expect(request_id).toBe('req-chunk-2');
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${server.url}/v1/rerank`);
    expect(response.headers.get('x-request-id')).toBe('req-chunk-2');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('8');
    expect(data.results).toHaveLength(EXAMPLE_REQUEST.top_n);
  });

  it('rerankAll of documents that fit in one request gives that answer', async () => {
    await using server = await startScriptedServer((request, response) => {
      sendJson(response, 200, answerTo(request.body), { 'x-request-id': 'req-single' });
    });
    await using client = testClient(server.url);
    const { data, response, request_id } = await client
      .rerankAll(EXAMPLE_REQUEST, { chunkSize: 10 })
      .withResponse();
    expect(server.requests).toHaveLength(1);
    expect(request_id).toBe('req-single');
    expect(data.request_ids).toEqual(['req-single']);
    expect(response.headers.get('x-request-id')).toBe('req-single');
  });

  it('models.retrieve gives its answer, and rejects a bad id in withResponse too', async () => {
    await using server = await startScriptedServer((_request, response) => {
      sendJson(response, 200, MODEL, { 'x-request-id': 'req-retrieve' });
    });
    await using client = testClient(server.url);
    const { data, response, request_id } = await client.models.retrieve('m').withResponse();
    expect(data).toEqual(MODEL);
    expect(request_id).toBe('req-retrieve');
    expect(response.url).toBe(`${server.url}/v1/models/m`);
    await expect(client.models.retrieve('').withResponse()).rejects.toBeInstanceOf(SeaLinkError);
    expect(server.requests).toHaveLength(1);
  });
});
