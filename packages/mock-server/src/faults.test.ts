import { ErrorResponse, EXAMPLE_RERANK_REQUEST, type RerankRequest } from '@sealink/rerank-contract';
import { checkRerankResponse } from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import type { MockFault } from './mock-fault.js';
import type { MockServerOptions } from './mock-options.js';
import { startMockServer as startServer } from './start-mock-server.js';

const rerankBody: RerankRequest = {
  ...EXAMPLE_RERANK_REQUEST,
  documents: [...EXAMPLE_RERANK_REQUEST.documents],
};

function postRerank(url: string, headers: Record<string, string> = {}, body: unknown = rerankBody) {
  return request(`${url}/v1/rerank`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe.each([{ overrideGlobalObjects: false }, { overrideGlobalObjects: true }])(
  'faults, checked with a raw undici client (%o)',
  (serverOptions) => {
    const startMockServer = (options: MockServerOptions = {}) =>
      startServer({ ...serverOptions, ...options });

    it('plays a queued scenario in order: 429 with rate-limit headers, then 503, then a normal 200', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue(
        {
          kind: 'error',
          status: 429,
          retryAfter: '2',
          retryAfterMs: 1500,
          shouldRetry: true,
          rateLimit: { limit: 10, remaining: 0, resetSeconds: 7 },
        },
        { kind: 'error', status: 503, retryAfter: 'Wed, 21 Oct 2037 07:28:00 GMT', shouldRetry: false },
      );
      const first = await postRerank(mock.url);
      const firstBody = ErrorResponse.parse(await first.body.json());
      expect(first.statusCode).toBe(429);
      expect(firstBody.error.type).toBe('rate_limit_error');
      expect(firstBody.error.code).toBe('rate_limited');
      expect(firstBody.error.request_id).toBe(first.headers['x-request-id']);
      expect(first.headers['retry-after']).toBe('2');
      expect(first.headers['retry-after-ms']).toBe('1500');
      expect(first.headers['x-should-retry']).toBe('true');
      expect(first.headers['x-ratelimit-limit-requests']).toBe('10');
      expect(first.headers['x-ratelimit-remaining-requests']).toBe('0');
      expect(first.headers['x-ratelimit-reset-requests']).toBe('7');

      const second = await postRerank(mock.url);
      expect(second.statusCode).toBe(503);
      expect(ErrorResponse.parse(await second.body.json()).error.type).toBe('overloaded_error');
      expect(second.headers['retry-after']).toBe('Wed, 21 Oct 2037 07:28:00 GMT');
      expect(second.headers['x-should-retry']).toBe('false');

      const third = await postRerank(mock.url);
      expect(third.statusCode).toBe(200);
      expect(checkRerankResponse(rerankBody, await third.body.json())).toEqual([]);
      expect(mock.requests.map((entry) => [entry.status, entry.fault?.kind])).toEqual([
        [429, 'error'],
        [503, 'error'],
        [200, undefined],
      ]);
    });

    it('defaults the code of an error fault to the one the real server sends for its type', async () => {
      await using mock = await startMockServer();
      const statuses = [404, 502, 503, 504];
      mock.faults.enqueue(...statuses.map((status) => ({ kind: 'error' as const, status })));
      const codes: string[] = [];
      for (const _status of statuses) {
        codes.push(ErrorResponse.parse(await (await postRerank(mock.url)).body.json()).error.code);
      }
      expect(codes).toEqual([
        'model_not_found',
        'upstream_status_error',
        'upstream_overloaded',
        'request_timeout',
      ]);
    });

    it('sends an error of any status with the given type, code, message and extra headers', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({
        kind: 'error',
        status: 502,
        type: 'upstream_error',
        code: 'engine_down',
        message: 'The engine is down.',
        headers: { 'x-extra': 'yes' },
      });
      const answer = await postRerank(mock.url);
      expect(answer.statusCode).toBe(502);
      expect(answer.headers['x-extra']).toBe('yes');
      const body = ErrorResponse.parse(await answer.body.json());
      expect(body.error).toMatchObject({
        type: 'upstream_error',
        code: 'engine_down',
        message: 'The engine is down.',
      });
    });

    it('applies a matcher rule only to matching queries, at most `times` times', async () => {
      await using mock = await startMockServer();
      const rule = mock.faults.when({ query: /sourdough/ }, { kind: 'error', status: 500 }, { times: 2 });
      const other = await postRerank(mock.url);
      expect(other.statusCode).toBe(200);
      await other.body.dump();
      const matching = { ...rerankBody, query: 'sourdough starter' };
      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const answer = await postRerank(mock.url, {}, matching);
        statuses.push(answer.statusCode);
        await answer.body.dump();
      }
      expect(statuses).toEqual([500, 500, 200]);
      expect(rule.applied).toBe(2);
      expect(mock.faults.rules).toHaveLength(0);
    });

    it('matches rules by path and model, and a queued fault goes before a rule', async () => {
      await using mock = await startMockServer();
      mock.faults.when({ path: '/v1/models' }, { kind: 'error', status: 503 });
      mock.faults.when({ model: 'bm25' }, { kind: 'error', status: 504 });
      const models = await request(`${mock.url}/v1/models`);
      expect(models.statusCode).toBe(503);
      await models.body.dump();
      const bm25 = await postRerank(mock.url, {}, { ...rerankBody, model: 'bm25' });
      expect(bm25.statusCode).toBe(504);
      await bm25.body.dump();
      mock.faults.enqueue({ kind: 'error', status: 500 });
      const queued = await postRerank(mock.url, {}, { ...rerankBody, model: 'bm25' });
      expect(queued.statusCode).toBe(500);
      await queued.body.dump();
      const qwen = await postRerank(mock.url);
      expect(qwen.statusCode).toBe(200);
      await qwen.body.dump();
    });

    it('takes a fault from the x-mock-fault header, and refuses an invalid one with a 400', async () => {
      await using mock = await startMockServer();
      const faulted = await postRerank(mock.url, {
        'x-mock-fault': JSON.stringify({ kind: 'error', status: 429, retryAfter: '1' }),
      });
      expect(faulted.statusCode).toBe(429);
      expect(faulted.headers['retry-after']).toBe('1');
      await faulted.body.dump();
      const invalid = await postRerank(mock.url, { 'x-mock-fault': '{"kind":"error","status":200}' });
      expect(invalid.statusCode).toBe(400);
      const body = ErrorResponse.parse(await invalid.body.json());
      expect(body.error.code).toBe('invalid_mock_fault');
      expect(body.error.param).toBe('x-mock-fault');
    });

    it('serves many requests waiting out a latency at once without a MaxListenersExceededWarning', async () => {
      await using mock = await startMockServer({ latency: 100 });
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const answers = await Promise.all(Array.from({ length: 20 }, () => postRerank(mock.url)));
        for (const answer of answers) {
          expect(answer.statusCode).toBe(200);
          await answer.body.dump();
        }
        // Warnings are emitted on the next tick.
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('warning', onWarning);
      }
      expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    });

    it('waits before the headers for a latency fault', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'latency', ms: 150 });
      const started = performance.now();
      const answer = await postRerank(mock.url);
      const waited = performance.now() - started;
      expect(answer.statusCode).toBe(200);
      expect(checkRerankResponse(rerankBody, await answer.body.json())).toEqual([]);
      expect(mock.requests[0]?.delayMs).toBe(150);
      // A lower bound only (a delay never ends early), so a slow machine cannot make it fail.
      expect(waited).toBeGreaterThanOrEqual(145);
    });

    it('dribbles the body in several chunks for a body latency fault, and the joined body is the normal answer', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'latency', ms: 200, phase: 'body' });
      const answer = await postRerank(mock.url);
      expect(answer.statusCode).toBe(200);
      const chunks: Buffer[] = [];
      for await (const chunk of answer.body) chunks.push(chunk as Buffer);
      expect(chunks.length).toBeGreaterThan(3);
      const text = Buffer.concat(chunks).toString('utf8');
      expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(text));
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      expect(answer.headers['x-request-id']).toBe(mock.requests[0]?.requestId);
      expect(checkRerankResponse(rerankBody, JSON.parse(text))).toEqual([]);
    });

    it('resets the connection before the headers', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'reset', phase: 'before-headers' });
      await expect(postRerank(mock.url)).rejects.toMatchObject({
        code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/),
      });
      const after = await postRerank(mock.url);
      expect(after.statusCode).toBe(200);
      await after.body.dump();
    });

    it('resets the connection in the middle of the body, after the headers and part of it', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'reset', phase: 'mid-body' });
      const answer = await postRerank(mock.url);
      expect(answer.statusCode).toBe(200);
      const length = Number(answer.headers['content-length']);
      expect(length).toBeGreaterThan(0);
      const received: Buffer[] = [];
      const failure = await (async () => {
        try {
          for await (const chunk of answer.body) received.push(chunk as Buffer);
          return undefined;
        } catch (error) {
          return error as Error & { code?: string };
        }
      })();
      expect(failure).toBeInstanceOf(Error);
      expect(Buffer.concat(received).byteLength).toBeLessThan(length);
    });

    it('answers 200 with an empty body', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'empty' });
      const answer = await postRerank(mock.url);
      expect(answer.statusCode).toBe(200);
      expect(await answer.body.text()).toBe('');
    });

    it('answers 200 with JSON cut in half', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'malformed-json' });
      const answer = await postRerank(mock.url);
      expect(answer.statusCode).toBe(200);
      const text = await answer.body.text();
      expect(text.startsWith('{"id":"rerank-')).toBe(true);
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
    });

    it('answers 200 with JSON that breaks the contract', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'contract-violation' });
      const answer = await postRerank(mock.url);
      expect(answer.statusCode).toBe(200);
      const problems = checkRerankResponse(rerankBody, await answer.body.json());
      expect(problems.length).toBeGreaterThan(0);
    });

    it('hangs until the client gives up, and the server is not left holding it', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'hang' });
      const hanging = postRerank(mock.url, {}).then(
        () => 'answered',
        (error: Error) => error.name,
      );
      // Waits for the request to reach the mock and start hanging: a fixed sleep can end before it arrives.
      await vi.waitFor(() => expect(mock.requests.at(-1)?.fault?.kind).toBe('hang'), { timeout: 10_000 });
      expect(mock.requests.at(-1)?.status).toBeUndefined();
      const other = await postRerank(mock.url);
      expect(other.statusCode).toBe(200);
      await other.body.dump();
      await mock.close();
      expect(await hanging).not.toBe('answered');
    });

    it('ends a hang when the client aborts', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'hang' });
      const controller = new AbortController();
      const hanging = request(`${mock.url}/v1/rerank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rerankBody),
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 50);
      await expect(hanging).rejects.toMatchObject({ name: 'AbortError' });
    });

    it('closes promptly with a hang in progress: close() ends it', async () => {
      const mock = await startMockServer();
      mock.faults.enqueue({ kind: 'hang' });
      const hanging = postRerank(mock.url).then(
        () => 'answered',
        (error: Error & { code?: string }) => error.code ?? error.name,
      );
      // Closed once the hang is in progress, not after a fixed sleep that can end before the request arrives.
      await vi.waitFor(() => expect(mock.requests.at(-1)?.fault?.kind).toBe('hang'), { timeout: 10_000 });
      await mock.close();
      expect(await hanging).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    });

    it('clear() empties the journal and removes pending faults and rules', async () => {
      await using mock = await startMockServer();
      mock.faults.enqueue({ kind: 'error', status: 500 });
      mock.faults.when({}, { kind: 'error', status: 503 });
      const answer = await request(`${mock.url}/nowhere`);
      await answer.body.dump();
      expect(mock.requests).toHaveLength(1);
      expect(mock.unmatchedRequests).toHaveLength(1);
      mock.clear();
      expect(mock.requests).toHaveLength(0);
      expect(mock.unmatchedRequests).toHaveLength(0);
      expect(mock.faults.pending).toHaveLength(0);
      const normal = await postRerank(mock.url);
      expect(normal.statusCode).toBe(200);
      await normal.body.dump();
    });

    it('refuses an invalid fault given in code', async () => {
      await using mock = await startMockServer();
      expect(() => mock.faults.enqueue({ kind: 'error', status: 302 })).toThrow(/Invalid mock fault/);
      expect(() => mock.faults.when({}, { kind: 'latency', ms: 10 }, { times: 0 })).toThrow(RangeError);
    });

    it('names the index of the invalid fault of a list, in code and through POST /__mock/faults', async () => {
      await using mock = await startMockServer();
      expect(() => mock.faults.enqueue({ kind: 'error', status: 302 })).toThrow(
        "Invalid mock fault at 'status': Too small: expected number to be >=400.",
      );
      expect(() =>
        mock.faults.enqueueAll([{ kind: 'empty' }, { kind: 'hang' }, { kind: 'error', status: 700 }]),
      ).toThrow("Invalid mock fault [2] at 'status': Too big: expected number to be <=599.");
      expect(mock.faults.pending).toEqual([]);

      const answer = await request(`${mock.url}/__mock/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ kind: 'empty' }, { kind: 'error', status: 429, retryAfter: 5 }]),
      });
      expect(answer.statusCode).toBe(400);
      const body = ErrorResponse.parse(await answer.body.json());
      expect(body.error.code).toBe('invalid_mock_fault');
      expect(body.error.message).toBe(
        "Invalid mock fault [1] at 'retryAfter': Invalid input: expected string, received number.",
      );
      expect(mock.faults.pending).toEqual([]);
    });
  },
);

