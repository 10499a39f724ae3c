import { inspect } from 'node:util';
import { ERROR_EXAMPLES, ERROR_TYPES } from '@sealink/rerank-contract';
import { Agent } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError } from './api-connection-error.js';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  UnexpectedStatusError,
} from './api-error.js';
import { APIUserAbortError } from './api-user-abort-error.js';
import { InvalidResponseError } from './invalid-response-error.js';
import { SeaLink } from './sea-link.js';
import { SeaLinkError } from './sea-link-error.js';
import { testClient } from './testing/disposable-client.js';
import { EXPECTED_ERROR_CLASSES } from './testing/expected-error-classes.js';
import { EXAMPLE_REQUEST, FIXED_RERANK_RESPONSE } from './testing/fixed-rerank-response.js';
import { type ScriptedHandler, sendJson, startScriptedServer } from './testing/start-scripted-server.js';

const answerOk: ScriptedHandler = (_request, response) =>
  sendJson(response, 200, FIXED_RERANK_RESPONSE, { 'x-request-id': 'req_ok' });

/** A handler that plays `steps` in order, then answers 200. */
function script(...steps: ScriptedHandler[]): ScriptedHandler {
  let call = 0;
  return (request, response, socket) => (steps[call++] ?? answerOk)(request, response, socket);
}

const fail =
  (status: number, headers: Record<string, string> = {}): ScriptedHandler =>
  (_request, response) =>
    sendJson(
      response,
      status,
      { error: { type: 'overloaded_error', code: 'busy', message: 'busy', request_id: 'req_x' } },
      headers,
    );

function captureLogger() {
  const retries: Record<string, unknown>[] = [];
  const lines: string[] = [];
  return {
    retries,
    lines,
    logger: {
      debug: (message: string, details: Record<string, unknown>) =>
        lines.push(message + JSON.stringify(details)),
      info: (message: string, details: Record<string, unknown>) => {
        lines.push(message + JSON.stringify(details));
        retries.push(details);
      },
    },
  };
}

