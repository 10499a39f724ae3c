import { once } from 'node:events';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { ErrorResponse, EXAMPLE_RERANK_REQUEST, ModelList, RerankResponse } from '@sealink/rerank-contract';
import { request } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { createMockApp } from './create-mock-app.js';
import { MockConnectionResetError } from './mock-connection-reset-error.js';
import { startMockServer } from './start-mock-server.js';

const json = { 'content-type': 'application/json' };

function rerankInit(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) };
}

describe('createMockApp in process (app.request)', () => {
  it('ranks the API page example with the relevant documents first and the sourdough text out', async () => {
    const app = createMockApp();
    const answer = await app.request('/v1/rerank', rerankInit(EXAMPLE_RERANK_REQUEST));
    expect(answer.status).toBe(200);
    const body = RerankResponse.parse(await answer.json());
    expect(body.model).toBe('qwen3-rerank');
    expect(body.results.map((result) => result.index)).toEqual([0, 2]);
    expect(body.results[0]?.document?.text).toBe(EXAMPLE_RERANK_REQUEST.documents[0]);
    expect(body.usage?.total_tokens).toBeGreaterThan(0);
    expect(answer.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{20}$/);
  });

  it('echoes a safe X-Request-Id and replaces an unsafe one', async () => {
    const app = createMockApp();
    const echoed = await app.request('/healthz', { headers: { 'x-request-id': 'client-id-1' } });
    expect(echoed.headers.get('x-request-id')).toBe('client-id-1');
    const replaced = await app.request('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('uses fixed scores by document text for a configured query and keeps the other invariants', async () => {
    const app = createMockApp({
      fixedResponses: [
        { query: /sourdough/, scores: { 'A sourdough starter needs regular feeding.': 0.99 } },
      ],
    });
    const answer = await app.request(
      '/v1/rerank',
      rerankInit({ ...EXAMPLE_RERANK_REQUEST, query: 'sourdough tips', top_n: 1, return_documents: false }),
    );
    const body = RerankResponse.parse(await answer.json());
    expect(body.results).toEqual([{ index: 1, relevance_score: 0.99 }]);
  });

  it('refuses more documents than maxDocuments with the server’s 400 too_many_documents on documents', async () => {
    const app = createMockApp({ maxDocuments: 2 });
    const answer = await app.request('/v1/rerank', rerankInit(EXAMPLE_RERANK_REQUEST));
    expect(answer.status).toBe(400);
    const body = ErrorResponse.parse(await answer.json());
    expect(body.error).toMatchObject({ code: 'too_many_documents', param: 'documents' });
    expect(body.error.message).toBe(
      `The model '${EXAMPLE_RERANK_REQUEST.model}' takes at most 2 documents per request; the request has ${EXAMPLE_RERANK_REQUEST.documents.length}.`,
    );
  });

  it('lists the configured models with max_documents, and finds one by id (even with a slash)', async () => {
    const app = createMockApp({ models: ['bm25', 'Qwen/Qwen3-Reranker-0.6B'], maxDocuments: 64 });
    const list = ModelList.parse(await (await app.request('/v1/models')).json());
    expect(list.data.map((model) => [model.id, model.max_documents])).toEqual([
      ['bm25', 64],
      ['Qwen/Qwen3-Reranker-0.6B', 64],
    ]);
    // The id is one path segment, its slash encoded (as the client SDK sends it), as on the real server.
    const one = await app.request('/v1/models/Qwen%2FQwen3-Reranker-0.6B');
    expect(one.status).toBe(200);
    expect(((await one.json()) as { id: string }).id).toBe('Qwen/Qwen3-Reranker-0.6B');
    // A raw slash makes another path, which the real server does not route: 404 route_not_found.
    for (const method of ['GET', 'PUT']) {
      const raw = await app.request('/v1/models/Qwen/Qwen3-Reranker-0.6B', { method });
      expect(raw.status).toBe(404);
      expect(ErrorResponse.parse(await raw.json()).error.code).toBe('route_not_found');
    }
    const unknown = await app.request(
      '/v1/rerank',
      rerankInit({ ...EXAMPLE_RERANK_REQUEST, model: 'qwen3-rerank' }),
    );
    expect(ErrorResponse.parse(await unknown.json()).error.message).toMatch(
      /Available models: bm25, Qwen\/Qwen3-Reranker-0.6B/,
    );
  });

  it('serves the OpenAPI document with its own origin as the server, and /healthz', async () => {
    const app = createMockApp();
    const document = (await (await app.request('http://mock.test/openapi.json')).json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, unknown>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers[0]?.url).toBe('http://mock.test');
    expect(Object.keys(document.paths)).toContain('/v1/rerank');
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
  });

  it('answers a CORS preflight from any origin, file:// (null) included, without using a fault', async () => {
    const app = createMockApp();
    app.faults.enqueue({ kind: 'error', status: 500 });
    const preflight = await app.request('/v1/rerank', {
      method: 'OPTIONS',
      headers: {
        origin: 'null',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-request-id',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = preflight.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
    for (const header of ['authorization', 'content-type', 'x-request-id']) expect(allowed).toContain(header);
    expect(app.faults.pending).toHaveLength(1);
    const answer = await app.request('/v1/models', { headers: { origin: 'https://docs.example' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
  });

  it('journals method, path, query string, redacted headers, parsed body and the fault', async () => {
    const app = createMockApp({ apiKeys: ['secret-key'] });
    app.faults.enqueue({ kind: 'latency', ms: 1 });
    await app.request(
      '/v1/rerank?trace=1',
      rerankInit(EXAMPLE_RERANK_REQUEST, { authorization: 'Bearer secret-key' }),
    );
    await app.request('/v1/rerank', { method: 'POST', headers: json, body: 'not json' });
    const [first, second] = app.requests;
    expect(first).toMatchObject({
      method: 'POST',
      path: '/v1/rerank',
      search: '?trace=1',
      body: EXAMPLE_RERANK_REQUEST,
      fault: { kind: 'latency', ms: 1 },
      matchedRoute: true,
      status: 200,
    });
    expect(first?.headers.authorization).toBe('Bearer [redacted]');
    expect(JSON.stringify(app.requests)).not.toContain('secret-key');
    expect(first?.receivedAt).toBeInstanceOf(Date);
    expect(second).toMatchObject({ body: 'not json', status: 401 });
  });

  it('rejects app.request with MockConnectionResetError for a reset, as fetch would', async () => {
    const app = createMockApp();
    app.faults.enqueue({ kind: 'reset', phase: 'before-headers' }, { kind: 'reset', phase: 'mid-body' });
    await expect(app.request('/v1/rerank', rerankInit(EXAMPLE_RERANK_REQUEST))).rejects.toBeInstanceOf(
      MockConnectionResetError,
    );
    const cut = await app.request('/v1/rerank', rerankInit(EXAMPLE_RERANK_REQUEST));
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toBeInstanceOf(MockConnectionResetError);
  });

  it('ends an in-process hang when the app closes', async () => {
    const app = createMockApp();
    app.faults.enqueue({ kind: 'hang' });
    const hanging = app.request('/v1/rerank', rerankInit(EXAMPLE_RERANK_REQUEST));
    await app.close();
    await expect(hanging).rejects.toBeInstanceOf(MockConnectionResetError);
  });

  it('closes at the end of an `await using` block, as the started server does, ending a hang', async () => {
    let hanging: Response | Promise<Response> | undefined;
    let signal: AbortSignal | undefined;
    {
      await using app = createMockApp();
      signal = app.closedSignal;
      app.faults.enqueue({ kind: 'hang' });
      hanging = app.request('/v1/rerank', rerankInit(EXAMPLE_RERANK_REQUEST));
      expect(signal.aborted).toBe(false);
    }
    expect(signal.aborted).toBe(true);
    await expect(hanging).rejects.toBeInstanceOf(MockConnectionResetError);
  });

  it('closes again without an error, in validating proxy mode too (close() then the end of `await using`)', async () => {
    await using upstream = await startMockServer();
    {
      await using app = createMockApp({ proxy: { url: upstream.url } });
      // The proxy's connection pool exists once a request was forwarded.
      expect((await app.request('/v1/models')).status).toBe(200);
      await app.close();
      await expect(app.close()).resolves.toBeUndefined();
    }
    const plain = createMockApp();
    await plain.close();
    await expect(plain.close()).resolves.toBeUndefined();
  });

  it('queues faults and reads the journal through the /__mock control routes', async () => {
    const app = createMockApp();
    const queued = await app.request('/__mock/faults', {
      method: 'POST',
      headers: json,
      body: JSON.stringify([{ kind: 'error', status: 503 }, { kind: 'empty' }]),
    });
    expect(await queued.json()).toEqual({ pending: 2 });
    expect((await app.request('/v1/models')).status).toBe(503);
    expect(await (await app.request('/v1/models')).text()).toBe('');
    const invalid = await app.request('/__mock/faults', {
      method: 'POST',
      headers: json,
      body: '{"kind":"x"}',
    });
    expect(ErrorResponse.parse(await invalid.json()).error.code).toBe('invalid_mock_fault');
    const journal = (await (await app.request('/__mock/requests')).json()) as {
      requests: { status: number }[];
    };
    expect(journal.requests.map((entry) => entry.status)).toEqual([503, 200]);
    expect((await app.request('/__mock/requests', { method: 'DELETE' })).status).toBe(204);
    expect(app.requests).toHaveLength(0);
  });

  it('keeps at most journalLimit requests, dropping the oldest', async () => {
    const app = createMockApp({ journalLimit: 3 });
    for (let index = 0; index < 5; index++) await app.request(`/healthz?n=${index}`);
    expect(app.requests.map((entry) => entry.search)).toEqual(['?n=2', '?n=3', '?n=4']);
  });

  it('returns the journal as a snapshot that later requests, the limit and clear() leave alone', async () => {
    const app = createMockApp({ journalLimit: 2 });
    await app.request('/healthz?n=0');
    await app.request('/healthz?n=1');
    const held = app.requests;
    await app.request('/healthz?n=2');
    expect(held.map((entry) => entry.search)).toEqual(['?n=0', '?n=1']);
    expect(app.requests.map((entry) => entry.search)).toEqual(['?n=1', '?n=2']);
    const beforeClear = app.requests;
    app.clear();
    expect(beforeClear.map((entry) => entry.search)).toEqual(['?n=1', '?n=2']);
    expect(app.requests).toEqual([]);
  });

  it('refuses options out of range', () => {
    expect(() => createMockApp({ models: [] })).toThrow(TypeError);
    expect(() => createMockApp({ maxDocuments: 0 })).toThrow(RangeError);
    expect(() => createMockApp({ fixedResponses: [{ query: 'q', scores: { d: 2 } }] })).toThrow(RangeError);
  });

  it("refuses millisecond options above Node's timer limit (2^31 - 1), which Node would run after 1 ms", () => {
    const limit = 2 ** 31 - 1;
    expect(() => createMockApp({ latency: limit + 1 })).toThrow(
      new RangeError(
        `latency must be at most ${limit} ms, jitter included (Node's timer limit), got ${limit + 1}`,
      ),
    );
    expect(() => createMockApp({ latency: { ms: 0, jitterMs: 3e9 } })).toThrow(/latency must be at most/);
    expect(() => createMockApp({ latency: { ms: 2 ** 30, jitterMs: 2 ** 30 } })).toThrow(/jitter included/);
    expect(() => createMockApp({ latency: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => createMockApp({ requestTimeoutMs: 3e9 })).toThrow(
      new RangeError(`requestTimeoutMs must be an integer from 1 to ${limit}, got 3000000000`),
    );
    expect(() => createMockApp({ proxy: { url: 'http://127.0.0.1:9', timeoutMs: 3e9 } })).toThrow(
      new RangeError(`proxy.timeoutMs must be an integer from 1 to ${limit}, got 3000000000`),
    );
    expect(() => createMockApp({ proxy: { url: 'http://127.0.0.1:9', timeoutMs: 0 } })).toThrow(RangeError);
    // The limit itself is a valid timer.
    expect(() => createMockApp({ latency: { ms: limit - 1, jitterMs: 1 } })).not.toThrow();
    expect(() => createMockApp({ requestTimeoutMs: limit })).not.toThrow();
    expect(() => createMockApp({ proxy: { url: 'http://127.0.0.1:9', timeoutMs: limit } })).not.toThrow();
  });
});

describe('startMockServer over a socket', () => {
  it('refuses a body over maxBodyBytes with 413 while streaming, without a declared length', async () => {
    await using mock = await startMockServer({ maxBodyBytes: 1024 });
    async function* chunks() {
      yield Buffer.from('{"model":"bm25","query":"q","documents":["');
      for (let index = 0; index < 64; index++) yield Buffer.alloc(256, 'a');
      yield Buffer.from('"]}');
    }
    const answer = await request(`${mock.url}/v1/rerank`, {
      method: 'POST',
      headers: json,
      body: Readable.from(chunks()),
    });
    expect(answer.statusCode).toBe(413);
    const body = ErrorResponse.parse(await answer.body.json());
    expect(body.error).toMatchObject({ type: 'request_too_large', code: 'body_too_large' });
  });

  it('lets a client go away in the middle of its body without an error or a crash', async () => {
    await using mock = await startMockServer();
    const errors = vi.spyOn(console, 'error');
    const socket = connect(mock.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /v1/rerank HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"model":',
    );
    await vi.waitFor(() => expect(mock.requests).toHaveLength(1), { timeout: 10_000 });
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await request(`${mock.url}/healthz`);
    expect(after.statusCode).toBe(200);
    await after.body.dump();
    expect(mock.requests[0]?.status).toBeUndefined();
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('refuses a declared Content-Length over the limit with 413', async () => {
    await using mock = await startMockServer({ maxBodyBytes: 100 });
    const answer = await request(`${mock.url}/v1/rerank`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ ...EXAMPLE_RERANK_REQUEST }),
    });
    expect(answer.statusCode).toBe(413);
    await answer.body.dump();
    const after = await request(`${mock.url}/healthz`);
    expect(after.statusCode).toBe(200);
    await after.body.dump();
  });

  it('accepts any key or none without apiKeys, and only the configured keys with them', async () => {
    await using open = await startMockServer();
    const anyKey = await request(`${open.url}/v1/models`, { headers: { authorization: 'Bearer whatever' } });
    expect(anyKey.statusCode).toBe(200);
    await anyKey.body.dump();
    await using locked = await startMockServer({ apiKeys: ['k1', 'k2'] });
    const statuses = [];
    for (const authorization of ['Bearer k2', 'Bearer k3', 'bearer k1', 'k1']) {
      const answer = await request(`${locked.url}/v1/models`, { headers: { authorization } });
      statuses.push(answer.statusCode);
      await answer.body.dump();
    }
    expect(statuses).toEqual([200, 401, 200, 401]);
  });

  it('answers GET /readyz with every model ready, and other methods on it with 405', async () => {
    await using mock = await startMockServer({ models: ['bm25', 'other'] });
    const ready = await request(`${mock.url}/readyz`);
    expect(ready.statusCode).toBe(200);
    expect(ready.headers['x-request-id']).toMatch(/^req_/);
    expect(await ready.body.json()).toEqual({ status: 'ready', models: { bm25: 'ready', other: 'ready' } });
    const post = await request(`${mock.url}/readyz`, { method: 'POST' });
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(ErrorResponse.parse(await post.body.json()).error.code).toBe('method_not_allowed');
  });

  it('draws the same random latency from the same seed, and records it in the journal', async () => {
    const delays = async (seed: number) => {
      const app = createMockApp({ seed, latency: { ms: 1, jitterMs: 4 } });
      for (let index = 0; index < 6; index++) await app.request('/v1/models');
      return app.requests.map((entry) => entry.delayMs);
    };
    const first = await delays(5);
    expect(first).toEqual(await delays(5));
    expect(first.every((delay) => delay !== undefined && delay >= 1 && delay <= 5)).toBe(true);
    expect(await delays(6)).not.toEqual(first);
  });

  it('draws the same latency again after clear(), so a test on a shared mock does not depend on the tests before it', async () => {
    const app = createMockApp({ seed: 5, latency: { ms: 1, jitterMs: 4 } });
    const delays = async () => {
      for (let index = 0; index < 6; index++) await app.request('/v1/models');
      return app.requests.map((entry) => entry.delayMs);
    };
    const first = await delays();
    app.clear();
    expect(await delays()).toEqual(first);
    const fresh = createMockApp({ seed: 5, latency: { ms: 1, jitterMs: 4 } });
    for (let index = 0; index < 6; index++) await fresh.request('/v1/models');
    expect(fresh.requests.map((entry) => entry.delayMs)).toEqual(first);
  });
});
