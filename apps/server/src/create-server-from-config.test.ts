import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockEngine } from '@sealink/rerank-mock-server';
import type { UpstreamBackend } from '@sealink/rerank-server';
import { captureLogger } from '@sealink/rerank-server/testing';
import { pino } from 'pino';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from './config/load-server-config.js';
import { createModelRegistry, createServerFromConfig } from './create-server-from-config.js';

function modelsFile(models: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sealink-server-')), 'models.json');
  writeFileSync(path, JSON.stringify(models));
  return path;
}

describe('a server built from its configuration', () => {
  it('logs a warn line naming the model when verify_on_load finds a llama-cpp engine answering probabilities under the sigmoid', async () => {
    // llama.cpp answers a Qwen3-Reranker GGUF with P(yes); the type's default sigmoid squeezes it.
    await using engine = await startMockEngine({ dialect: 'llama-cpp', scoreMapping: 'identity' });
    const config = loadServerConfig({
      env: {
        SEALINK_MODELS_FILE: modelsFile([
          {
            id: 'qwen3-gguf',
            backend: { type: 'llama-cpp', base_urls: [engine.url], model: 'q', verify_on_load: true },
          },
          {
            id: 'qwen3-gguf-identity',
            backend: {
              type: 'llama-cpp',
              base_urls: [engine.url],
              model: 'q',
              verify_on_load: true,
              score_mapping: 'identity',
            },
          },
        ]),
      },
    });
    const captured = captureLogger('info');
    const registry = createModelRegistry(config.models, {}, captured.logger);
    try {
      await registry.load();
      const warnings = captured.records().filter((record) => record.level === 40);
      expect(warnings).toEqual([
        expect.objectContaining({
          model: 'qwen3-gguf',
          upstream: 'upstream.llama-cpp',
          msg: expect.stringContaining('set score_mapping: "identity" for this model'),
        }),
      ]);
      expect(registry.isModelReady('qwen3-gguf')).toBe(true);
    } finally {
      await registry.close();
    }
  });

  it('names the model and the field of an upstream whose key variable is unset, not only the engine model', () => {
    const variable = 'SEALINK_TEST_UNSET_UPSTREAM_KEY';
    expect(process.env[variable]).toBeUndefined();
    const config = loadServerConfig({
      env: {
        SEALINK_MODELS_FILE: modelsFile([
          { id: 'bm25', backend: { type: 'bm25' } },
          {
            id: 'qwen3-rerank',
            backend: { type: 'vllm', base_urls: ['http://127.0.0.1:9'], model: 'm', api_key_env: variable },
          },
        ]),
      },
    });
    expect(() => createModelRegistry(config.models)).toThrow(
      "models[1].backend.api_key_env of 'qwen3-rerank': the vllm upstream of model m reads its API key from SEALINK_TEST_UNSET_UPSTREAM_KEY, which is not set",
    );
  });

  it('with the default upstream limits, retries a replica that never answers within the request deadline, and logs the replica leaving the rotation', async () => {
    await using hung = await startMockEngine({ dialect: 'tei', latencyMs: 600_000 });
    await using healthy = await startMockEngine({ dialect: 'tei' });
    // No timeout_ms or deadline_ms: the server derives them from its 1.5 s request deadline.
    const config = loadServerConfig({
      env: {
        PORT: '0',
        SEALINK_REQUEST_TIMEOUT_MS: '1500',
        SEALINK_DRAIN_TIMEOUT_MS: '1000',
        SEALINK_MODELS_FILE: modelsFile([
          { id: 'tei-rerank', backend: { type: 'tei', base_urls: [hung.url, healthy.url], model: 'm' } },
        ]),
      },
    });
    const captured = captureLogger('info');
    const server = createServerFromConfig(config, { logger: captured.logger });
    try {
      const running = await server.start();
      const backend = server.registry.get('tei-rerank')?.backend as UpstreamBackend;
      expect(backend.timeoutMs).toBeLessThan(config.request_timeout_ms / 2);
      // Balancing picks the least loaded replica: one phantom request on the healthy one makes every
      // first attempt go to the hung one (until its circuit opens), so the retry path runs every time.
      backend.replicas[1]!.outstandingRequests = 1;
      const statuses: number[] = [];
      for (let index = 0; index < 6; index++) {
        const answer = await request(`${running.url}/v1/rerank`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'tei-rerank',
            query: 'sourdough',
            documents: ['sourdough', 'stocks'],
          }),
          headersTimeout: 5_000,
          bodyTimeout: 5_000,
        });
        const body = (await answer.body.json()) as { results?: unknown[] };
        statuses.push(answer.statusCode);
        if (answer.statusCode === 200) expect(body.results).toHaveLength(2);
      }
      backend.replicas[1]!.outstandingRequests = 0;
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      expect(hung.requests.length).toBeGreaterThanOrEqual(1);
      expect(hung.scoredRequests).toBe(0);
      expect(healthy.scoredRequests).toBe(6);
      // Its attempts timed out, so the hung replica's circuit opened and it gets no more traffic.
      expect(backend.replicas[0]!.breaker.state).toBe('open');
      // The operator's log says so once, naming the model, the replica and why.
      const opened = captured.records().filter((record) => record.event === 'circuit-opened');
      expect(opened).toEqual([
        expect.objectContaining({
          level: 40,
          msg: 'upstream replica taken out of rotation: its circuit opened',
          model: 'tei-rerank',
          upstream: 'upstream.tei',
          replica: hung.url,
          reason: `5 consecutive failures, the last: no answer within ${backend.timeoutMs} ms`,
        }),
      ]);
    } finally {
      await server.stop();
    }
  }, 20_000);

  it('lets the origins of SEALINK_CORS_ORIGINS call it from a browser, and no other', async () => {
    const config = loadServerConfig({
      env: {
        PORT: '0',
        SEALINK_API_KEYS: 'sk-cors-0123456789',
        SEALINK_CORS_ORIGINS: 'http://localhost:5173',
      },
    });
    const server = createServerFromConfig(config, { logger: pino({ level: 'silent' }) });
    try {
      const running = await server.start();
      const preflight = (origin: string) =>
        request(`${running.url}/v1/rerank`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
      const allowed = await preflight('http://localhost:5173');
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      await allowed.body.dump();
      const refused = await preflight('http://localhost:3000');
      expect(refused.statusCode).toBe(405);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      await refused.body.dump();
      const ranked = await request(`${running.url}/v1/rerank`, {
        method: 'POST',
        headers: {
          origin: 'http://localhost:5173',
          authorization: 'Bearer sk-cors-0123456789',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ model: 'bm25', query: 'sourdough', documents: ['sourdough', 'stocks'] }),
      });
      expect(ranked.statusCode).toBe(200);
      expect(ranked.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(((await ranked.body.json()) as { results: unknown[] }).results).toHaveLength(2);
    } finally {
      await server.stop();
    }
  });
});
