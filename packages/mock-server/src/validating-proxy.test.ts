import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ErrorResponse } from '@sealink/rerank-contract';
import { checkRerankResponse } from '@sealink/rerank-contract/testing';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startMockServer } from './start-mock-server.js';

const rerankBody = {
  model: 'bm25',
  query: 'api gateway',
  documents: ['an api gateway', 'sourdough'],
  top_n: 2,
};

type Handler = (incoming: IncomingMessage, body: string, outgoing: ServerResponse) => void;

/** A tiny upstream on a real socket that answers with `handler` and records what it received. */
async function startUpstream(handler: Handler) {
  const received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((incoming, outgoing) => {
    let body = '';
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => {
      body += chunk;
    });
    incoming.on('end', () => {
      received.push({
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body,
      });
      handler(incoming, body, outgoing);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An upstream that answers every rerank with results out of order, scores above 1 and no usage. */
const brokenRerank: Handler = (incoming, _body, outgoing) => {
  outgoing.writeHead(200, {
    'content-type': 'application/json',
    'x-request-id': String(incoming.headers['x-request-id']),
  });
  outgoing.end(
    JSON.stringify({
      id: 'rerank-abc',
      model: 'bm25',
      results: [
        { index: 1, document: { text: 'sourdough' }, relevance_score: 0.1 },
        { index: 0, document: { text: 'an api gateway' }, relevance_score: 1.5 },
      ],
    }),
  );
};

function postRerank(url: string, headers: Record<string, string> = {}) {
  return request(`${url}/v1/rerank`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer client-key', ...headers },
    body: JSON.stringify(rerankBody),
  });
}

describe('validating proxy mode', () => {
  it('passes a broken upstream answer through, counts the violations in a header and lists them in the journal', async () => {
    await using upstream = await startUpstream(brokenRerank);
    await using proxy = await startMockServer({ proxy: { url: upstream.url, apiKey: 'upstream-key' } });
    const answer = await postRerank(proxy.url);
    const body = (await answer.body.json()) as { results: unknown[] };
    expect(answer.statusCode).toBe(200);
    expect(body.results).toHaveLength(2);
    const count = Number(answer.headers['x-mock-contract-violations']);
    expect(count).toBeGreaterThan(0);
    const entry = proxy.requests[0];
    expect(entry?.contractViolations).toHaveLength(count);
    expect(entry?.contractViolations?.join('\n')).toMatch(/RerankResponse/);
    expect(upstream.received[0]?.headers.authorization).toBe('Bearer upstream-key');
    expect(upstream.received[0]?.headers['x-request-id']).toBe(answer.headers['x-request-id']);
    expect(JSON.parse(upstream.received[0]?.body ?? '')).toEqual(rerankBody);
  });

  it("never adds proxy.apiKey to a browser page's request (one with Origin): any site the developer visits could use the key", async () => {
    await using upstream = await startUpstream(brokenRerank);
    await using proxy = await startMockServer({ proxy: { url: upstream.url, apiKey: 'upstream-key' } });
    // A page of another site, calling the proxy on 127.0.0.1 from the developer's browser: the proxy answers
    // CORS for any origin, so it reads the answer. It goes upstream with its own key, or none.
    const withOwnKey = await postRerank(proxy.url, {
      origin: 'https://attacker.example',
      authorization: 'Bearer page-key',
    });
    await withOwnKey.body.dump();
    const withoutKey = await request(`${proxy.url}/v1/models`, { headers: { origin: 'null' } });
    await withoutKey.body.dump();
    expect(upstream.received.map((received) => received.headers.authorization)).toEqual([
      'Bearer page-key',
      undefined,
    ]);
    // A request from a program (no Origin) still goes with the proxy's key.
    await (await postRerank(proxy.url)).body.dump();
    expect(upstream.received[2]?.headers.authorization).toBe('Bearer upstream-key');
  });

  it('answers 502 contract_violation in strict mode (--errors)', async () => {
    await using upstream = await startUpstream(brokenRerank);
    await using proxy = await startMockServer({ proxy: { url: upstream.url, strict: true } });
    const answer = await postRerank(proxy.url);
    expect(answer.statusCode).toBe(502);
    const body = ErrorResponse.parse(await answer.body.json());
    expect(body.error).toMatchObject({ type: 'upstream_error', code: 'contract_violation' });
    expect(body.error.message).toMatch(/broke the API contract/);
    expect(Number(answer.headers['x-mock-contract-violations'])).toBeGreaterThan(0);
    expect(upstream.received[0]?.headers.authorization).toBe('Bearer client-key');
  });

  it('reports error answers whose status does not fit their type, and a missing X-Request-Id', async () => {
    await using upstream = await startUpstream((_incoming, _body, outgoing) => {
      outgoing.writeHead(500, { 'content-type': 'application/json' });
      outgoing.end(
        JSON.stringify({
          error: { type: 'rate_limit_error', code: 'x', message: 'slow down', request_id: 'r1' },
        }),
      );
    });
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    const answer = await postRerank(proxy.url);
    await answer.body.dump();
    expect(answer.statusCode).toBe(500);
    const violations = proxy.requests[0]?.contractViolations ?? [];
    expect(violations).toContain('the answer has no X-Request-Id header');
    expect(violations).toContain('error type rate_limit_error must be sent with status 429, not 500');
    expect(answer.headers['x-mock-contract-violations']).toBe(String(violations.length));
  });

  it('reports a 200 to a request the contract rejects', async () => {
    await using upstream = await startUpstream((incoming, _body, outgoing) => {
      outgoing.writeHead(200, {
        'content-type': 'application/json',
        'x-request-id': String(incoming.headers['x-request-id']),
      });
      outgoing.end(
        JSON.stringify({ id: 'rerank-1', model: 'bm25', results: [], usage: { total_tokens: 0 } }),
      );
    });
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    const answer = await request(`${proxy.url}/v1/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...rerankBody, top_k: 3 }),
    });
    await answer.body.dump();
    expect(proxy.requests[0]?.contractViolations?.[0]).toMatch(
      /^answered 200 to a request the contract rejects \(unknown_field/,
    );
  });

  it("forwards the compatibility routes and checks their answers in the provider's shape", async () => {
    const cohere = {
      model: 'bm25',
      query: 'api gateway',
      documents: ['an api gateway', 'sourdough'],
      top_n: 1,
    };
    const tei = { query: 'api gateway', texts: ['an api gateway', 'sourdough', 'stocks'], raw_scores: true };
    const post = (url: string, path: string, body: unknown) =>
      request(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    // A contract-true upstream (another mock): both routes forwarded, no violation.
    await using upstream = await startMockServer();
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    const cohereAnswer = await post(proxy.url, '/v2/rerank', cohere);
    expect(cohereAnswer.statusCode).toBe(200);
    expect(cohereAnswer.headers['x-mock-contract-violations']).toBe('0');
    expect(((await cohereAnswer.body.json()) as { results: unknown[] }).results).toHaveLength(1);
    const teiAnswer = await post(proxy.url, '/rerank', tei);
    expect(teiAnswer.statusCode).toBe(200);
    expect(teiAnswer.headers['x-mock-contract-violations']).toBe('0');
    expect(await teiAnswer.body.json()).toHaveLength(3);
    expect(upstream.requests.map((entry) => entry.path)).toEqual(['/v2/rerank', '/rerank']);
    expect(proxy.requests.map((entry) => entry.contractViolations)).toEqual([[], []]);

    // A broken upstream: a Cohere answer with two results for top_n 1, a TEI answer missing a document,
    // and a 200 to a TEI request the route refuses.
    await using broken = await startUpstream((incoming, _body, outgoing) => {
      outgoing.writeHead(200, {
        'content-type': 'application/json',
        'x-request-id': String(incoming.headers['x-request-id']),
      });
      outgoing.end(
        JSON.stringify(
          incoming.url === '/v2/rerank'
            ? {
                id: 'x',
                results: [
                  { index: 0, relevance_score: 0.9 },
                  { index: 1, relevance_score: 0.1 },
                ],
              }
            : [
                { index: 0, score: 2 },
                { index: 1, score: -1 },
              ],
        ),
      );
    });
    await using checking = await startMockServer({ proxy: { url: broken.url } });
    for (const [path, body] of [
      ['/v2/rerank', cohere],
      ['/rerank', tei],
      ['/rerank', { query: 'q', texts: [] }],
    ] as const) {
      const answer = await post(checking.url, path, body);
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['x-mock-contract-violations']).toBe('1');
      await answer.body.dump();
    }
    const violations = checking.requests.map((entry) => entry.contractViolations?.[0]);
    expect(violations[0]).toMatch(/^the answer is not a cohere-v2 rerank answer for the request: /);
    expect(violations[1]).toMatch(/^the answer is not a tei rerank answer for the request: /);
    expect(violations[2]).toMatch(/^answered 200 to a request the tei route rejects \(/);
  });

  it('finds no violation in a contract-true upstream (another mock)', async () => {
    await using upstream = await startMockServer();
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    const answer = await postRerank(proxy.url);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['x-mock-contract-violations']).toBe('0');
    expect(checkRerankResponse(rerankBody, await answer.body.json())).toEqual([]);
    const models = await request(`${proxy.url}/v1/models`);
    expect(models.headers['x-mock-contract-violations']).toBe('0');
    await models.body.dump();
    const missing = await request(`${proxy.url}/v1/models/nope`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-mock-contract-violations']).toBe('0');
    await missing.body.dump();
    expect(proxy.requests.map((entry) => entry.contractViolations)).toEqual([[], [], []]);
    expect(upstream.requests).toHaveLength(3);
  });

  it("gives proxied answers the mock's CORS headers, so a browser page can read what an upstream without CORS answers", async () => {
    await using upstream = await startUpstream(brokenRerank);
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    const answer = await postRerank(proxy.url, { origin: 'http://127.0.0.1:4000' });
    await answer.body.dump();
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(String(answer.headers['access-control-expose-headers'])).toContain('X-Request-Id');
    await using strict = await startMockServer({ proxy: { url: upstream.url, strict: true } });
    const refused = await postRerank(strict.url, { origin: 'http://127.0.0.1:4000' });
    await refused.body.dump();
    expect(refused.statusCode).toBe(502);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers 502 upstream_unreachable when the upstream is down', async () => {
    const upstream = await startUpstream(brokenRerank);
    const downUrl = upstream.url;
    await upstream[Symbol.asyncDispose]();
    await using proxy = await startMockServer({ proxy: { url: downUrl } });
    const answer = await postRerank(proxy.url);
    expect(answer.statusCode).toBe(502);
    expect(ErrorResponse.parse(await answer.body.json()).error.code).toBe('upstream_unreachable');
  });

  it("answers GET /readyz with the upstream's readiness, passed through, and /healthz with its own liveness", async () => {
    let upstreamReady = false;
    await using upstream = await startUpstream((incoming, _body, outgoing) => {
      const ready = upstreamReady;
      outgoing.writeHead(ready ? 200 : 503, {
        'content-type': 'application/json',
        'x-request-id': String(incoming.headers['x-request-id']),
      });
      outgoing.end(
        JSON.stringify({
          status: ready ? 'ready' : 'not_ready',
          models: { 'qwen3-rerank': ready ? 'ready' : 'loading' },
        }),
      );
    });
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    const loading = await request(`${proxy.url}/readyz`);
    expect(loading.statusCode).toBe(503);
    expect(await loading.body.json()).toEqual({ status: 'not_ready', models: { 'qwen3-rerank': 'loading' } });
    upstreamReady = true;
    const ready = await request(`${proxy.url}/readyz`, { headers: { 'x-request-id': 'probe-1' } });
    expect(ready.statusCode).toBe(200);
    expect(ready.headers['x-request-id']).toBe('probe-1');
    expect(await ready.body.json()).toEqual({ status: 'ready', models: { 'qwen3-rerank': 'ready' } });
    const head = await request(`${proxy.url}/readyz`, { method: 'HEAD' });
    await head.body.dump();
    expect(head.statusCode).toBe(200);
    const health = await request(`${proxy.url}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toEqual({ status: 'ok' });
    expect(upstream.received.map((entry) => `${entry.method} ${entry.url}`)).toEqual([
      'GET /readyz',
      'GET /readyz',
      'HEAD /readyz',
    ]);
    expect(upstream.received[1]?.headers['x-request-id']).toBe('probe-1');

    // Another mock as the upstream: its models, not the proxy's defaults.
    await using mockUpstream = await startMockServer({ models: ['upstream-model'] });
    await using mockProxy = await startMockServer({ proxy: { url: mockUpstream.url } });
    const fromMock = await request(`${mockProxy.url}/readyz`);
    expect(fromMock.statusCode).toBe(200);
    expect(await fromMock.body.json()).toEqual({ status: 'ready', models: { 'upstream-model': 'ready' } });
  });

  it('answers GET /readyz with 503 not_ready when the upstream is down, and /healthz with 200', async () => {
    const upstream = await startUpstream(brokenRerank);
    const downUrl = upstream.url;
    await upstream[Symbol.asyncDispose]();
    await using proxy = await startMockServer({ proxy: { url: downUrl } });
    const ready = await request(`${proxy.url}/readyz`);
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['x-request-id']).toMatch(/^req_/);
    expect(ready.headers['content-type']).toMatch(/^application\/json/);
    const body = (await ready.body.json()) as { status: string; models: unknown; message: string };
    expect(body.status).toBe('not_ready');
    expect(body.models).toEqual({});
    expect(body.message).toContain(`could not reach ${downUrl}`);
    const head = await request(`${proxy.url}/readyz`, { method: 'HEAD' });
    await head.body.dump();
    expect(head.statusCode).toBe(503);
    const health = await request(`${proxy.url}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toEqual({ status: 'ok' });
  });

  it('still checks apiKeys, when given, before forwarding: a request without one of them is not forwarded', async () => {
    await using upstream = await startUpstream(brokenRerank);
    await using proxy = await startMockServer({
      apiKeys: ['mock-key'],
      proxy: { url: upstream.url, apiKey: 'upstream-key' },
    });
    const refused = await postRerank(proxy.url, { authorization: 'Bearer upstream-key' });
    expect(refused.statusCode).toBe(401);
    expect(ErrorResponse.parse(await refused.body.json()).error.code).toBe('invalid_api_key');
    expect(upstream.received).toHaveLength(0);
    const forwarded = await postRerank(proxy.url, { authorization: 'Bearer mock-key' });
    await forwarded.body.dump();
    expect(forwarded.statusCode).toBe(200);
    expect(upstream.received.map((received) => received.headers.authorization)).toEqual([
      'Bearer upstream-key',
    ]);
  });

  it('asks the upstream for an uncompressed answer, so a client that accepts gzip gets readable JSON', async () => {
    // An upstream that compresses when asked to, as a server behind nginx or a CDN does.
    await using upstream = await startUpstream((incoming, _body, outgoing) => {
      const text = JSON.stringify({ object: 'list', data: [] });
      const headers = {
        'content-type': 'application/json',
        'x-request-id': String(incoming.headers['x-request-id']),
      };
      if (/gzip/.test(incoming.headers['accept-encoding'] ?? '')) {
        outgoing.writeHead(200, { ...headers, 'content-encoding': 'gzip' });
        outgoing.end(gzipSync(text));
      } else {
        outgoing.writeHead(200, headers);
        outgoing.end(text);
      }
    });
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    const answer = await request(`${proxy.url}/v1/models`, {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(upstream.received[0]?.headers['accept-encoding']).toBeUndefined();
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers['x-mock-contract-violations']).toBe('0');
    expect(await answer.body.json()).toEqual({ object: 'list', data: [] });
    expect(proxy.requests[0]?.contractViolations).toEqual([]);
  });

  it('forwards a request sent with Expect: 100-continue (as curl sends a large body) instead of answering 502', async () => {
    await using upstream = await startMockServer();
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    // undici cannot send Expect itself: node:http can, as curl and other clients do.
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = httpRequest(`${proxy.url}/v1/rerank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', expect: '100-continue' },
      });
      outgoing.on('continue', () => outgoing.end(JSON.stringify(rerankBody)));
      outgoing.on('error', reject);
      outgoing.on('response', (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => {
          text += chunk;
        });
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text }));
      });
    });
    expect(answer.status).toBe(200);
    expect(checkRerankResponse(rerankBody, JSON.parse(answer.text))).toEqual([]);
    expect(proxy.requests.map((entry) => [entry.headers.expect, entry.status])).toEqual([
      ['100-continue', 200],
    ]);
    expect(upstream.requests).toHaveLength(1);
  });

  it('forwards the body byte for byte: bytes that are not UTF-8 reach the upstream, which answers 400 invalid_utf8 with no violation', async () => {
    await using upstream = await startMockServer();
    await using proxy = await startMockServer({ proxy: { url: upstream.url } });
    const body = Buffer.concat([
      Buffer.from('{"model":"bm25","query":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('","documents":["a"]}'),
    ]);
    const answer = await request(`${proxy.url}/v1/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const { error } = ErrorResponse.parse(await answer.body.json());
    expect({ status: answer.statusCode, code: error.code }).toEqual({ status: 400, code: 'invalid_utf8' });
    expect(answer.headers['x-mock-contract-violations']).toBe('0');
    expect(proxy.requests[0]?.contractViolations).toEqual([]);
  });
});
