import { createServer, type Socket } from 'node:net';
import { errorTypeOfStatus } from '@sealink/rerank-contract';
import fc from 'fast-check';
import { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { APIConnectionError } from './api-connection-error.js';
import { APIError, RateLimitError, UnexpectedStatusError, UpstreamError } from './api-error.js';
import { APIUserAbortError } from './api-user-abort-error.js';
import { InvalidResponseError } from './invalid-response-error.js';
import { SeaLink } from './sea-link.js';
import { SeaLinkError } from './sea-link-error.js';
import { MAX_ERROR_BODY_BYTES, MAX_RESPONSE_BYTES } from './send-attempt.js';
import { testClient } from './testing/disposable-client.js';
import { EXPECTED_ERROR_CLASSES } from './testing/expected-error-classes.js';
import { EXAMPLE_REQUEST, FIXED_RERANK_RESPONSE } from './testing/fixed-rerank-response.js';
import { processWarningsDuring } from './testing/process-warnings.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

const caught = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('requests that can never be sent', () => {
  it('a Content-Length or Expect header override fails at once, without retries', async () => {
    await using server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, FIXED_RERANK_RESPONSE),
    );
    const tries: string[] = [];
    const retries: string[] = [];
    const logger = {
      debug: (message: string) => tries.push(message),
      info: (message: string) => retries.push(message),
    };
    await using client = testClient(server.url, { maxRetries: 2, logger });
    for (const headers of [{ 'content-length': '5' }, { expect: '100-continue' }]) {
      tries.length = 0;
      const error = await caught(client.rerank(EXAMPLE_REQUEST, { headers }));
      expect(error, JSON.stringify(headers)).toBeInstanceOf(SeaLinkError);
      expect(error, JSON.stringify(headers)).not.toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/^Invalid request: /);
      // One try and no backoff wait (0.5 s + 1 s before the fix): the client logs each try and each wait.
      expect(tries, JSON.stringify(headers)).toEqual(['sealink request']);
      expect(retries, JSON.stringify(headers)).toEqual([]);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('params JSON cannot carry (BigInt, a cycle) are a SeaLinkError, not a TypeError, and send nothing', async () => {
    await using server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, FIXED_RERANK_RESPONSE),
    );
    await using client = testClient(server.url);
    const cyclic: Record<string, unknown> = { text: 'a' };
    cyclic.self = cyclic;
    for (const params of [
      { ...EXAMPLE_REQUEST, top_n: 1n },
      { ...EXAMPLE_REQUEST, documents: [cyclic] },
    ]) {
      const error = await caught(client.rerank(params as never));
      expect(SeaLinkError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/^Invalid request: the params cannot be sent as JSON/);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('large answers', () => {
  // Reading 64 MiB over loopback in one process is CPU work: 0.3 s on an idle machine, up to 8.4 s on a
  // loaded two-core one, where a 15 s timeout and a 10 s bound were too close. The bound stays half the timeout.
  it('a 2xx body that never ends fails once it passes the size limit, well before the timeout', {
    timeout: 90_000,
  }, async () => {
    await using server = await startScriptedServer((_request, response, socket) => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_big' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const write = (): void => {
        while (!socket.destroyed && response.write(chunk));
        if (!socket.destroyed) response.once('drain', write);
      };
      write();
    });
    await using client = testClient(server.url, { timeout: 60_000, maxRetries: 0 });
    const started = Date.now();
    const error = (await caught(client.rerank(EXAMPLE_REQUEST))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(`larger than the client's limit of ${MAX_RESPONSE_BYTES} bytes`);
    expect(error.request_id).toBe('req_big');
    expect(error.body.length).toBeLessThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(server.requests).toHaveLength(1);
  });

  it('a declared Content-Length over the limit fails without reading the body', async () => {
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(200, { 'content-length': String(MAX_RESPONSE_BYTES + 1) });
      response.write('{');
    });
    await using client = testClient(server.url, { timeout: 5_000 });
    const started = Date.now();
    const error = await caught(client.rerank(EXAMPLE_REQUEST));
    expect(error).toBeInstanceOf(InvalidResponseError);
    // A client that read the body (it never comes) would wait out the 5 s timeout: the bound is half that.
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('a huge error body keeps its status class, with the start of the body', async () => {
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.write(`<html><title>Bad Gateway</title>${'x'.repeat(MAX_ERROR_BODY_BYTES)}`);
    });
    await using client = testClient(server.url, { timeout: 5_000, maxRetries: 0 });
    const error = (await caught(client.rerank(EXAMPLE_REQUEST))) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/^502 status code: Bad Gateway x+…$/);
    expect((error.body as string).length).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
  });
});

