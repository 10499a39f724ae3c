import { lexicalScore } from '@sealink/rerank-mock-server';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createRerankApp } from '../create-rerank-app.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { serveRerankApp } from '../serve/serve-rerank-app.js';
import { captureLogger } from '../testing/capture-logger.js';
import type { UpstreamBackendOptions } from './upstream-backend.js';
import { createDisposableBackend, serveEngine, startMockEngines } from './upstream-test-kit.js';

const API_KEY = 'sk-gateway-test';

/** The rerank app serving `qwen3-rerank` from an upstream backend, on a real socket. */
async function startGateway(options: UpstreamBackendOptions, captured = captureLogger('fatal')) {
  const backend = createDisposableBackend(options);
  const registry = new ModelRegistry([{ id: 'qwen3-rerank', backend }]);
  await registry.load();
  const app = createRerankApp({ registry, auth: { apiKeys: [API_KEY] }, logger: captured.logger });
  const server = await serveRerankApp(app);
  return Object.assign(server, {
    backend,
    async rerank(body: Record<string, unknown>) {
      const response = await request(`${server.url}/v1/rerank`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'qwen3-rerank', ...body }),
      });
      return {
        status: response.statusCode,
        headers: response.headers,
        json: (await response.body.json()) as Record<string, unknown>,
      };
    },
    async [Symbol.asyncDispose]() {
      await server.close();
      await registry.close();
    },
  });
}

