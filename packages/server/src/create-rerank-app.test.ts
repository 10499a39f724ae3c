import { createOpenApiDocument, ErrorResponse, MAX_DOCUMENTS, ModelList } from '@sealink/rerank-contract';
import { checkRerankResponse } from '@sealink/rerank-contract/testing';
import { describe, expect, it } from 'vitest';
import { ScoringError } from './backend/scoring-error.js';
import { Bm25Backend } from './bm25/bm25-backend.js';
import { createRerankApp, type RerankAppOptions } from './create-rerank-app.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { ModelRegistry } from './registry/model-registry.js';
import { captureLogger } from './testing/capture-logger.js';
import { ConstantScoreBackend } from './testing/constant-score-backend.js';
import { ScriptedBackend, untilAborted } from './testing/scripted-backend.js';

const API_KEY = 'sk-test-0123456789abcdef';
const AUTH = { authorization: `Bearer ${API_KEY}` };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };

function makeApp(overrides: Partial<RerankAppOptions> = {}, backend = new ScriptedBackend()) {
  const captured = captureLogger();
  const registry = overrides.registry ?? new ModelRegistry([{ id: 'test-model', backend }]);
  const metrics = new ServerMetrics();
  const app = createRerankApp({
    registry,
    auth: { apiKeys: [API_KEY] },
    logger: captured.logger,
    metrics,
    ...overrides,
  });
  return { app, captured, backend, metrics, registry };
}

function rerank(
  app: ReturnType<typeof makeApp>['app'],
  body: unknown,
  headers: Record<string, string> = JSON_AUTH,
) {
  return app.request('/v1/rerank', { method: 'POST', headers, body: JSON.stringify(body) });
}

async function expectError(response: Response, status: number, type: string, code?: string) {
  expect(response.status).toBe(status);
  const body = ErrorResponse.parse(await response.json());
  expect(body.error.type).toBe(type);
  if (code !== undefined) expect(body.error.code).toBe(code);
  expect(body.error.request_id).toBe(response.headers.get('x-request-id'));
  return body.error;
}

const VALID = {
  model: 'test-model',
  query: 'api gateway',
  documents: ['a gateway for the api', 'sourdough', 'api'],
};