describe('error answers outside the contract', () => {
  it("an nginx HTML 502 is an UpstreamError with the page's text as a one-line message", async () => {
    const html =
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
      '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html', 'x-request-id': 'req_gw' });
      response.end(html);
    });
    await using client = testClient(server.url, { maxRetries: 0 });
    const error = (await caught(client.rerank(EXAMPLE_REQUEST))) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toBe('502 status code: 502 Bad Gateway 502 Bad Gateway nginx');
    expect(error.request_id).toBe('req_gw');
    expect(error.body).toBe(html);
  });

  it("a JSON error of another API's shape gives its message", async () => {
    await using server = await startScriptedServer((_request, response) =>
      sendJson(response, 429, { error: { message: 'Too many requests', type: 'requests' } }),
    );
    await using client = testClient(server.url, { maxRetries: 0 });
    const error = (await caught(client.rerank(EXAMPLE_REQUEST))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toBe('429 status code: Too many requests');
  });

  it('never repeats the API key that a proxy echoes, in messages, bodies or JSON', async () => {
    const apiKey = 'sk-live-0123456789abcdef';
    await using server = await startScriptedServer((request, response) => {
      const echo = `invalid token ${request.headers.authorization}`;
      // A proxy that also echoes the credential in response headers (one value, and one of two).
      response.setHeader('x-echoed-authorization', `${request.headers.authorization}`);
      response.setHeader('x-debug', ['first', `seen ${request.headers.authorization} here`]);
      if (request.url.endsWith('/models')) {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(echo);
      } else sendJson(response, 403, { error: { message: echo } });
    });
    const client = new SeaLink({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
    try {
      for (const call of [client.rerank(EXAMPLE_REQUEST), client.models.list()]) {
        const error = (await caught(call)) as SeaLinkError;
        expect(SeaLinkError.isInstance(error)).toBe(true);
        const seen = [
          error.message,
          String(error),
          JSON.stringify(error),
          JSON.stringify((error as { body?: unknown }).body),
        ];
        const headers = (error as { headers?: Headers }).headers;
        expect(headers).toBeInstanceOf(Headers);
        seen.push(JSON.stringify([...headers!.entries()]));
        for (const text of seen) expect(text).not.toContain(apiKey);
        expect(JSON.stringify(error)).toContain('invalid token Bearer [redacted]');
        expect(headers!.get('x-echoed-authorization')).toBe('Bearer [redacted]');
        expect(headers!.get('x-debug')).toBe('first, seen Bearer [redacted] here');
      }
      // A key given in a header of the call (or defaultHeaders) is just as secret.
      const other = 'sk-other-fedcba9876543210';
      const error = (await caught(
        client.rerank(EXAMPLE_REQUEST, { headers: { Authorization: `Bearer ${other}` } }),
      )) as SeaLinkError;
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(other);
      expect(JSON.stringify([...(error as APIError).headers.entries()])).not.toContain(other);
    } finally {
      await client.close();
    }
  });
});

describe('any junk from a raw TCP server (property)', () => {
  // Each junk answer that never ends waits out the 400 ms timeout: the 100 runs took 6 s on an idle machine
  // and up to 11 s on a loaded two-core one, over half of the package's 20 s test timeout.
  it('ends in a SeaLinkError or a valid answer, never a TypeError or a hang', {
    timeout: 60_000,
  }, async () => {
    let reply: { bytes: Buffer; end: boolean } = { bytes: Buffer.alloc(0), end: true };
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      socket.once('data', () => {
        socket.write(reply.bytes);
        if (reply.end) socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await using client = testClient(`http://127.0.0.1:${port}`, { maxRetries: 0, timeout: 400 });
    const status = fc.integer({ min: 200, max: 599 });
    const head = fc.tuple(
      status,
      fc.array(
        fc.constantFrom(
          'Content-Type: application/json',
          'Content-Type: text/html',
          'Content-Length: 3',
          'Content-Length: 100',
          'Content-Length: -1',
          'Transfer-Encoding: chunked',
          'Retry-After: 0',
          'X-Request-Id: req_junk',
          'X-Should-Retry: true',
        ),
        { maxLength: 4 },
      ),
    );
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('{}', 'null', '[]', '"x"', '{"error":null}', '{"error":{"type":"nope"}}', '<html>'),
      fc.constant(JSON.stringify(FIXED_RERANK_RESPONSE)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    const response = fc.oneof(
      fc
        .tuple(head, body)
        .map(
          ([[code, lines], text]) =>
            `HTTP/1.1 ${code} X\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n${text}`,
        ),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    try {
      await fc.assert(
        fc.asyncProperty(response, fc.boolean(), async (raw, end) => {
          reply = { bytes: Buffer.from(raw, 'latin1'), end };
          const started = Date.now();
          const outcome = await caught(client.rerank(EXAMPLE_REQUEST));
          if (outcome !== undefined) expect(SeaLinkError.isInstance(outcome), String(outcome)).toBe(true);
          expect(Date.now() - started).toBeLessThan(2_000);
        }),
        { numRuns: 100 },
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('baseURL', () => {
  it('a bare origin means the API at /v1; a path of its own, slashes aside, is kept', async () => {
    await using server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, FIXED_RERANK_RESPONSE),
    );
    const cases = [
      [server.url, `${server.url}/v1`, '/v1/rerank'],
      [`${server.url}/`, `${server.url}/v1`, '/v1/rerank'],
      [`${server.url}//`, `${server.url}/v1`, '/v1/rerank'],
      [`${server.url}/v1/`, `${server.url}/v1`, '/v1/rerank'],
      [`${server.url}/gateway/sealink/v1`, `${server.url}/gateway/sealink/v1`, '/gateway/sealink/v1/rerank'],
    ] as const;
    for (const [baseURL, resolved, path] of cases) {
      await using client = new SeaLink({ apiKey: null, baseURL });
      expect(client.baseURL, baseURL).toBe(resolved);
      await client.rerank(EXAMPLE_REQUEST);
      expect(server.requests.at(-1)?.url, baseURL).toBe(path);
    }
  });

  it('is taken as the URL parser reads it: white space around it, an empty query or fragment', async () => {
    await using server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, FIXED_RERANK_RESPONSE),
    );
    const cases = [
      // A value pasted with a space or a line break, as from a config file (the environment is trimmed).
      [`${server.url} `, `${server.url}/v1`],
      [` ${server.url}/v1\n`, `${server.url}/v1`],
      // An empty query or fragment: the URL has none, so nothing is refused, and the path stays the API's.
      [`${server.url}?`, `${server.url}/v1`],
      [`${server.url}/v1#`, `${server.url}/v1`],
      [`${server.url}/v1/?`, `${server.url}/v1`],
    ] as const;
    for (const [baseURL, resolved] of cases) {
      await using client = new SeaLink({ apiKey: null, baseURL });
      expect(client.baseURL, JSON.stringify(baseURL)).toBe(resolved);
      await client.rerank(EXAMPLE_REQUEST);
      expect(server.requests.at(-1)?.url, JSON.stringify(baseURL)).toBe('/v1/rerank');
    }
  });
});

describe('request ids', () => {
  it('two X-Request-Id headers (a proxy adds its own) give the first id on every path, never "a, b"', async () => {
    const ids = ['req_first', 'req_second'];
    await using server = await startScriptedServer((request, response) => {
      const status = request.url.endsWith('/models') ? 200 : 503;
      response.setHeader('x-request-id', ids);
      response.setHeader('content-type', 'application/json');
      response.writeHead(status);
      response.end(status === 200 ? '{"object":"nope"}' : '{}');
    });
    await using client = testClient(server.url, { maxRetries: 0 });
    const apiError = (await caught(client.rerank(EXAMPLE_REQUEST))) as { request_id: unknown };
    const invalid = (await caught(client.models.list())) as { request_id: unknown };
    expect(apiError.request_id).toBe('req_first');
    expect(invalid).toBeInstanceOf(InvalidResponseError);
    expect(invalid.request_id).toBe('req_first');
  });
});

describe('request ids of answers', () => {
  it('one X-Request-Id line a proxy joined ("a, b") gives the first id on success as on errors', async () => {
    await using server = await startScriptedServer((request, response) => {
      const status = request.url.endsWith('/rerank') ? 200 : 404;
      response.writeHead(status, {
        'content-type': 'application/json',
        'x-request-id': 'req_first, req_proxy',
      });
      response.end(status === 200 ? JSON.stringify(FIXED_RERANK_RESPONSE) : '{}');
    });
    await using client = testClient(server.url, { maxRetries: 0 });
    const { data, request_id } = await client.rerank(EXAMPLE_REQUEST).withResponse();
    expect(request_id).toBe('req_first');
    expect(data.request_id).toBe('req_first');
    const notFound = (await caught(client.models.list())) as { request_id: unknown };
    expect(notFound.request_id).toBe('req_first');
  });
});

describe('aborts', () => {
  it("an abort during the wait between retries ends at once with the caller's reason as the cause", async () => {
    await using server = await startScriptedServer((_request, response) =>
      sendJson(response, 503, {}, { 'retry-after': '30' }),
    );
    // The client logs each wait before a retry (info) as it starts it: the abort comes once the wait has
    // started, not 50 ms after the server saw the request (a guess a loaded machine can outlast, which made
    // this an abort of the request itself, not of the wait).
    let waiting!: () => void;
    const waitStarted = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    await using client = testClient(server.url, { logger: { debug: () => {}, info: () => waiting() } });
    const controller = new AbortController();
    const pending = caught(client.rerank(EXAMPLE_REQUEST, { signal: controller.signal }));
    await waitStarted;
    const reason = new Error('caller gave up');
    controller.abort(reason);
    // Without the abort ending it, the wait lasts the 30 s the server asks for: a third of that is ample
    // on a loaded machine, and a call that waited it out would fail alike (its aborted signal sends nothing).
    const error = (await Promise.race([
      pending,
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000).unref()),
    ])) as APIUserAbortError;
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.cause).toBe(reason);
    expect(server.requests).toHaveLength(1);
  });

  it('one signal shared by many parallel calls gives no MaxListenersExceededWarning, as with fetch', async () => {
    // Each answer comes after 50 ms, so that all 20 calls are in flight at once.
    await using server = await startScriptedServer((_request, response) => {
      setTimeout(() => sendJson(response, 200, FIXED_RERANK_RESPONSE), 50);
    });
    await using client = testClient(server.url);
    const warnings = await processWarningsDuring(async () => {
      const { signal } = new AbortController();
      const calls = Array.from({ length: 20 }, () => client.rerank(EXAMPLE_REQUEST, { signal }));
      const answers = await Promise.all(calls);
      expect(answers).toHaveLength(20);
      expect(server.requests).toHaveLength(20);
    });
    expect(warnings).toEqual([]);
  });
});

describe('any error answer (property)', () => {
  it('is the APIError class of its status, with a one-line message that starts with the status', async () => {
    let answer = { status: 500, body: '', type: 'text/html' };
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(answer.status, { 'content-type': answer.type, 'x-should-retry': 'false' });
      response.end(answer.body);
    });
    await using client = testClient(server.url, { maxRetries: 0 });
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.json({ maxDepth: 3 }),
      fc
        .tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }))
        .map(
          ([title, text]) => `<html>\n<head><title>${title}</title></head>\n<body>\n${text}\n</body></html>`,
        ),
      fc.string({ maxLength: 60 }).map((message) => JSON.stringify({ error: { message } })),
      fc.string({ maxLength: 60 }).map((message) => JSON.stringify({ message })),
    );
    const status = fc.integer({ min: 300, max: 599 }).filter((code) => code !== 304);
    await fc.assert(
      fc.asyncProperty(
        status,
        body,
        fc.constantFrom('text/html', 'application/json', 'text/plain'),
        async (code, text, type) => {
          answer = { status: code, body: text, type };
          const error = (await caught(client.rerank(EXAMPLE_REQUEST))) as APIError;
          expect(error).toBeInstanceOf(APIError);
          const errorType = errorTypeOfStatus(code);
          expect(error).toBeInstanceOf(
            errorType === undefined ? UnexpectedStatusError : EXPECTED_ERROR_CLASSES[errorType],
          );
          expect(error.status).toBe(code);
          expect(error.message.startsWith(`${code} `)).toBe(true);
          expect(error.message).not.toMatch(/[\r\n]/);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('a dispatcher that throws', () => {
  it('fails at once as a SeaLinkError, without retries, and leaves no timer behind', async () => {
    let calls = 0;
    class Throwing extends Dispatcher {
      override dispatch(): boolean {
        calls++;
        throw new TypeError('not today');
      }
    }
    const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    const client = new SeaLink({
      apiKey: null,
      baseURL: 'http://127.0.0.1:9/v1',
      dispatcher: new Throwing(),
      timeout: 60_000,
    });
    const error = await caught(client.rerank(EXAMPLE_REQUEST));
    expect(SeaLinkError.isInstance(error)).toBe(true);
    expect(error).not.toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/not today/);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
    expect(timers()).toBe(before);
  });
});

describe('answers that do not fit the request', () => {
  it('a result index out of range or repeated is an InvalidResponseError, in rerank and in rerankAll', async () => {
    const result = (index: number, score: number) => ({ index, relevance_score: score });
    let results = [result(7, 0.9)];
    await using server = await startScriptedServer((request, response) => {
      const model = (JSON.parse(request.body) as { model?: string } | null)?.model ?? 'm';
      sendJson(response, 200, { id: 'rerank-1', model, results, usage: { total_tokens: 1 } });
    });
    await using client = testClient(server.url);
    const request = { model: 'm', query: 'q', documents: ['a', 'b', 'c'], return_documents: false };
    for (const bad of [[result(7, 0.9)], [result(3, 0.9)], [result(1, 0.9), result(1, 0.8)]]) {
      results = bad;
      const error = (await caught(client.rerank(request))) as InvalidResponseError;
      expect(error, JSON.stringify(bad)).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toMatch(/results\[\d\]\.index/);
    }
    // Params that are not a request at all, answered 200 by a server that does not check: no TypeError.
    expect(await caught(client.rerank(null as never))).toBeInstanceOf(InvalidResponseError);
    // In rerankAll, chunk 0's index 3 would become document 3 of chunk 1: a wrong, silent merge before.
    results = [result(3, 0.9)];
    const split = await caught(
      client.rerankAll({ ...request, documents: ['a', 'b', 'c', 'd'] }, { chunkSize: 2 }),
    );
    expect(split).toBeInstanceOf(InvalidResponseError);
  });

  it('too few or too many results for top_n, or results out of order, are an InvalidResponseError, not retried', async () => {
    const result = (index: number, score: number) => ({ index, relevance_score: score });
    let results = [result(0, 0.9)];
    await using server = await startScriptedServer((_request, response) =>
      // No usage, as the public API page's example answers: only the results can show the break.
      sendJson(response, 200, { id: 'rerank-1', model: 'm', results }),
    );
    await using client = testClient(server.url);
    const documents = ['a', 'b', 'c'];
    const cases = [
      // The mock's contract-violation fault: reversed, one result dropped.
      { top_n: 2, results: [result(0, 0.5)], problem: /1 results?, but the request asks for 2/ },
      { top_n: undefined, results: [result(2, 0.9), result(0, 0.5)], problem: /2 results?, but .* 3/ },
      {
        top_n: 1,
        results: [result(2, 0.9), result(0, 0.5)],
        problem: /2 results?, but the request asks for 1/,
      },
      {
        top_n: 3,
        results: [result(0, 0.5), result(2, 0.9), result(1, 0.1)],
        problem: /results\[1\] is out of order/,
      },
      // Equal scores go by index ascending.
      { top_n: 2, results: [result(2, 0.5), result(0, 0.5)], problem: /results\[1\] is out of order/ },
    ];
    for (const { top_n, results: answer, problem } of cases) {
      results = answer;
      const before = server.requests.length;
      const error = (await caught(client.rerank({ model: 'm', query: 'q', documents, top_n }))) as Error;
      expect(error, JSON.stringify(answer)).toBeInstanceOf(InvalidResponseError);
      expect(error.message, JSON.stringify(answer)).toMatch(problem);
      expect(server.requests.length - before).toBe(1);
    }
    // Answers that keep the contract pass: ties by index, top_n above the document count. The results
    // carry no document, so the requests ask for none (a request that asks for them must get them).
    const bare = { model: 'm', query: 'q', documents, return_documents: false } as const;
    results = [result(0, 0.5), result(2, 0.5), result(1, 0.1)];
    await expect(client.rerank({ ...bare, top_n: 10 })).resolves.toMatchObject({ results });
    results = [result(0, 0.5), result(2, 0.5)];
    await expect(client.rerank({ ...bare, top_n: 2 })).resolves.toMatchObject({ results });
  });
});
