import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ErrorResponse } from '@sealink/rerank-contract';
import {
  BAD_INPUT_CASES,
  checkRerankResponse,
  junkBodyArbitrary,
  rerankRequestArbitrary,
} from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRerankApp, type RerankAppOptions } from './create-rerank-app.js';
import {
  authorizationArbitrary,
  contentTypeArbitrary,
  exchangeRaw,
  headerValueArbitrary,
  parseRawAnswer,
  parseRawAnswers,
  type RawAnswer,
  startPropertyServer,
} from './http-property-test-kit.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { gatedBackend, ScriptedBackend, untilAborted } from './testing/scripted-backend.js';

const API_KEY = 'sk-socket-test-key';
const AUTH = { authorization: `Bearer ${API_KEY}` };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };
/** A junk body as fetch takes it. */
const asBody = (body: string | Uint8Array): string | Uint8Array<ArrayBuffer> =>
  typeof body === 'string' ? body : Uint8Array.from(body);

const VALID = { model: 'bm25', query: 'api gateway', documents: ['a gateway', 'sourdough'] };

async function startServer(overrides: Partial<RerankAppOptions> = {}, backend = new ScriptedBackend()) {
  const server = await startPropertyServer(
    ['bm25', 'other'],
    { auth: { apiKeys: [API_KEY] }, logger: captureLogger('warn').logger, ...overrides },
    { bm25: backend },
  );
  return Object.assign(server, { backend });
}

/** Checks the answer to a request Node's parser rejected: 400, the contract error body, its request id, closed. */
function expectMalformedHttpAnswer(response: RawAnswer, code: string) {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.headers.get('connection')).toBe('close');
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  const { error } = ErrorResponse.parse(JSON.parse(response.body));
  expect(error).toMatchObject({ type: 'invalid_request_error', code, request_id: requestId });
}