describe('transport', () => {
  it('answers with the contract response and its request id, which JSON leaves out', async () => {
    await using server = await startScriptedServer(answerOk);
    await using client = testClient(server.url);
    const response = await client.rerank(EXAMPLE_REQUEST);
    expect(response).toEqual(FIXED_RERANK_RESPONSE);
    expect(response.request_id).toBe('req_ok');
    expect(JSON.parse(JSON.stringify(response))).toEqual(FIXED_RERANK_RESPONSE);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/rerank');
    expect(JSON.parse(request?.body ?? '')).toEqual(EXAMPLE_REQUEST);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^sealink-rerank-client\/\S+ node\/v\d+/);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('reuses one keep-alive connection for many sequential calls', async () => {
    await using server = await startScriptedServer(answerOk);
    await using client = testClient(server.url);
    for (let call = 0; call < 50; call++) {
      await client.rerank(EXAMPLE_REQUEST);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.requests).toHaveLength(50);
    expect(server.connections()).toBe(1);
  });

  it('keeps back-to-back calls on at most two connections', async () => {
    // undici reuses a socket one event-loop turn after its answer (to not write to a socket the server is
    // closing), so a call made in the same turn takes a second pooled connection; never more.
    await using server = await startScriptedServer(answerOk);
    await using client = testClient(server.url);
    for (let call = 0; call < 100; call++) await client.rerank(EXAMPLE_REQUEST);
    expect(server.requests).toHaveLength(100);
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  it('sends through a dispatcher the caller gives, and leaves it open on close', async () => {
    await using server = await startScriptedServer(answerOk);
    const dispatcher = new Agent();
    const client = testClient(server.url, { dispatcher });
    await client.rerank(EXAMPLE_REQUEST);
    await client.close();
    expect(dispatcher.closed).toBe(false);
    await dispatcher.close();
  });

  it('sends the key, default headers and per-call headers; null removes a header', async () => {
    await using server = await startScriptedServer(answerOk);
    await using client = new SeaLink({
      apiKey: 'sk-test-key',
      baseURL: `${server.url}/v1/`,
      defaultHeaders: { 'X-Team': 'search', 'User-Agent': 'my-app/1.0' },
    });
    await client.rerank(EXAMPLE_REQUEST, { headers: { 'x-call': 'one', 'x-team': null } });
    const headers = server.requests[0]?.headers;
    expect(headers?.authorization).toBe('Bearer sk-test-key');
    expect(headers?.['user-agent']).toBe('my-app/1.0');
    expect(headers?.['x-call']).toBe('one');
    expect(headers?.['x-team']).toBeUndefined();
    expect(server.requests[0]?.url).toBe('/v1/rerank');
  });
});

describe('errors by status', () => {
  it('maps every error type of the contract to its class with status, headers, request id and body', async () => {
    for (const [type, body] of ERROR_EXAMPLES) {
      const status = ERROR_TYPES[type].status;
      await using server = await startScriptedServer((_request, response) =>
        sendJson(response, status, body, { 'x-request-id': `req_${type}` }),
      );
      await using client = testClient(server.url, { maxRetries: 0 });
      const error = await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught);
      expect(error, type).toBeInstanceOf(EXPECTED_ERROR_CLASSES[type]);
      expect(error).toBeInstanceOf(APIError);
      expect(SeaLinkError.isInstance(error)).toBe(true);
      const apiError = error as APIError;
      expect(apiError.status).toBe(status);
      expect(apiError.request_id).toBe(`req_${type}`);
      expect(apiError.headers.get('content-type')).toBe('application/json');
      expect(apiError.error).toEqual(body.error);
      expect(apiError.type).toBe(type);
      expect(apiError.code).toBe(body.error.code);
      expect(apiError.message).toBe(`${status} ${type} (${body.error.code}): ${body.error.message}`);
    }
  });

  it('gives UnexpectedStatusError for other statuses and keeps a body that is not the contract shape', async () => {
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(418, { 'content-type': 'text/plain' });
      response.end('I am a teapot');
    });
    await using client = testClient(server.url);
    const error = (await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(UnexpectedStatusError);
    expect(error.status).toBe(418);
    expect(error.error).toBeUndefined();
    expect(error.body).toBe('I am a teapot');
    expect(error.request_id).toBeNull();
    expect(error.message).toBe('418 status code: I am a teapot');
    expect(server.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries 503 and 429 with the waits the server asks for, one idempotency key and a retry count', async () => {
    await using server = await startScriptedServer(
      script(fail(503, { 'retry-after-ms': '12' }), fail(429, { 'retry-after': '0' })),
    );
    const log = captureLogger();
    await using client = testClient(server.url, { logger: log.logger });
    const response = await client.rerank(EXAMPLE_REQUEST);
    expect(response.request_id).toBe('req_ok');
    expect(server.requests.map((request) => request.headers['x-sealink-retry-count'])).toEqual([
      '0',
      '1',
      '2',
    ]);
    const keys = new Set(server.requests.map((request) => request.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^sealink-[0-9a-f-]{36}$/);
    expect(log.retries.map((retry) => retry.delayMs)).toEqual([12, 0]);
    expect(log.retries.map((retry) => retry.retry)).toEqual([1, 2]);
  });

  it('uses the caller idempotency key on every try, and a fresh key per call otherwise', async () => {
    await using server = await startScriptedServer(script(fail(500, { 'retry-after-ms': '1' })));
    await using client = testClient(server.url);
    await client.rerank(EXAMPLE_REQUEST, { idempotencyKey: 'call-1' });
    await client.rerank(EXAMPLE_REQUEST);
    await client.rerank(EXAMPLE_REQUEST);
    const keys = server.requests.map((request) => request.headers['idempotency-key']);
    expect(keys.slice(0, 2)).toEqual(['call-1', 'call-1']);
    expect(keys[2]).not.toBe(keys[3]);
  });

  it('backs off exponentially with jitter when the server gives no wait', async () => {
    await using server = await startScriptedServer(script(fail(502), fail(502)));
    const log = captureLogger();
    await using client = testClient(server.url, { logger: log.logger });
    await client.rerank(EXAMPLE_REQUEST);
    const [first, second] = log.retries.map((retry) => retry.delayMs as number);
    expect(first).toBeGreaterThan(375);
    expect(first).toBeLessThanOrEqual(500);
    expect(second).toBeGreaterThan(750);
    expect(second).toBeLessThanOrEqual(1000);
  });

  it('stops after maxRetries and throws the last error', async () => {
    await using server = await startScriptedServer(fail(500, { 'retry-after-ms': '1' }));
    await using client = testClient(server.url, { maxRetries: 3 });
    await expect(client.rerank(EXAMPLE_REQUEST)).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(4);
    await expect(client.rerank(EXAMPLE_REQUEST, { maxRetries: 0 })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(server.requests).toHaveLength(5);
  });

  it('obeys x-should-retry over the status', async () => {
    await using server = await startScriptedServer(
      script(
        fail(503, { 'x-should-retry': 'false' }),
        fail(400, { 'x-should-retry': 'true', 'retry-after-ms': '1' }),
      ),
    );
    await using client = testClient(server.url);
    await expect(client.rerank(EXAMPLE_REQUEST)).rejects.toBeInstanceOf(OverloadedError);
    expect(server.requests).toHaveLength(1);
    const response = await client.rerank(EXAMPLE_REQUEST);
    expect(response.id).toBe(FIXED_RERANK_RESPONSE.id);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry 4xx errors', async () => {
    await using server = await startScriptedServer(fail(400));
    await using client = testClient(server.url);
    await expect(client.rerank(EXAMPLE_REQUEST)).rejects.toBeInstanceOf(BadRequestError);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection reset and then succeeds', async () => {
    await using server = await startScriptedServer(script((_request, _response, socket) => socket.destroy()));
    await using client = testClient(server.url);
    const response = await client.rerank(EXAMPLE_REQUEST);
    expect(response.results).toEqual(FIXED_RERANK_RESPONSE.results);
    expect(server.requests).toHaveLength(2);
  });
});

describe('transport faults', () => {
  it('a reset before the headers is a connection error', async () => {
    await using server = await startScriptedServer((_request, _response, socket) => socket.destroy());
    await using client = testClient(server.url, { maxRetries: 0 });
    const error = await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toMatch(/^Connection error before the response headers/);
  });

  it('a reset in the middle of the body is a connection error', async () => {
    await using server = await startScriptedServer((_request, response, socket) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"id":"rerank-1","res', () => socket.destroy());
    });
    await using client = testClient(server.url, { maxRetries: 0 });
    const error = await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/while reading the response body/);
  });

  // The phase a timeout names is where the call was when its timer fired: 1 s, not 100 ms, so that a loop
  // stalled on a loaded machine (the server runs in this process) does not fire it a phase early.
  it('a server that never answers hits the timeout in the headers phase, on every try', async () => {
    await using server = await startScriptedServer(() => {});
    await using client = testClient(server.url, { timeout: 1000, maxRetries: 1 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as APIConnectionTimeoutError;
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.phase).toBe('headers');
    expect(error.timeoutMs).toBe(1000);
    expect(error.message).toBe('Request hit the 1000 ms timeout waiting for the response headers.');
    // When the loop stalls after a try is sent, its timer can still fire before the server has read the
    // request, which the server reads and records once the loop gets to it (counting at once failed so,
    // with 1 of the 2 tries, at 100 ms); both reach the server.
    await vi.waitFor(() => expect(server.requests).toHaveLength(2), { timeout: 10_000 });
  });

  it('a connection that never opens hits the timeout in the connect phase, on time', async () => {
    // A connector that never calls back: the connection hangs before any byte is sent.
    const dispatcher = new Agent({ connect: () => {} });
    const client = new SeaLink({ apiKey: null, baseURL: 'http://127.0.0.1:9/v1', dispatcher, maxRetries: 0 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST, { timeout: 50 })
      .catch((caught: unknown) => caught)) as APIConnectionTimeoutError;
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.phase).toBe('connect');
    expect(error.message).toBe('Request hit the 50 ms timeout while connecting to the server.');
    await dispatcher.destroy();
  });

  it('a closed client fails at once, without retries', async () => {
    await using server = await startScriptedServer(answerOk);
    const client = testClient(server.url);
    await client.close();
    const error = await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SeaLinkError);
    expect(error).not.toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/^The client's connection pool is closed/);
    expect(server.requests).toHaveLength(0);
  });

  it('a body that never ends hits the timeout in the body phase', async () => {
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":');
    });
    await using client = testClient(server.url, { maxRetries: 0 });
    // 1 s: the headers must reach the client before the timer fires, or the phase is 'headers'.
    const error = (await client
      .rerank(EXAMPLE_REQUEST, { timeout: 1000 })
      .catch((caught: unknown) => caught)) as APIConnectionTimeoutError;
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.phase).toBe('body');
  });

  it('an abort ends a hanging request, and an aborted signal sends nothing', async () => {
    await using server = await startScriptedServer(() => {});
    await using client = testClient(server.url);
    const controller = new AbortController();
    const pending = client.rerank(EXAMPLE_REQUEST, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    const before = server.requests.length;
    await expect(client.rerank(EXAMPLE_REQUEST, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      APIUserAbortError,
    );
    expect(server.requests.length).toBe(before);
  });

  it('an abort ends the wait between retries', async () => {
    await using server = await startScriptedServer(fail(503, { 'retry-after': '30' }));
    const controller = new AbortController();
    // Abort as soon as the client starts its 30 s wait before the first retry.
    const logger = { debug: () => {}, info: () => controller.abort() };
    await using client = testClient(server.url, { logger });
    await expect(client.rerank(EXAMPLE_REQUEST, { signal: controller.signal })).rejects.toBeInstanceOf(
      APIUserAbortError,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('an empty, malformed or off-contract 200 is an InvalidResponseError, not retried', async () => {
    const bodies = [
      '',
      '{"id":"rerank-1","results":[',
      JSON.stringify({ ...FIXED_RERANK_RESPONSE, results: 'none' }),
    ];
    const messages = [
      /has an empty body/,
      /is not valid JSON/,
      /does not match the API contract's RerankResponse: results:/,
    ];
    for (const [position, body] of bodies.entries()) {
      await using server = await startScriptedServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_bad' });
        response.end(body);
      });
      await using client = testClient(server.url);
      const error = (await client
        .rerank(EXAMPLE_REQUEST)
        .catch((caught: unknown) => caught)) as InvalidResponseError;
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toMatch(messages[position]!);
      expect(error.status).toBe(200);
      expect(error.request_id).toBe('req_bad');
      expect(error.body).toBe(body);
      expect(server.requests).toHaveLength(1);
    }
  });

  it('a header undici refuses fails at once, without retries and without echoing the value', async () => {
    await using server = await startScriptedServer(answerOk);
    await using client = testClient(server.url);
    const error = await client
      .rerank(EXAMPLE_REQUEST, { headers: { 'x-trace': 'secret\nvalue' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SeaLinkError);
    expect(error).not.toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe('Invalid request: invalid x-trace header.');
    expect(server.requests).toHaveLength(0);
  });

  it('a refused connection is a connection error after the retries', async () => {
    const server = await startScriptedServer(answerOk);
    const { url } = server;
    await server.close();
    await using client = testClient(url, { maxRetries: 1 });
    const log = captureLogger();
    await using logged = testClient(url, { maxRetries: 1, logger: log.logger });
    await expect(client.rerank(EXAMPLE_REQUEST)).rejects.toBeInstanceOf(APIConnectionError);
    await expect(logged.rerank(EXAMPLE_REQUEST)).rejects.toThrow(/ECONNREFUSED/);
    expect(log.retries).toHaveLength(1);
  });
});

describe('the API key stays secret', () => {
  const key = 'sk-very-secret-4711';

  it('is absent from toString, inspect, JSON, errors and logs', async () => {
    await using server = await startScriptedServer(
      script(fail(503, { 'retry-after-ms': '1' }), (_request, response) =>
        sendJson(response, 401, ERROR_EXAMPLES.find(([type]) => type === 'authentication_error')?.[1]),
      ),
    );
    const log = captureLogger();
    await using client = new SeaLink({ apiKey: key, baseURL: `${server.url}/v1`, logger: log.logger });
    const error = await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${key}`);
    const views = [
      String(client),
      inspect(client, { showHidden: true, depth: 10 }),
      JSON.stringify(client),
      inspect(error, { showHidden: true, depth: 10 }),
      JSON.stringify(error),
      String(error),
      ...log.lines,
    ];
    for (const view of views) expect(view).not.toContain(key);
    expect(inspect(client)).toContain(server.url);
    expect(log.lines.length).toBeGreaterThan(2);
  });
});

describe('construction', () => {
  it('fails clearly without a key, reads SEALINK_API_KEY and SEALINK_BASE_URL, and takes apiKey: null', () => {
    const saved = { key: process.env.SEALINK_API_KEY, url: process.env.SEALINK_BASE_URL };
    try {
      delete process.env.SEALINK_API_KEY;
      delete process.env.SEALINK_BASE_URL;
      expect(() => new SeaLink()).toThrow(/Missing API key: pass `apiKey`.*SEALINK_API_KEY/);
      expect(() => new SeaLink()).toThrow(SeaLinkError);
      expect(new SeaLink({ apiKey: null }).baseURL).toBe('https://test.sealink.io/v1');
      process.env.SEALINK_API_KEY = 'sk-from-env';
      process.env.SEALINK_BASE_URL = 'http://127.0.0.1:9/v1/';
      const client = new SeaLink();
      expect(client.baseURL).toBe('http://127.0.0.1:9/v1');
      expect(client.timeout).toBe(60_000);
      expect(client.maxRetries).toBe(2);
    } finally {
      if (saved.key === undefined) delete process.env.SEALINK_API_KEY;
      else process.env.SEALINK_API_KEY = saved.key;
      if (saved.url === undefined) delete process.env.SEALINK_BASE_URL;
      else process.env.SEALINK_BASE_URL = saved.url;
    }
  });

  it('rejects bad options with a clear error that never echoes the key', () => {
    expect(() => new SeaLink({ apiKey: 'sk-line\nbreak' })).toThrow(/Invalid API key/);
    expect(() => new SeaLink({ apiKey: 'sk-line\nbreak' })).not.toThrow(/sk-line/);
    expect(() => new SeaLink({ apiKey: null, baseURL: 'not a url' })).toThrow(/Invalid baseURL/);
    expect(() => new SeaLink({ apiKey: null, baseURL: 'ftp://host/v1' })).toThrow(/http or https/);
    expect(() => new SeaLink({ apiKey: null, baseURL: 'http://host/v1?key=1' })).toThrow(/query or fragment/);
    expect(() => new SeaLink({ apiKey: null, timeout: 0 })).toThrow(/Invalid timeout/);
    expect(() => new SeaLink({ apiKey: null, timeout: Number.NaN })).toThrow(/Invalid timeout/);
    expect(() => new SeaLink({ apiKey: null, maxRetries: -1 })).toThrow(/Invalid maxRetries/);
    expect(() => new SeaLink({ apiKey: null, maxRetries: 1.5 })).toThrow(/Invalid maxRetries/);
  });
});