describe('the gateway serving a model from upstream replicas', () => {
  it('answers with the engine’s scores, sorted, cut to top_n', async () => {
    await using engines = await startMockEngines(2, { maxBatch: 4 });
    await using gateway = await startGateway({
      type: 'tei',
      baseUrls: engines.map((engine) => engine.url),
      model: 'm',
      maxBatch: 4,
    });
    const documents = [
      'sourdough starter',
      'market news',
      'feed the starter daily',
      'sourdough bread',
      'stocks',
      'starter feeding',
    ];
    const answer = await gateway.rerank({ query: 'sourdough starter feeding', documents, top_n: 3 });
    expect(answer.status).toBe(200);
    const expected = documents
      .map((document, index) => ({
        index,
        relevance_score: lexicalScore('sourdough starter feeding', document),
      }))
      .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
      .slice(0, 3);
    expect(answer.json.results).toEqual(
      expected.map((result) => ({
        index: result.index,
        document: { text: documents[result.index] },
        relevance_score: expect.closeTo(result.relevance_score, 6),
      })),
    );
  });

  it('a replica killed mid-load leaves no failed client request', async () => {
    await using engines = await startMockEngines(2, { latencyMs: 3, maxBatch: 8 });
    await using gateway = await startGateway({
      type: 'tei',
      baseUrls: engines.map((engine) => engine.url),
      model: 'm',
      maxBatch: 8,
    });
    const documents = Array.from({ length: 30 }, (_, index) => `document ${index} about sourdough`);
    const statuses: number[] = [];
    let sent = 0;
    const client = async () => {
      while (sent < 48) {
        sent++;
        if (sent === 16) engines[0]!.kill();
        statuses.push(
          (await gateway.rerank({ query: 'sourdough', documents, return_documents: false })).status,
        );
      }
    };
    await Promise.all(Array.from({ length: 4 }, client));
    expect(statuses).toHaveLength(48);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 30_000);

  it('answers 503 overloaded_error with Retry-After when every replica is down, naming no replica address', async () => {
    await using engines = await startMockEngines(2);
    const captured = captureLogger('info');
    await using gateway = await startGateway(
      {
        type: 'tei',
        baseUrls: engines.map((engine) => engine.url),
        model: 'm',
        breaker: { failureThreshold: 1, coolDownMs: 30_000 },
        healthCheck: false,
      },
      captured,
    );
    for (const engine of engines) engine.kill();
    const answer = await gateway.rerank({ query: 'q', documents: ['a'] });
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ error: { type: 'overloaded_error', code: 'upstream_unavailable' } });
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The client learns that the upstream is unreachable; the operator's log says which replica and why.
    const ports = engines.map((engine) => new URL(engine.url).port);
    for (const port of ports) expect(JSON.stringify(answer.json)).not.toContain(port);
    const logged = captured.records().find((record) => record.msg === 'backend failed');
    expect(logged).toMatchObject({ error_type: 'overloaded_error', error_code: 'upstream_unavailable' });
    expect(String(logged?.reason)).toMatch(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:(${ports.join('|')})`));
  });

  it('exports how many replicas of each model take calls in GET /metrics', async () => {
    await using engines = await startMockEngines(2);
    await using gateway = await startGateway({
      type: 'tei',
      baseUrls: engines.map((engine) => engine.url),
      model: 'm',
      breaker: { failureThreshold: 1, coolDownMs: 30_000 },
      healthCheck: false,
    });
    const replicaSeries = async () => {
      const text = await (await fetch(`${gateway.url}/metrics`)).text();
      return text.split('\n').filter((line) => line.startsWith('sealink_rerank_upstream_replicas{'));
    };
    expect(await replicaSeries()).toEqual([
      'sealink_rerank_upstream_replicas{model="qwen3-rerank",state="available"} 2',
      'sealink_rerank_upstream_replicas{model="qwen3-rerank",state="unavailable"} 0',
    ]);
    engines[0]!.kill();
    // The killed replica fails its attempt (its circuit opens) and the other one answers.
    gateway.backend.replicas[1]!.outstandingRequests = 1;
    expect((await gateway.rerank({ query: 'q', documents: ['a'] })).status).toBe(200);
    gateway.backend.replicas[1]!.outstandingRequests = 0;
    expect(await replicaSeries()).toEqual([
      'sealink_rerank_upstream_replicas{model="qwen3-rerank",state="available"} 1',
      'sealink_rerank_upstream_replicas{model="qwen3-rerank",state="unavailable"} 1',
    ]);
  });

  it('keeps telling the client when a replica may be tried again while every circuit stays open', async () => {
    await using engines = await startMockEngines(2);
    let clock = 0;
    await using gateway = await startGateway({
      type: 'tei',
      baseUrls: engines.map((engine) => engine.url),
      model: 'm',
      breaker: { failureThreshold: 1, coolDownMs: 30_000, now: () => clock },
      healthCheck: false,
    });
    for (const engine of engines) engine.kill();
    const first = await gateway.rerank({ query: 'q', documents: ['a'] });
    expect(first.status).toBe(503);
    expect(first.json).toMatchObject({ error: { type: 'overloaded_error', code: 'upstream_unavailable' } });
    expect(first.headers['retry-after']).toBe('30');
    // Every circuit is open now: the model is not ready, and its answer says when the first cool-down ends,
    // not the server's generic 5 s.
    expect(gateway.backend.isReady()).toBe(false);
    clock += 12_000;
    const second = await gateway.rerank({ query: 'q', documents: ['a'] });
    expect(second.status).toBe(503);
    expect(second.json).toMatchObject({ error: { type: 'overloaded_error' } });
    expect(second.headers['retry-after']).toBe('18');
    clock += 17_500;
    const third = await gateway.rerank({ query: 'q', documents: ['a'] });
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBe('1');
  });

  it('a single rate-limited upstream: 503 overloaded_error with Retry-After while it says 429, its circuit never opens', async () => {
    await using engines = await startMockEngines(1);
    const engine = engines[0]!;
    engine.failNext(6, 429);
    let clock = 0;
    await using gateway = await startGateway({
      type: 'tei',
      baseUrls: [engine.url],
      model: 'm',
      breaker: { failureThreshold: 5, coolDownMs: 30_000, now: () => clock },
      healthCheck: false,
    });
    // Six 429s in a row, each waited out: more than the breaker's threshold of 5.
    for (let round = 1; round <= 6; round++) {
      for (const _ of ['answered by the upstream', 'refused while held back']) {
        const answer = await gateway.rerank({ query: 'q', documents: ['a'] });
        expect(answer.status).toBe(503);
        expect(answer.json).toMatchObject({
          error: { type: 'overloaded_error', code: 'upstream_overloaded' },
        });
        expect(answer.headers['retry-after']).toBe('1');
      }
      expect(engine.requests).toHaveLength(round);
      clock += 1_000;
    }
    expect(gateway.backend.replicas[0]!.breaker.state).toBe('closed');
    const answer = await gateway.rerank({ query: 'q', documents: ['a', 'b'] });
    expect(answer.status).toBe(200);
  });

  it('serves every request through the other replica while one answers 429', async () => {
    await using engines = await startMockEngines(2);
    engines[0]!.failNext(1_000_000, 429);
    let clock = 0;
    await using gateway = await startGateway({
      type: 'tei',
      baseUrls: engines.map((engine) => engine.url),
      model: 'm',
      breaker: { failureThreshold: 5, now: () => clock },
      healthCheck: false,
    });
    gateway.backend.replicas[1]!.outstandingRequests = 1; // the rate-limited replica is tried first
    const statuses: number[] = [];
    for (let request = 0; request < 8; request++) {
      statuses.push((await gateway.rerank({ query: 'q', documents: ['a', 'b'] })).status);
      clock += 1_000;
    }
    gateway.backend.replicas[1]!.outstandingRequests = 0;
    expect(statuses).toEqual(Array(8).fill(200));
    expect(engines[0]!.requests).toHaveLength(8);
    expect(engines[1]!.scoredRequests).toBe(8);
    expect(gateway.backend.replicas[0]!.breaker.state).toBe('closed');
  });

  it('answers 502 upstream_error with the engine’s status and message', async () => {
    await using engines = await startMockEngines(1);
    engines[0]!.failNext(5, 500);
    await using gateway = await startGateway({
      type: 'tei',
      baseUrls: [engines[0]!.url],
      model: 'm',
      healthCheck: false,
    });
    const answer = await gateway.rerank({ query: 'q', documents: ['a'] });
    expect(answer.status).toBe(502);
    expect(answer.json).toMatchObject({
      error: { type: 'upstream_error', message: expect.stringContaining('answered 500: injected failure') },
    });
  });

  it('answers an engine’s refusal of the input (TEI 413) 502 with x-should-retry: false, after one call only', async () => {
    await using engines = await startMockEngines(2, { maxInputTokens: 16 });
    await using gateway = await startGateway({
      type: 'tei',
      baseUrls: engines.map((engine) => engine.url),
      model: 'm',
      healthCheck: false,
    });
    const long = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
    const refused = await gateway.rerank({ query: 'q', documents: ['a', long] });
    expect(refused.status).toBe(502);
    expect(refused.json).toMatchObject({
      error: {
        type: 'upstream_error',
        code: 'upstream_status_error',
        message: expect.stringContaining('413'),
      },
    });
    expect(refused.headers['x-should-retry']).toBe('false');
    // A refusal of the input is the same on every replica: not retried there either.
    expect(engines[0]!.requests.length + engines[1]!.requests.length).toBe(1);
    // An engine failure another try may not meet keeps the client's own retry policy.
    engines[0]!.failNext(5, 500);
    engines[1]!.failNext(5, 500);
    const failed = await gateway.rerank({ query: 'q', documents: ['a'] });
    expect(failed.status).toBe(502);
    expect(failed.headers['x-should-retry']).toBeUndefined();
  });

  it('gives the client an engine’s error text that quotes the documents, and keeps it out of the log', async () => {
    // Like FastAPI's 422 and 500 answers, this engine quotes its input in its error text.
    await using engine = await serveEngine((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('end', () => {
        const { texts } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { texts: string[] };
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(`cannot score input ${JSON.stringify(texts)}`);
      });
    });
    const captured = captureLogger('info');
    await using gateway = await startGateway(
      { type: 'tei', baseUrls: [engine.url], model: 'm', maxAttempts: 1, healthCheck: false },
      captured,
    );
    const answer = await gateway.rerank({ query: 'q', documents: ['patient record 4711'] });
    expect(answer.status).toBe(502);
    const error = (answer.json as { error: { message: string; request_id: string } }).error;
    expect(error.message).toContain('answered 500: cannot score input ["patient record 4711"]');
    const logged = captured.records().find((record) => record.msg === 'backend failed');
    expect(logged).toMatchObject({
      request_id: error.request_id,
      error_type: 'upstream_error',
      error_code: 'upstream_status_error',
      reason: expect.stringContaining('upstream answered 500'),
    });
    expect(JSON.stringify(captured.records())).not.toContain('patient record');
  });

  it('a llama-cpp model with score_mapping identity: probabilities as they are, a score above 1 a 502', async () => {
    // llama.cpp's server answers a Qwen3-Reranker GGUF with P(yes); an engine answering above 1 is broken.
    let relevanceScores = [0.92, 0.03];
    await using engine = await serveEngine((incoming, outgoing) => {
      incoming.resume();
      incoming.once('end', () => {
        const results = relevanceScores.map((relevance_score, index) => ({ index, relevance_score }));
        outgoing.writeHead(200, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ model: 'q', object: 'list', results }));
      });
    });
    await using gateway = await startGateway({
      type: 'llama-cpp',
      baseUrls: [engine.url],
      model: 'q',
      scoreMapping: 'identity',
      healthCheck: false,
    });
    const answer = await gateway.rerank({ query: 'q', documents: ['a', 'b'], return_documents: false });
    expect(answer.status).toBe(200);
    expect(answer.json.results).toEqual([
      { index: 0, relevance_score: 0.92 },
      { index: 1, relevance_score: 0.03 },
    ]);
    relevanceScores = [1.5, 0.03];
    const refused = await gateway.rerank({ query: 'q', documents: ['a', 'b'] });
    expect(refused.status).toBe(502);
    expect(refused.json).toMatchObject({
      error: {
        type: 'upstream_error',
        code: 'upstream_invalid_response',
        message: expect.stringContaining('results[0].score: 1.5 is not a probability in [0, 1]'),
      },
    });
  });

  it('answers 504 timeout_error when the engine is too slow', async () => {
    await using engines = await startMockEngines(1);
    engines[0]!.setLatency({ fixedMs: 10_000 });
    await using gateway = await startGateway({
      type: 'tei',
      baseUrls: [engines[0]!.url],
      model: 'm',
      timeoutMs: 100,
      healthCheck: false,
    });
    const answer = await gateway.rerank({ query: 'q', documents: ['a'] });
    expect(answer.status).toBe(504);
    expect(answer.json).toMatchObject({ error: { type: 'timeout_error', code: 'upstream_timeout' } });
  });
});
