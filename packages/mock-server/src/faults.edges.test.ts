import { ErrorResponse, EXAMPLE_RERANK_REQUEST, type RerankRequest } from '@sealink/rerank-contract';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startMockServer } from './start-mock-server.js';

const rerankBody: RerankRequest = {
  ...EXAMPLE_RERANK_REQUEST,
  documents: [...EXAMPLE_RERANK_REQUEST.documents],
};

async function postRerank(url: string, body: unknown = rerankBody) {
  const answer = await request(`${url}/v1/rerank`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: answer.statusCode, text: await answer.body.text() };
}

describe('mock faults, edge cases over a real socket', () => {
  it('matches a rule with a global (/g) regular expression on every request, not every other one', async () => {
    await using mock = await startMockServer();
    // A /g regex keeps lastIndex between test() calls: without a reset, every second match would fail.
    mock.faults.when({ query: /sourdough/g }, { kind: 'error', status: 500 }, { times: 3 });
    const matching = { ...rerankBody, query: 'sourdough starter' };
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++)
      statuses.push((await postRerank(mock.url, matching)).status);
    expect(statuses).toEqual([500, 500, 500, 200]);
  });

  it('answers an error fault of a status the contract has no type for with internal_error (5xx) or invalid_request_error (4xx)', async () => {
    await using mock = await startMockServer();
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 400, max: 599 })
          .filter((status) => ![400, 401, 403, 404, 405, 413, 415, 429, 500, 502, 503, 504].includes(status)),
        async (status) => {
          mock.faults.enqueue({ kind: 'error', status });
          const answer = await postRerank(mock.url);
          expect(answer.status).toBe(status);
          const { error } = ErrorResponse.parse(JSON.parse(answer.text));
          expect(error.type).toBe(status >= 500 ? 'internal_error' : 'invalid_request_error');
          expect(error.code).toBe(status >= 500 ? 'internal_error' : 'invalid_request');
        },
      ),
      { numRuns: 25, examples: [[418], [599], [501]] },
    );
  });

  it('journals the sum of the server-wide latency and a latency fault', async () => {
    await using mock = await startMockServer({ latency: 20 });
    mock.faults.enqueue({ kind: 'latency', ms: 30 });
    expect((await postRerank(mock.url)).status).toBe(200);
    expect(mock.requests[0]?.delayMs).toBe(50);
  });

  it('answers a malformed-json fault with the first half of the normal answer', async () => {
    await using mock = await startMockServer();
    const normal = await postRerank(mock.url);
    mock.faults.enqueue({ kind: 'malformed-json' });
    const broken = await postRerank(mock.url);
    expect(broken.status).toBe(200);
    expect(() => JSON.parse(broken.text)).toThrow(SyntaxError);
    // The answer's id differs per request; everything before it is the same prefix.
    expect(broken.text.length).toBe(Math.floor(normal.text.length / 2));
    expect(normal.text.startsWith(broken.text.slice(0, broken.text.indexOf('"id"')))).toBe(true);
  });
});

describe('faults that spoil the normal answer keep its headers', () => {
  it('keeps the Allow of a 405 under a body latency, a mid-body reset and a contract violation', async () => {
    await using mock = await startMockServer();
    const faults = [
      { kind: 'latency', ms: 10, phase: 'body' },
      { kind: 'reset', phase: 'mid-body' },
      { kind: 'contract-violation' },
    ] as const;
    for (const fault of faults) {
      const answer = await request(`${mock.url}/v1/rerank`, {
        headers: { 'x-mock-fault': JSON.stringify(fault) },
      });
      await answer.body.text().catch(() => undefined);
      expect({ fault: fault.kind, status: answer.statusCode, allow: answer.headers.allow }).toEqual({
        fault: fault.kind,
        status: 405,
        allow: 'POST',
      });
    }
  });

  it("keeps the upstream's Retry-After, rate-limit and violation-count headers in proxy mode", async () => {
    await using upstream = await startMockServer();
    upstream.faults.when(
      {},
      {
        kind: 'error',
        status: 429,
        retryAfter: '7',
        rateLimit: { limit: 10, remaining: 0, resetSeconds: 7 },
      },
    );
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    for (const fault of [
      { kind: 'latency', ms: 10, phase: 'body' },
      { kind: 'reset', phase: 'mid-body' },
    ]) {
      const answer = await request(`${proxy.url}/v1/rerank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mock-fault': JSON.stringify(fault) },
        body: JSON.stringify(rerankBody),
      });
      await answer.body.text().catch(() => undefined);
      expect({
        fault: fault.kind,
        status: answer.statusCode,
        retryAfter: answer.headers['retry-after'],
        remaining: answer.headers['x-ratelimit-remaining-requests'],
        violations: answer.headers['x-mock-contract-violations'],
      }).toEqual({ fault: fault.kind, status: 429, retryAfter: '7', remaining: '0', violations: '0' });
    }
  });
});