describe('faults apply only to authenticated requests', () => {
  const wrongAuthorization = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('Bearer wrong-key', 'Bearer', 'Basic dGVzdDp0ZXN0', 'test-key', 'Bearer test-key extra'),
    fc.string({ maxLength: 30 }).filter((value) => /^[\x21-\x7e ]*$/.test(value) && !/test-key/.test(value)),
  );
  const anyFault = fc.constantFrom<MockFault>(
    { kind: 'error', status: 503 },
    { kind: 'error', status: 429, retryAfter: '1' },
    { kind: 'empty' },
    { kind: 'malformed-json' },
    { kind: 'contract-violation' },
    { kind: 'hang' },
    { kind: 'reset', phase: 'before-headers' },
    { kind: 'reset', phase: 'mid-body' },
    { kind: 'latency', ms: 1, phase: 'body' },
  );

  it('property: a missing or wrong key gets 401 in the contract shape whatever fault is queued, in a rule or in the header', async () => {
    await using mock = await startServer({ apiKeys: ['test-key'] });
    await fc.assert(
      fc.asyncProperty(
        wrongAuthorization,
        anyFault,
        fc.constantFrom('queue', 'rule', 'header'),
        fc.constantFrom('/v1/rerank', '/v1/models'),
        async (authorization, fault, how, path) => {
          mock.clear();
          if (how === 'queue') mock.faults.enqueue(fault);
          if (how === 'rule') mock.faults.when({}, fault);
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (authorization !== undefined) headers.authorization = authorization;
          if (how === 'header') headers['x-mock-fault'] = JSON.stringify(fault);
          const answer = await request(`${mock.url}${path}`, {
            method: path === '/v1/rerank' ? 'POST' : 'GET',
            headers,
            body: path === '/v1/rerank' ? JSON.stringify(rerankBody) : null,
            headersTimeout: 2000,
          });
          const text = await answer.body.text();
          expect(answer.statusCode).toBe(401);
          const { error } = ErrorResponse.parse(JSON.parse(text));
          expect(error.request_id).toBe(answer.headers['x-request-id']);
          expect(mock.requests[0]?.fault).toBeUndefined();
          // A queued fault is left for the next authenticated request.
          expect(mock.faults.pending).toHaveLength(how === 'queue' ? 1 : 0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves a queued fault for the next authenticated request, and journals the refused body', async () => {
    await using mock = await startServer({ apiKeys: ['test-key'] });
    mock.faults.enqueue({ kind: 'error', status: 503 });
    const refused = await postRerank(mock.url, { authorization: 'Bearer nope' });
    expect(refused.statusCode).toBe(401);
    expect(ErrorResponse.parse(await refused.body.json()).error.code).toBe('invalid_api_key');
    const faulted = await postRerank(mock.url, { authorization: 'Bearer test-key' });
    expect(faulted.statusCode).toBe(503);
    await faulted.body.dump();
    expect(mock.requests.map((entry) => [entry.status, entry.fault?.kind])).toEqual([
      [401, undefined],
      [503, 'error'],
    ]);
    expect(mock.requests[0]?.body).toEqual(rerankBody);
  });

  it('answers 401 before 413: an unauthenticated body over the limit is refused for its key', async () => {
    await using mock = await startServer({ apiKeys: ['test-key'], maxBodyBytes: 64 });
    const refused = await postRerank(mock.url);
    expect(refused.statusCode).toBe(401);
    await refused.body.dump();
    const tooLarge = await postRerank(mock.url, { authorization: 'Bearer test-key' });
    expect(tooLarge.statusCode).toBe(413);
    await tooLarge.body.dump();
  });
});