describe('createRerankApp in process', () => {
  it('ranks documents with the backend scores, sorted, cut to top_n', async () => {
    const { app } = makeApp();
    const response = await rerank(app, { ...VALID, top_n: 2 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.json();
    expect(checkRerankResponse({ ...VALID, top_n: 2 }, body)).toEqual([]);
    expect(body.results.map((result: { index: number }) => result.index)).toEqual([0, 2]);
    expect(body.results[0].relevance_score).toBe(1);
    expect(body.usage.total_tokens).toBe(4);
  });

  it('honours return_documents false and a sanitised incoming X-Request-Id', async () => {
    const { app } = makeApp();
    const response = await rerank(
      app,
      { ...VALID, return_documents: false },
      { ...JSON_AUTH, 'x-request-id': 'trace-42' },
    );
    expect(response.headers.get('x-request-id')).toBe('trace-42');
    const body = await response.json();
    expect(body.results).toHaveLength(3);
    for (const result of body.results) expect(result.document).toBeUndefined();
  });

  it('replaces an unsafe X-Request-Id with a generated one', async () => {
    const { app } = makeApp();
    const response = await rerank(
      app,
      { ...VALID, query: '' },
      { ...JSON_AUTH, 'x-request-id': 'bad id\u0007' },
    );
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^req_[0-9a-f]{20}$/);
    const error = await expectError(response, 400, 'invalid_request_error');
    expect(error.request_id).toBe(id);
    expect(error.param).toBe('query');
  });

  it('gives the same 401 for a missing, malformed or wrong key', async () => {
    const { app } = makeApp();
    const bodies = [];
    for (const headers of [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', authorization: API_KEY },
      { 'content-type': 'application/json', authorization: `Basic ${API_KEY}` },
      { 'content-type': 'application/json', authorization: 'Bearer wrong' },
      { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}x` },
    ]) {
      const error = await expectError(
        await rerank(app, VALID, headers),
        401,
        'authentication_error',
        'invalid_api_key',
      );
      bodies.push({ ...error, request_id: '' });
      expect(JSON.stringify(error)).not.toContain(API_KEY);
    }
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
  });

  it('accepts keys given as SHA-256 digests and keys with a lower-case bearer scheme', async () => {
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update('digest-key').digest('hex');
    const { app } = makeApp({ auth: { apiKeyDigests: [digest] } });
    expect(
      (await rerank(app, VALID, { 'content-type': 'application/json', authorization: 'bearer digest-key' }))
        .status,
    ).toBe(200);
    expect((await rerank(app, VALID, JSON_AUTH)).status).toBe(401);
  });

  it('refuses to start without a key unless auth is explicitly off, and warns when it is off', () => {
    expect(() => makeApp({ auth: {} })).toThrow(/No API key/);
    // From JavaScript: no auth at all gets a message that says what to pass, and a truthy stand-in for
    // `true` ('false' from an environment variable, say) does not turn auth off.
    for (const missing of [undefined, null, 'off']) {
      expect(() => makeApp({ auth: missing as unknown as RerankAppOptions['auth'] })).toThrow(
        /createRerankApp needs `auth`/,
      );
    }
    for (const standIn of ['false', 1, 'true']) {
      expect(() => makeApp({ auth: { disabled: standIn } as unknown as RerankAppOptions['auth'] })).toThrow(
        /No API key/,
      );
    }
    const { captured } = makeApp({ auth: { disabled: true } });
    const warning = captured.records().find((record) => record.level === 40);
    expect(String(warning?.msg)).toMatch(/authentication is disabled/);
  });

  it('refuses a body limit or deadline that is not a positive number, or a Retry-After that is not whole seconds, instead of running without a limit', async () => {
    // `Number(process.env.UNSET)` is NaN: `length > NaN` is never true, so the body limit and deadline were off.
    for (const option of ['maxBodyBytes', 'requestTimeoutMs'] as const) {
      for (const value of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) {
        expect(() => makeApp({ [option]: value }), `${option} ${value}`).toThrow(RangeError);
      }
    }
    // Retry-After is whole seconds.
    for (const value of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => makeApp({ retryAfterSeconds: value }), `retryAfterSeconds ${value}`).toThrow(RangeError);
    }
    expect(() => makeApp({ retryAfterSeconds: 0 })).not.toThrow();
    const { app } = makeApp({ maxBodyBytes: 10, requestTimeoutMs: 1000, retryAfterSeconds: 1 });
    await expectError(await rerank(app, VALID), 413, 'request_too_large');
  });

  it('refuses a default model the registry lacks, which would answer every TEI request with a 404', () => {
    expect(() => makeApp({ defaultModel: 'qwen3-rerank' })).toThrow(
      /defaultModel 'qwen3-rerank' is not a registered model \(registered: test-model\)/,
    );
    expect(() => makeApp({ defaultModel: 'test-model' })).not.toThrow();
  });

  it('serves without a key when auth is off', async () => {
    const { app } = makeApp({ auth: { disabled: true } });
    expect((await rerank(app, VALID, { 'content-type': 'application/json' })).status).toBe(200);
  });

  it("returns every document for a top_n beyond 2^53, such as Python's sys.maxsize", async () => {
    const { app } = makeApp();
    const body = JSON.stringify(VALID).replace(/\}$/, ',"top_n":9223372036854775807}');
    const response = await app.request('/v1/rerank', { method: 'POST', headers: JSON_AUTH, body });
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer.results.map((result: { index: number }) => result.index)).toEqual([0, 2, 1]);
  });

  it('answers 415 for a body not sent as JSON and 400 for malformed JSON', async () => {
    const { app } = makeApp();
    await expectError(
      await rerank(app, VALID, { ...AUTH, 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    );
    const broken = await app.request('/v1/rerank', { method: 'POST', headers: JSON_AUTH, body: '{"model":' });
    await expectError(broken, 400, 'invalid_request_error', 'invalid_json');
  });

  it('answers 413 for a body over the limit, declared or streamed', async () => {
    const { app } = makeApp({ maxBodyBytes: 100 });
    const big = { ...VALID, documents: ['x'.repeat(200)] };
    const error = await expectError(await rerank(app, big), 413, 'request_too_large', 'body_too_large');
    expect(error.message).toContain('100 bytes');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 10; index++) controller.enqueue(new TextEncoder().encode('x'.repeat(50)));
        controller.close();
      },
    });
    const streamed = await app.request('/v1/rerank', {
      method: 'POST',
      headers: JSON_AUTH,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectError(streamed, 413, 'request_too_large');
  });

  it('answers 404 listing the models for an unknown model, with a configuration hint for qwen3-rerank', async () => {
    const { app } = makeApp();
    const unknown = await expectError(
      await rerank(app, { ...VALID, model: 'nope' }),
      404,
      'not_found_error',
      'model_not_found',
    );
    expect(unknown.message).toContain('test-model');
    expect(unknown.param).toBe('model');
    const qwen = await expectError(
      await rerank(app, { ...VALID, model: 'qwen3-rerank' }),
      404,
      'not_found_error',
    );
    expect(qwen.message).toMatch(/Qwen3-Reranker backend/);
    const byId = await expectError(
      await app.request('/v1/models/qwen3-rerank', { headers: AUTH }),
      404,
      'not_found_error',
    );
    expect(byId.message).toMatch(/registered under that id/);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'answers the plain 404 for the unknown model %s, with no hint taken from Object.prototype',
    async (model) => {
      const { app } = makeApp();
      const plain = await expectError(await rerank(app, { ...VALID, model: 'nope' }), 404, 'not_found_error');
      const error = await expectError(await rerank(app, { ...VALID, model }), 404, 'not_found_error');
      expect(error.message).toBe(plain.message.replace("'nope'", `'${model}'`));
      expect(error.message).not.toMatch(/native code|function|\[object/);
      const byId = await expectError(
        await app.request(`/v1/models/${model}`, { headers: AUTH }),
        404,
        'not_found_error',
      );
      expect(byId.message).not.toMatch(/native code|function|\[object/);
    },
  );

  it('answers 400 with param documents when a request has more documents than the model takes', async () => {
    const registry = new ModelRegistry([
      { id: 'small', backend: new ConstantScoreBackend(), maxDocuments: 2 },
    ]);
    const { app } = makeApp({ registry });
    const error = await expectError(
      await rerank(app, { ...VALID, model: 'small' }),
      400,
      'invalid_request_error',
      'too_many_documents',
    );
    expect(error.param).toBe('documents');
    expect(error.message).toContain('at most 2');
  });

  it('splits a request over the backend per-call limit and merges the scores by index', async () => {
    const backend = new ScriptedBackend({ limits: { maxDocumentsPerCall: 2 } });
    const { app } = makeApp({}, backend);
    const documents = ['api', 'x', 'gateway api', 'y', 'api gateway', 'z', 'gateway'];
    const response = await rerank(app, { ...VALID, documents });
    const body = await response.json();
    expect(backend.calls.map((call) => call.documents.length)).toEqual([2, 2, 2, 1]);
    expect(body.results.map((result: { index: number }) => result.index)).toEqual([2, 4, 0, 6, 1, 3, 5]);
    expect(body.usage.total_tokens).toBe(3 + 3 + 3 + 2);
  });

  it('sends the model default instruction when the request has none, and the request instruction otherwise', async () => {
    const backend = new ScriptedBackend();
    const registry = new ModelRegistry([{ id: 'test-model', backend, defaultInstruction: 'default task' }]);
    const { app } = makeApp({ registry });
    await rerank(app, VALID);
    await rerank(app, { ...VALID, instruction: 'own task' });
    expect(backend.calls.map((call) => call.instruction)).toEqual(['default task', 'own task']);
  });

  it('maps a ScoringError to its type, status and Retry-After', async () => {
    const backend = new ScriptedBackend({
      script: () => {
        throw new ScoringError({
          type: 'overloaded_error',
          code: 'all_replicas_down',
          message: 'No replica is up.',
          retryAfterSeconds: 7,
        });
      },
    });
    const { app } = makeApp({}, backend);
    const response = await rerank(app, VALID);
    expect(response.headers.get('retry-after')).toBe('7');
    const error = await expectError(response, 503, 'overloaded_error', 'all_replicas_down');
    expect(error.message).toBe('No replica is up.');
  });

  it('sends a ScoringError hint as whole seconds in Retry-After, and none for a hint that is not a number of seconds', async () => {
    const cases: [number, string | null][] = [
      [2.2, '3'],
      [0, '0'],
      [-4, '0'],
      [Number.NaN, null],
      [Number.POSITIVE_INFINITY, null],
    ];
    for (const [retryAfterSeconds, header] of cases) {
      const backend = new ScriptedBackend({
        script: () => {
          throw new ScoringError({
            type: 'overloaded_error',
            code: 'busy',
            message: 'Busy.',
            retryAfterSeconds,
          });
        },
      });
      const response = await rerank(makeApp({}, backend).app, VALID);
      expect(response.headers.get('retry-after'), String(retryAfterSeconds)).toBe(header);
      await expectError(response, 503, 'overloaded_error', 'busy');
    }
  });

  it('answers 500 internal_error for an unexpected backend failure, logs the stack, leaks nothing', async () => {
    const backend = new ScriptedBackend({
      script: () => {
        throw new Error('secret connection string postgres://u:p@db');
      },
    });
    const { app, captured } = makeApp({}, backend);
    const response = await rerank(app, VALID);
    const text = await response.clone().text();
    expect(text).not.toContain('postgres');
    const error = await expectError(response, 500, 'internal_error', 'internal_error');
    const logged = captured.records().find((record) => record.msg === 'unexpected error');
    expect(JSON.stringify(logged)).toContain('secret connection string');
    expect(logged?.request_id).toBe(error.request_id);
    expect((logged?.err as { stack?: string } | undefined)?.stack).toContain('create-rerank-app.test.ts');
  });

  it('answers 500 when a backend breaks the scoring specification', async () => {
    const wrongCount = new ScriptedBackend({
      script: () => ({ scores: [0.5], usage: { tokens: 1 }, warnings: [] }),
    });
    await expectError(await rerank(makeApp({}, wrongCount).app, VALID), 500, 'internal_error');
    const outOfRange = new ScriptedBackend({
      script: (call) => ({ scores: call.documents.map(() => 1.5), usage: { tokens: 1 }, warnings: [] }),
    });
    await expectError(await rerank(makeApp({}, outOfRange).app, VALID), 500, 'internal_error');
    // A token count that is NaN, infinite or negative would answer `usage.total_tokens` null or -1.
    for (const tokens of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      const badTokens = new ScriptedBackend({
        script: (call) => ({ scores: call.documents.map(() => 0.5), usage: { tokens }, warnings: [] }),
      });
      await expectError(await rerank(makeApp({}, badTokens).app, VALID), 500, 'internal_error');
    }
  });

  it('answers 504 at the deadline and aborts the backend call', async () => {
    const backend = new ScriptedBackend({ script: untilAborted });
    const { app } = makeApp({ requestTimeoutMs: 50 }, backend);
    const error = await expectError(await rerank(app, VALID), 504, 'timeout_error', 'request_timeout');
    expect(error.message).toContain('50 ms');
    expect(backend.calls[0]?.aborted).toBe(true);
  });

  it('answers 504 at the deadline even when the backend ignores its signal', async () => {
    const backend = new ScriptedBackend({ script: () => new Promise(() => {}) });
    const { app } = makeApp({ requestTimeoutMs: 30 }, backend);
    await expectError(await rerank(app, VALID), 504, 'timeout_error');
  });

  it('answers 503 model_not_ready while a model is not ready', async () => {
    const backend = new ScriptedBackend({ ready: () => false });
    const { app } = makeApp({}, backend);
    const response = await rerank(app, VALID);
    expect(response.headers.get('retry-after')).toBe('5');
    await expectError(response, 503, 'overloaded_error', 'model_not_ready');
    expect(backend.calls).toHaveLength(0);
  });

  it('lists the models in the contract shape and retrieves one', async () => {
    const registry = new ModelRegistry([
      {
        id: 'test-model',
        backend: new ScriptedBackend(),
        ownedBy: 'acme',
        description: 'A test model.',
        created: 1_700_000_000,
      },
      {
        id: 'second',
        backend: new ConstantScoreBackend({ limits: { contextLength: 512 } }),
        maxDocuments: 5000,
      },
    ]);
    const { app } = makeApp({ registry });
    const list = ModelList.parse(await (await app.request('/v1/models', { headers: AUTH })).json());
    expect(list.data).toEqual([
      {
        id: 'test-model',
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'acme',
        max_documents: MAX_DOCUMENTS,
        context_length: 8192,
        supports_instruction: true,
        description: 'A test model.',
      },
      expect.objectContaining({
        id: 'second',
        owned_by: 'sealink',
        max_documents: MAX_DOCUMENTS,
        context_length: 512,
        supports_instruction: false,
      }),
    ]);
    const one = await app.request('/v1/models/second', { headers: AUTH });
    expect((await one.json()).id).toBe('second');
    await expectError(await app.request('/v1/models', {}), 401, 'authentication_error');
  });

  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    const { app } = makeApp();
    await expectError(
      await app.request('/v9/rerank', { headers: AUTH }),
      404,
      'not_found_error',
      'route_not_found',
    );
    const wrong = await app.request('/v1/rerank', { headers: AUTH });
    expect(wrong.headers.get('allow')).toBe('POST');
    await expectError(wrong, 405, 'method_not_allowed');
    const deleteModel = await app.request('/v1/models/test-model', { method: 'DELETE', headers: AUTH });
    expect(deleteModel.headers.get('allow')).toBe('GET, HEAD');
    await expectError(deleteModel, 405, 'method_not_allowed');
  });

  it('labels 405s with the route pattern, never the raw path, so ids in paths add no series', async () => {
    const { app, captured } = makeApp();
    const ids = ['id-7f3a9c1e', 'id-0b2d4e6f'];
    for (const id of ids) {
      await expectError(
        await app.request(`/v1/models/${id}`, { method: 'POST', headers: AUTH }),
        405,
        'method_not_allowed',
      );
    }
    const text = await (await app.request('/metrics')).text();
    const series = text
      .split('\n')
      .filter(
        (line) => line.startsWith('sealink_rerank_http_requests_total{') && line.includes('/v1/models/'),
      );
    expect(series).toEqual([
      'sealink_rerank_http_requests_total{route="/v1/models/{model}",model="",status="405"} 2',
    ]);
    expect(text).toContain(
      'sealink_rerank_http_request_duration_seconds_count{route="/v1/models/{model}",model="",status="405"} 2',
    );
    for (const id of ids) expect(text).not.toContain(id);
    const routes = captured
      .records()
      .filter((record) => record.status === 405)
      .map((record) => record.route);
    expect(routes).toEqual(['/v1/models/{model}', '/v1/models/{model}']);
  });

  it('serves the contract spec, health, readiness and metrics without a key', async () => {
    let ready = false;
    const backend = new ScriptedBackend({ ready: () => ready });
    const { app } = makeApp({}, backend);
    const spec = await (await app.request('/openapi.json')).json();
    expect(spec.paths).toEqual(createOpenApiDocument().paths);
    expect(spec.servers).toEqual([{ url: '/', description: 'This server' }]);
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const notReady = await app.request('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not_ready', models: { 'test-model': 'unavailable' } });
    ready = true;
    expect(await (await app.request('/readyz')).json()).toEqual({
      status: 'ready',
      models: { 'test-model': 'ready' },
    });
    await rerank(app, VALID);
    const metrics = await app.request('/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain(
      'sealink_rerank_http_requests_total{route="/v1/rerank",model="test-model",status="200"} 1',
    );
    expect(text).toContain('sealink_rerank_documents_scored_total{model="test-model"} 3');
    expect(text).toMatch(
      /sealink_rerank_backend_duration_seconds_count\{model="test-model",outcome="ok"\} 1/,
    );
    expect(text).toContain('sealink_rerank_http_requests_in_flight 1');
    expect(text).toContain('sealink_rerank_http_requests_total{route="/readyz",model="",status="503"} 1');
  });

  it('reports every model closed in /readyz after the registry closes, and answers rerank requests 503 model_not_ready', async () => {
    const registry = new ModelRegistry([{ id: 'bm25', backend: new Bm25Backend() }]);
    const { app } = makeApp({ registry, retryAfterSeconds: 7 });
    const body = { ...VALID, model: 'bm25' };
    expect((await rerank(app, body)).status).toBe(200);
    await registry.close();
    const readiness = await app.request('/readyz');
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: 'not_ready', models: { bm25: 'closed' } });
    const refused = await rerank(app, body);
    const error = await expectError(refused, 503, 'overloaded_error', 'model_not_ready');
    expect(error.message).toMatch(/closed/);
    expect(refused.headers.get('retry-after')).toBe('7');
  });

  it('keeps metrics of two apps apart', async () => {
    const first = makeApp();
    const second = makeApp();
    await rerank(first.app, VALID);
    const text = await (await second.app.request('/metrics')).text();
    expect(text).not.toContain('route="/v1/rerank"');
  });

  it('logs one structured line per request with no key and no document text', async () => {
    const { app, captured } = makeApp();
    const secretDocument = 'confidential-merger-plan-document';
    await rerank(
      app,
      { ...VALID, documents: [secretDocument, 'x'] },
      { ...JSON_AUTH, 'x-request-id': 'log-check' },
    );
    await rerank(app, VALID, {
      'content-type': 'application/json',
      authorization: 'Bearer some-other-secret-key',
    });
    const all = captured.lines.join('\n');
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain('some-other-secret-key');
    expect(all).not.toContain(secretDocument);
    const line = captured.records().find((record) => record.request_id === 'log-check');
    expect(line).toMatchObject({
      method: 'POST',
      route: '/v1/rerank',
      status: 200,
      model: 'test-model',
      documents: 2,
    });
    expect(typeof line?.latency_ms).toBe('number');
  });

  it('answers 503 with Retry-After once draining, except for liveness', async () => {
    const drain = new AbortController();
    const { app } = makeApp({ drainSignal: drain.signal, retryAfterSeconds: 3 });
    expect((await rerank(app, VALID)).status).toBe(200);
    drain.abort();
    const response = await rerank(app, VALID);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('connection')).toBe('close');
    await expectError(response, 503, 'overloaded_error', 'server_draining');
    expect((await app.request('/readyz')).status).toBe(503);
    expect((await app.request('/healthz')).status).toBe(200);
  });
});