describe('createRerankApp over a real socket', () => {
  it('shared bad-input table', async () => {
    await using server = await startServer();
    for (const testCase of BAD_INPUT_CASES) {
      const headers: Record<string, string> = { ...testCase.headers };
      if (testCase.withoutAuth !== true) Object.assign(headers, AUTH);
      const init: RequestInit = { method: testCase.method, headers };
      if (testCase.body !== undefined) init.body = testCase.body;
      const response = await fetch(`${server.url}${testCase.path}`, init);
      const text = await response.text();
      expect({ name: testCase.name, status: response.status }).toEqual({
        name: testCase.name,
        status: testCase.status,
      });
      const parsed = ErrorResponse.safeParse(JSON.parse(text));
      expect(parsed.success, `${testCase.name}: ${text}`).toBe(true);
      if (!parsed.success) continue;
      const { error } = parsed.data;
      expect(error.type, testCase.name).toBe(testCase.type);
      if (testCase.code !== undefined) expect(error.code, testCase.name).toBe(testCase.code);
      if (testCase.param !== undefined) expect(error.param, testCase.name).toBe(testCase.param);
      expect(error.request_id, testCase.name).toBe(response.headers.get('x-request-id'));
    }
  });

  it('ranks a valid request and answers every route', async () => {
    await using server = await startServer();
    const response = await fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify(VALID),
    });
    expect(response.status).toBe(200);
    expect(checkRerankResponse(VALID, await response.json())).toEqual([]);
    expect((await fetch(`${server.url}/v1/models`, { headers: AUTH })).status).toBe(200);
    expect((await fetch(`${server.url}/v1/models/bm25`, { headers: AUTH })).status).toBe(200);
    for (const path of ['/openapi.json', '/healthz', '/readyz', '/metrics']) {
      const answer = await fetch(`${server.url}${path}`);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      await answer.arrayBuffer();
    }
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('lets a configured browser origin call the API: preflight 204, CORS headers on answers and errors', async () => {
    const origin = 'https://app.example.com';
    await using server = await startServer({ cors: { allowedOrigins: [origin] } });
    const preflight = (from: string, method: string, path = '/v1/rerank') =>
      fetch(`${server.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: from,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const allowed = await preflight(origin, 'POST');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(
      /\bauthorization\b.*\bcontent-type\b/,
    );
    expect(allowed.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await allowed.text()).toBe('');
    const models = await preflight(origin, 'GET', '/v1/models/bm25');
    expect(models.status).toBe(204);
    expect(models.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    // Another origin, or a method the route does not take: the usual 405, which allows no method, and no
    // origin but a configured one.
    const otherOrigin = await preflight('https://evil.example.com', 'POST');
    const otherMethod = await preflight(origin, 'DELETE');
    for (const refused of [otherOrigin, otherMethod]) {
      expect(refused.status).toBe(405);
      expect(refused.headers.get('access-control-allow-methods')).toBeNull();
      expect(ErrorResponse.parse(await refused.json()).error.type).toBe('method_not_allowed');
    }
    expect(otherOrigin.headers.get('access-control-allow-origin')).toBeNull();

    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/v1/rerank`, { method: 'POST', headers, body: JSON.stringify(VALID) });
    const ranked = await post({ ...JSON_AUTH, origin });
    expect(ranked.status).toBe(200);
    expect(ranked.headers.get('access-control-allow-origin')).toBe(origin);
    expect(ranked.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(ranked.headers.get('vary')).toBe('Origin');
    expect(checkRerankResponse(VALID, await ranked.json())).toEqual([]);
    // A page must be able to read the contract's error too.
    const unauthorized = await post({ 'content-type': 'application/json', origin });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(origin);
    const listed = await fetch(`${server.url}/v1/models`, { headers: { ...AUTH, origin } });
    expect(listed.headers.get('access-control-allow-origin')).toBe(origin);
    await listed.arrayBuffer();
    const other = await post({ ...JSON_AUTH, origin: 'https://evil.example.com' });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await other.arrayBuffer();
  });

  it('answers a preflight while draining, so a page can read the drain 503 of its request', async () => {
    const origin = 'https://app.example.com';
    await using server = await startServer({
      cors: { allowedOrigins: [origin] },
      drainSignal: AbortSignal.abort(),
    });
    const preflight = await fetch(`${server.url}/v1/rerank`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    await preflight.arrayBuffer();
    const drained = await fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: { ...JSON_AUTH, origin },
      body: JSON.stringify(VALID),
    });
    expect(drained.status).toBe(503);
    expect(drained.headers.get('access-control-allow-origin')).toBe(origin);
    expect(ErrorResponse.parse(await drained.json()).error.code).toBe('server_draining');
  });

  it('marks every answer Vary: Origin when named origins are allowed, so caches keep origins apart', async () => {
    const origin = 'https://app.example.com';
    await using server = await startServer({ cors: { allowedOrigins: [origin] } });
    for (const headers of [AUTH, { ...AUTH, origin: 'https://evil.example.com' }]) {
      const listed = await fetch(`${server.url}/v1/models`, { headers });
      expect(listed.headers.get('access-control-allow-origin')).toBeNull();
      expect(listed.headers.get('vary')).toBe('Origin');
      await listed.arrayBuffer();
      const ranked = await fetch(`${server.url}/v1/rerank`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(VALID),
      });
      expect(ranked.headers.get('vary')).toBe('Origin');
      await ranked.arrayBuffer();
    }
    // With `*` the answers do not depend on Origin: no Vary, and * even without an Origin (node's fetch
    // sends none), on the routes Hono answers and on those node:http answers.
    await using any = await startServer({ cors: { allowedOrigins: ['*'] } });
    const listed = await fetch(`${any.url}/v1/models`, { headers: AUTH });
    expect(listed.headers.get('vary')).toBeNull();
    expect(listed.headers.get('access-control-allow-origin')).toBe('*');
    await listed.arrayBuffer();
    const ranked = await fetch(`${any.url}/v1/rerank`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify(VALID),
    });
    expect(ranked.status).toBe(200);
    expect(ranked.headers.get('access-control-allow-origin')).toBe('*');
    await ranked.arrayBuffer();
  });

  it('answers no CORS header and no preflight when no origin is configured', async () => {
    await using server = await startServer();
    const preflight = await fetch(`${server.url}/v1/rerank`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(405);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await preflight.arrayBuffer();
    const ranked = await fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: { ...JSON_AUTH, origin: 'https://app.example.com' },
      body: JSON.stringify(VALID),
    });
    expect(ranked.status).toBe(200);
    expect(ranked.headers.get('access-control-allow-origin')).toBeNull();
    await ranked.arrayBuffer();
  });

  it('frames rerank answers, ranked or refused, with an exact Content-Length rather than chunks', async () => {
    await using server = await startServer();
    const valid = JSON.stringify({ ...VALID, query: 'gateway café' });
    const head = `Host: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\n`;
    // Three pipelined requests on one connection: each answer must end where its Content-Length says.
    const raw = await exchangeRaw(server.port, [
      `POST /v1/rerank HTTP/1.1\r\n${head}Content-Length: ${Buffer.byteLength(valid)}\r\n\r\n${valid}`,
      `POST /v1/rerank HTTP/1.1\r\n${head}Content-Length: 1\r\n\r\n{`,
      `POST /v2/rerank HTTP/1.1\r\n${head}Content-Length: ${Buffer.byteLength(valid)}\r\nConnection: close\r\n\r\n${valid}`,
    ]);
    const answers = parseRawAnswers(raw);
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 200]);
    for (const answer of answers) {
      expect(answer.headers.has('transfer-encoding')).toBe(false);
      expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(answer.body));
    }
    expect(checkRerankResponse(JSON.parse(valid), JSON.parse(answers[0]!.body))).toEqual([]);
    expect(ErrorResponse.parse(JSON.parse(answers[1]!.body)).error.code).toBe('invalid_json');
    expect(JSON.parse(answers[2]!.body).results).toHaveLength(2);
  });
  it('refuses compressed bodies and charsets other than UTF-8 with 415, and bytes that are not UTF-8 with 400', async () => {
    await using server = await startServer();
    const post = (headers: Record<string, string>, body: Uint8Array<ArrayBuffer> | string) =>
      fetch(`${server.url}/v1/rerank`, { method: 'POST', headers: { ...JSON_AUTH, ...headers }, body });
    const expectCode = async (response: Response, status: number, code: string) => {
      const { error } = ErrorResponse.parse(await response.json());
      expect({ status: response.status, code: error.code }).toEqual({ status, code });
      expect(error.request_id).toBe(response.headers.get('x-request-id'));
    };
    const json = JSON.stringify(VALID);
    await expectCode(
      await post({ 'content-encoding': 'gzip' }, Uint8Array.from(gzipSync(json))),
      415,
      'unsupported_content_encoding',
    );
    await expectCode(await post({ 'content-encoding': 'br' }, json), 415, 'unsupported_content_encoding');
    await expectCode(
      await post({ 'content-type': 'application/json; charset=iso-8859-1' }, json),
      415,
      'unsupported_charset',
    );
    const latin1 = Uint8Array.from(Buffer.from(JSON.stringify({ ...VALID, query: 'café' }), 'latin1'));
    await expectCode(await post({}, latin1), 400, 'invalid_utf8');
    // The same request in UTF-8, declared or not, is ranked.
    expect(
      (
        await post(
          { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'identity' },
          json,
        )
      ).status,
    ).toBe(200);
    expect(server.backend.calls).toHaveLength(1);
  });

  it('answers a request refused before its body arrived in full so that the connection carries the next request, or says Connection: close', async () => {
    await using server = await startServer();
    const body = JSON.stringify(VALID);
    const next = `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const head = (start: string, headers: string) =>
      `${start} HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: 20000\r\n\r\n`;
    const json = 'Content-Type: application/json\r\n';
    const auth = `Authorization: Bearer ${API_KEY}\r\n`;
    for (const [request, status] of [
      [head('POST /v1/rerank', json), 401],
      [head('POST /v1/rerank', `${auth}Content-Type: text/plain\r\n`), 415],
      [head('POST /v1/nope', auth + json), 404],
      [head('PUT /v1/rerank', auth + json), 405],
    ] as const) {
      // A body within the limit that takes a second to arrive, sent on after the early answer (as a client
      // that writes its body before reading does), then the next request on the same connection.
      const slowBody = Array.from({ length: 20 }, () => [{ pauseMs: 50 }, ' '.repeat(1000)]).flat();
      const answers = parseRawAnswers(await exchangeRaw(server.port, [request, ...slowBody, next]));
      expect({ request, status: answers[0]?.status }).toEqual({ request, status });
      // Either the next request is answered, or the early answer said the connection would close.
      if (answers.length === 1) expect(answers[0]!.headers.get('connection')).toBe('close');
      else expect(answers.map((answer) => answer.status)).toEqual([status, 200]);
    }
  });

  it('refuses a body compressed as a transfer coding (gzip, chunked) with 415, and serves the next request', async () => {
    await using server = await startServer();
    const valid = JSON.stringify(VALID);
    const gzipped = gzipSync(valid);
    const head = `Host: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\n`;
    const raw = await exchangeRaw(server.port, [
      `POST /v1/rerank HTTP/1.1\r\n${head}Transfer-Encoding: gzip, chunked\r\n\r\n${gzipped.length.toString(16)}\r\n`,
      Uint8Array.from(gzipped),
      '\r\n0\r\n\r\n',
      `POST /v1/rerank HTTP/1.1\r\n${head}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${Buffer.byteLength(valid).toString(16)}\r\n${valid}\r\n0\r\n\r\n`,
    ]);
    const [refused, served] = parseRawAnswers(raw);
    expect(refused?.status).toBe(415);
    const { error } = ErrorResponse.parse(JSON.parse(refused!.body));
    expect(error).toMatchObject({ type: 'unsupported_media_type', code: 'unsupported_transfer_encoding' });
    expect(error.message).toContain("'gzip, chunked'");
    expect(served?.status).toBe(200);
    expect(JSON.parse(served!.body).results).toHaveLength(VALID.documents.length);
    expect(server.backend.calls).toHaveLength(1);
  });

  it('answers 413 at once for a declared Content-Length over the limit, before the body arrives', async () => {
    await using server = await startServer({ maxBodyBytes: 1000 });
    const raw = await exchangeRaw(server.port, [
      `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{"model":`,
    ]);
    const response = parseRawAnswer(raw);
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(JSON.parse(response.body).error.code).toBe('body_too_large');
    expect(server.backend.calls).toHaveLength(0);
  });

  it('answers 413 for a chunked body that streams past the limit, without reading the rest', async () => {
    await using server = await startServer({ maxBodyBytes: 1000 });
    const chunk = 'x'.repeat(400);
    const chunks = [
      `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      ...Array.from({ length: 5 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`),
    ];
    // The terminating chunk is never sent: the server must answer from the limit alone.
    const response = parseRawAnswer(await exchangeRaw(server.port, chunks));
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error.type).toBe('request_too_large');
  });

  it('answers 413 for a fetch with a streamed body over the limit', async () => {
    await using server = await startServer({ maxBodyBytes: 2048 });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 4; index++)
          controller.enqueue(new TextEncoder().encode('y'.repeat(1024)));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: JSON_AUTH,
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('body_too_large');
  });

  it('never reads past a lying Content-Length: a short declared length cuts the body, and the server stays up', async () => {
    await using server = await startServer({ maxBodyBytes: 1000 });
    const big = JSON.stringify({ ...VALID, documents: ['z'.repeat(5000)] });
    const head = `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n`;
    // Only the declared 20 bytes are the body: the app sees a cut JSON text and says so.
    const cut = parseRawAnswer(
      await exchangeRaw(server.port, [head + big.slice(0, 20)], { endAfterWrite: true }),
    );
    expect(cut.status).toBe(400);
    expect(JSON.parse(cut.body).error.code).toBe('invalid_json');
    // The bytes after the declared length are a broken next request: the request before them is answered
    // (its cut JSON text), then Node's parser rejects them, and the server answers 400 with the contract's
    // error body and closes the connection; nothing past the declared length reaches the app, nothing crashes.
    const lied = parseRawAnswers(await exchangeRaw(server.port, [head + big]));
    expect(lied.map((answer) => answer.status)).toEqual([400, 400]);
    expect(JSON.parse(lied[0]!.body).error.code).toBe('invalid_json');
    expectMalformedHttpAnswer(lied[1]!, 'malformed_http');
    expect(server.backend.calls).toHaveLength(0);
    const after = await fetch(`${server.url}/healthz`);
    expect(after.status).toBe(200);
  });

  it('answers a request line Node cannot parse with the contract error body and a request id', async () => {
    await using server = await startServer();
    for (const requestLine of [
      'GARBAGE\r\n\r\n',
      'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n',
      '\x00\x01\x02 / HTTP/1.1\r\n\r\n',
    ]) {
      const raw = await exchangeRaw(server.port, [requestLine]);
      expectMalformedHttpAnswer(parseRawAnswer(raw), 'malformed_http');
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers a target or Host that cannot be made into a URL with the contract error body, never an empty 400', async () => {
    await using server = await startServer();
    for (const head of [
      'GET /healthz HTTP/1.1\r\nHost: bad host\r\n',
      'GET /v1\\models HTTP/1.1\r\nHost: x\r\n',
      'OPTIONS * HTTP/1.1\r\nHost: x\r\n',
      'GET ftp://x/healthz HTTP/1.1\r\nHost: x\r\n',
    ]) {
      const raw = await exchangeRaw(server.port, [`${head}Connection: close\r\n\r\n`]);
      expectMalformedHttpAnswer(parseRawAnswer(raw), 'invalid_request_target');
    }
  });

  it('answers a rerank request with a Host that is not a host 400 invalid_request_target, as every other route does', async () => {
    await using server = await startServer();
    const post = (path: string, host: string) => {
      const body = JSON.stringify(
        path === '/rerank' ? { query: VALID.query, texts: VALID.documents } : VALID,
      );
      return Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        'latin1',
      );
    };
    for (const path of ['/v1/rerank', '/v2/rerank', '/rerank']) {
      for (const host of ['bad host', 'x, y', 'user@evil', 'x:99999', 'a/b', '[::1', 'x\\y', 'caf\xe9']) {
        const answer = parseRawAnswer(await exchangeRaw(server.port, [post(path, host)]));
        expect({ path, host, status: answer.status }).toEqual({ path, host, status: 400 });
        expectMalformedHttpAnswer(answer, 'invalid_request_target');
      }
      // Host names in any case and with any port are hosts.
      for (const host of ['LocalHost:8080', 'api.example.com:80', '127.0.0.1:65535', '[::1]:3000']) {
        const answer = parseRawAnswer(await exchangeRaw(server.port, [post(path, host)]));
        expect({ path, host, status: answer.status }).toEqual({ path, host, status: 200 });
      }
    }
    expect(server.backend.calls).toHaveLength(12);
  });

  it('answers CONNECT 405 in the contract shape instead of dropping the connection', async () => {
    await using server = await startServer();
    const response = parseRawAnswer(
      await exchangeRaw(server.port, [
        'CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\nX-Request-Id: tunnel-1\r\n\r\n',
      ]),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    const { error } = ErrorResponse.parse(JSON.parse(response.body));
    expect(error).toMatchObject({ type: 'method_not_allowed', request_id: 'tunnel-1' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers pipelined rerank requests in full before the 400 or 405 of malformed bytes or CONNECT after them', async () => {
    // A backend that takes a while: the bytes after the request are parsed long before its answer is written.
    const backend = new ScriptedBackend({
      script: async (call) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { scores: call.documents.map(() => 0.5), usage: { tokens: 1 }, warnings: [] };
      },
    });
    await using server = await startServer({}, backend);
    const body = JSON.stringify(VALID);
    const rerank = `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    for (const [after, status, code] of [
      ['GARBAGE\r\n\r\n', 400, 'malformed_http'],
      [
        `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
        400,
        'malformed_http',
      ],
      ['CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n', 405, 'method_not_allowed'],
    ] as const) {
      const answers = parseRawAnswers(await exchangeRaw(server.port, [rerank + rerank + after]));
      expect({ after, statuses: answers.map((answer) => answer.status) }).toEqual({
        after,
        statuses: [200, 200, status],
      });
      expect(checkRerankResponse(VALID, JSON.parse(answers[1]!.body))).toEqual([]);
      const refused = answers[2]!;
      expect(refused.headers.get('connection')).toBe('close');
      expect(ErrorResponse.parse(JSON.parse(refused.body)).error.code).toBe(code);
    }
  });

  it('answers an HTTP/1.1 request without Host 400 in the contract shape, honouring its X-Request-Id', async () => {
    await using server = await startServer();
    const response = parseRawAnswer(
      await exchangeRaw(server.port, ['GET /healthz HTTP/1.1\r\nX-Request-Id: no-host-1\r\n\r\n']),
    );
    expectMalformedHttpAnswer(response, 'missing_host');
    expect(response.headers.get('x-request-id')).toBe('no-host-1');
    // HTTP/1.0 has no Host requirement.
    const old = parseRawAnswer(await exchangeRaw(server.port, ['GET /healthz HTTP/1.0\r\n\r\n']));
    expect(old.status).toBe(200);
  });

  it('answers a request with more than one Host 400 in the contract shape, on every route, as nginx does', async () => {
    await using server = await startServer();
    const body = JSON.stringify(VALID);
    for (const request of [
      'GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\nX-Request-Id: two-hosts\r\n\r\n',
      'GET /healthz HTTP/1.0\r\nHost: x\r\nhost: x\r\nX-Request-Id: two-hosts\r\n\r\n',
      `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nHOST: evil.example\r\nX-Request-Id: two-hosts\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    ]) {
      const answer = parseRawAnswer(await exchangeRaw(server.port, [request]));
      expectMalformedHttpAnswer(answer, 'duplicate_host');
      expect(answer.headers.get('x-request-id')).toBe('two-hosts');
    }
    expect(server.backend.calls).toHaveLength(0);
  });

  it('answers a request with an unknown Expect as if it had none, instead of an empty 417', async () => {
    await using server = await startServer();
    const body = JSON.stringify(VALID);
    const response = parseRawAnswer(
      await exchangeRaw(server.port, [
        `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      ]),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).results).toHaveLength(2);
  });

  it('sends 100 Continue only once it reads the body: a request refused from its headers is answered before any upload', async () => {
    await using server = await startServer({ maxBodyBytes: 1000 });
    const head = (headers: string, length: number) =>
      `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n${headers}Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
    // Headers only: a refused request must be answered without the body ever being sent.
    const tooLarge = await exchangeRaw(server.port, [
      head(`Authorization: Bearer ${API_KEY}\r\n`, 5_000_000),
    ]);
    expect(tooLarge.toString('latin1')).toMatch(/^HTTP\/1\.1 413 /);
    const noKey = await exchangeRaw(server.port, [head('', 5_000_000)]);
    expect(noKey.toString('latin1')).toMatch(/^HTTP\/1\.1 401 /);
    // An acceptable request is invited to send its body, then answered.
    const body = JSON.stringify(VALID);
    const socket = connect(server.port, '127.0.0.1');
    await using _socket = { [Symbol.asyncDispose]: async () => void socket.destroy() };
    let received = '';
    const waiters: (() => void)[] = [];
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      for (const wake of waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      for (const wake of waiters.splice(0)) wake();
    });
    const receivedUntil = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        if (socket.destroyed) throw new Error(`the connection closed after: ${received}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    socket.write(head(`Authorization: Bearer ${API_KEY}\r\nConnection: close\r\n`, Buffer.byteLength(body)));
    await receivedUntil(/^HTTP\/1\.1 100 Continue\r\n\r\n$/);
    socket.write(body);
    await receivedUntil(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK[\s\S]*"results"/);
    expect(server.backend.calls).toHaveLength(1);
  });

  it('answers headers over the size limit with the contract error body and a request id', async () => {
    await using server = await startServer();
    const raw = await exchangeRaw(server.port, [
      `GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`,
    ]);
    expectMalformedHttpAnswer(parseRawAnswer(raw), 'headers_too_large');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers 400 request_receive_timeout at the deadline when the body sent is shorter than its Content-Length', async () => {
    await using server = await startServer({ requestTimeoutMs: 100 });
    const raw = await exchangeRaw(server.port, [
      `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"model":"bm25"`,
    ]);
    expectMalformedHttpAnswer(parseRawAnswer(raw), 'request_receive_timeout');
    expect(server.backend.calls).toHaveLength(0);
  });

  it('answers 504 at the deadline and aborts the backend', async () => {
    const backend = new ScriptedBackend({ script: untilAborted });
    await using server = await startServer({ requestTimeoutMs: 100 }, backend);
    const response = await fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify(VALID),
    });
    expect(response.status).toBe(504);
    expect((await response.json()).error.code).toBe('request_timeout');
    expect(backend.calls[0]?.aborted).toBe(true);
  });

  it('aborts the backend through abortSignal when the client disconnects', async () => {
    const backend = new ScriptedBackend({ script: untilAborted });
    await using server = await startServer({ requestTimeoutMs: 60_000 }, backend);
    const client = new AbortController();
    const pending = fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify(VALID),
      signal: client.signal,
    });
    await expect.poll(() => backend.calls.length).toBe(1);
    client.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => backend.calls[0]?.aborted).toBe(true);
    expect((backend.calls[0]?.abortReason as Error | undefined)?.name).toBe('ClientDisconnectedError');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('finishes in-flight requests when it closes, and answers requests that still arrive with 503', async () => {
    const { backend, release } = gatedBackend();
    const drain = new AbortController();
    const registry = new ModelRegistry([{ id: 'bm25', backend }]);
    const captured = captureLogger('info');
    const app = createRerankApp({
      registry,
      auth: { apiKeys: [API_KEY] },
      logger: captured.logger,
      drainSignal: drain.signal,
      retryAfterSeconds: 7,
    });
    const server = await serveRerankApp(app, { onDrainStart: () => drain.abort() });
    const body = JSON.stringify(VALID);
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (data) => {
      received += data.toString('latin1');
    });
    const socketClosed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await expect.poll(() => backend.calls.length).toBe(1);
    const closing = server.close({ drainTimeoutMs: 5000 });
    expect(drain.signal.aborted).toBe(true);
    // A second request on the open connection, sent while the first is still being scored. The app answers
    // it at once with the drain answer, which Node holds back until the in-flight answer is written: wait
    // for the app's log line of that 503 before letting the first request finish, so the order is fixed.
    socket.write(`GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\n\r\n`);
    await expect
      .poll(() =>
        captured
          .records()
          .filter((line) => line.route === '/v1/models')
          .map((line) => line.status),
      )
      .toEqual([503]);
    expect(received).toBe('');
    release();
    expect(await closing).toBe(true);
    await socketClosed;
    const answers = parseRawAnswers(received);
    // The in-flight request is answered in full, then the request that arrived while draining gets the
    // drain answer, which closes the connection.
    expect(answers.map((answer) => answer.status)).toEqual([200, 503]);
    const drained = answers[1]!;
    expect(drained.headers.get('retry-after')).toBe('7');
    expect(drained.headers.get('connection')).toBe('close');
    const { error } = ErrorResponse.parse(JSON.parse(drained.body));
    expect(error).toMatchObject({
      type: 'overloaded_error',
      code: 'server_draining',
      request_id: drained.headers.get('x-request-id'),
    });
    expect(backend.calls).toHaveLength(1);
  });

  it('cuts requests that outlive the drain deadline', async () => {
    const backend = new ScriptedBackend({ script: untilAborted });
    const server = await startServer({ requestTimeoutMs: 60_000 }, backend);
    const pending = fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify(VALID),
    });
    await expect.poll(() => backend.calls.length).toBe(1);
    expect(await server.close({ drainTimeoutMs: 100 })).toBe(false);
    await expect(pending).rejects.toThrow();
    await expect.poll(() => backend.calls[0]?.aborted).toBe(true);
  });
});

describe('createRerankApp properties over a real socket', () => {
  it('keeps the response invariants for random valid requests', async () => {
    await using server = await startServer();
    await fc.assert(
      fc.asyncProperty(rerankRequestArbitrary({ models: ['bm25', 'other'] }), async (request) => {
        const response = await fetch(`${server.url}/v1/rerank`, {
          method: 'POST',
          headers: JSON_AUTH,
          body: JSON.stringify(request),
        });
        const body = await response.json();
        expect(response.status).toBe(200);
        expect(checkRerankResponse(request, body)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('never answers a random junk body with a 5xx, always with the contract error shape', async () => {
    await using server = await startServer();
    await fc.assert(
      fc.asyncProperty(junkBodyArbitrary, async (body) => {
        const response = await fetch(`${server.url}/v1/rerank`, {
          method: 'POST',
          headers: JSON_AUTH,
          body: asBody(body),
        });
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        if (response.status !== 200) {
          expect(ErrorResponse.safeParse(JSON.parse(text)).success).toBe(true);
          expect(JSON.parse(text).error.request_id).toBe(response.headers.get('x-request-id'));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never answers random headers, content types, methods or paths with a 5xx', async () => {
    await using server = await startServer();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.constantFrom(
          '/v1/rerank',
          '/v1/models',
          '/v1/models/bm25',
          '/v1/models/x%2Fy',
          '/v1/',
          '/',
          '/v1/rerank/',
          '/metrics',
        ),
        fc.option(contentTypeArbitrary, { nil: undefined }),
        fc.option(authorizationArbitrary(API_KEY), { nil: undefined }),
        fc.option(headerValueArbitrary, { nil: undefined }),
        fc.oneof(junkBodyArbitrary, fc.constant(JSON.stringify(VALID))),
        async (method, path, contentType, authorization, requestId, body) => {
          const headers: Record<string, string> = {};
          if (contentType !== undefined) headers['content-type'] = contentType;
          if (authorization !== undefined) headers.authorization = authorization;
          if (requestId !== undefined) headers['x-request-id'] = requestId;
          const init: RequestInit = { method, headers };
          if (method !== 'GET') init.body = asBody(body);
          const response = await fetch(`${server.url}${path}`, init);
          const text = await response.text();
          expect(response.status).toBeLessThan(500);
          expect(response.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
          if (response.status >= 400) expect(ErrorResponse.safeParse(JSON.parse(text)).success).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
