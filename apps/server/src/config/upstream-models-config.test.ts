import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpstreamBackend, UpstreamConfigError } from '@sealink/rerank-server';
import { describe, expect, it } from 'vitest';
import { createModelRegistry } from '../create-server-from-config.js';
import { ConfigError, loadServerConfig } from './load-server-config.js';

function modelsFile(models: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sealink-upstream-')), 'models.json');
  writeFileSync(path, JSON.stringify(models));
  return path;
}

const QWEN3_OVER_VLLM = {
  id: 'qwen3-rerank',
  default_instruction: 'Given a web search query, retrieve relevant passages that answer the query',
  backend: {
    type: 'vllm',
    base_urls: ['http://vllm-0:8000', 'http://vllm-1:8000'],
    model: 'Qwen/Qwen3-Reranker-0.6B',
    api_key_env: 'VLLM_API_KEY',
    prompt_template: 'qwen3',
    max_batch: 64,
  },
};

describe('models served by upstream engines', () => {
  it('loads an upstream model and builds its backend with the key from the environment', async () => {
    const env = {
      SEALINK_MODELS_FILE: modelsFile([QWEN3_OVER_VLLM, { id: 'bm25', backend: { type: 'bm25' } }]),
      VLLM_API_KEY: 'sk-vllm',
    };
    const config = loadServerConfig({ env });
    expect(config.models[0]?.backend).toMatchObject({ type: 'vllm', prompt_template: 'qwen3' });
    const previous = process.env.VLLM_API_KEY;
    process.env.VLLM_API_KEY = 'sk-vllm';
    const registry = createModelRegistry(config.models);
    try {
      const backend = registry.get('qwen3-rerank')?.backend;
      expect(backend).toBeInstanceOf(UpstreamBackend);
      expect(backend?.provider).toBe('upstream.vllm');
      expect(backend?.modelId).toBe('Qwen/Qwen3-Reranker-0.6B');
      expect((backend as UpstreamBackend).replicas.map((replica) => replica.baseUrl)).toEqual([
        'http://vllm-0:8000',
        'http://vllm-1:8000',
      ]);
      expect(backend?.limits.supportsInstruction).toBe(true);
    } finally {
      await registry.close();
      if (previous === undefined) delete process.env.VLLM_API_KEY;
      else process.env.VLLM_API_KEY = previous;
    }
  });

  it('refuses an upstream model whose key variable is unset, naming the variable', () => {
    const previous = process.env.VLLM_API_KEY;
    delete process.env.VLLM_API_KEY;
    try {
      const config = loadServerConfig({ env: { SEALINK_MODELS_FILE: modelsFile([QWEN3_OVER_VLLM]) } });
      expect(() => createModelRegistry(config.models)).toThrow(UpstreamConfigError);
      expect(() => createModelRegistry(config.models)).toThrow(/VLLM_API_KEY/);
    } finally {
      if (previous !== undefined) process.env.VLLM_API_KEY = previous;
    }
  });

  it('rejects an upstream backend with a bad field as a configuration error', () => {
    const broken = { ...QWEN3_OVER_VLLM, backend: { ...QWEN3_OVER_VLLM.backend, base_urls: ['ftp://nope'] } };
    expect(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: modelsFile([broken]) } })).toThrow(
      ConfigError,
    );
  });

  it('names the field of a base URL that is not a URL at all (a port out of range, a space), not "Invalid URL"', () => {
    for (const url of ['http://tei-0:99999', 'http://tei 0:8080', 'http://[::1']) {
      const broken = { ...QWEN3_OVER_VLLM, backend: { ...QWEN3_OVER_VLLM.backend, base_urls: [url] } };
      const file = modelsFile([broken]);
      expect(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: file } })).toThrow(
        /^Invalid configuration: the models file .*: \[0\]\.backend\.base_urls\[0\]: a base URL must be an http or https URL/,
      );
    }
  });
});

describe('score_mapping of an upstream model', () => {
  const llamaCpp = (extra: Record<string, unknown>) => ({
    id: 'qwen3-gguf',
    backend: { type: 'llama-cpp', base_urls: ['http://llama-0:8080'], model: 'qwen3-reranker', ...extra },
  });

  it('takes "identity" for a llama-cpp model (a Qwen3-Reranker GGUF) and leaves it unset by default', () => {
    const config = loadServerConfig({
      env: {
        SEALINK_MODELS_FILE: modelsFile(
          [llamaCpp({ score_mapping: 'identity' }), llamaCpp({})].map((model, index) => ({
            ...model,
            id: `${model.id}-${index}`,
          })),
        ),
      },
    });
    expect(config.models[0]?.backend).toMatchObject({ type: 'llama-cpp', score_mapping: 'identity' });
    expect(config.models[1]?.backend).not.toHaveProperty('score_mapping');
  });

  it('refuses a value that is no mapping, and a mapping for a type whose scale is fixed, naming the field', () => {
    expect(() =>
      loadServerConfig({
        env: { SEALINK_MODELS_FILE: modelsFile([llamaCpp({ score_mapping: 'softmax' })]) },
      }),
    ).toThrow(/\[0\]\.backend\.score_mapping: score_mapping must be "sigmoid" or "identity"/);
    const vllm = { ...QWEN3_OVER_VLLM, backend: { ...QWEN3_OVER_VLLM.backend, score_mapping: 'identity' } };
    expect(() =>
      loadServerConfig({
        env: { SEALINK_MODELS_FILE: modelsFile([{ id: 'bm25', backend: { type: 'bm25' } }, vllm]) },
      }),
    ).toThrow(
      /\[1\]\.backend\.score_mapping: score_mapping applies to type llama-cpp only, whose scale depends on the GGUF it serves; the scale of a vllm upstream is fixed/,
    );
  });
});

/** A TEI model with the given upstream limits (no API key, so building it needs no environment). */
function teiModel(limits: { timeout_ms?: number; deadline_ms?: number } = {}) {
  return {
    id: 'tei-rerank',
    backend: { type: 'tei', base_urls: ['http://tei-0:8080', 'http://tei-1:8080'], model: 'm', ...limits },
  };
}

describe('upstream limits inside the request deadline', () => {
  it('refuses an attempt timeout not below request_timeout_ms, naming the field and why', () => {
    const file = modelsFile([{ id: 'bm25', backend: { type: 'bm25' } }, teiModel({ timeout_ms: 30_000 })]);
    let message = '';
    try {
      loadServerConfig({ env: { SEALINK_MODELS_FILE: file } });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(`the models file ${file}: [1].backend.timeout_ms: `);
    expect(message).toContain('must be below request_timeout_ms (30000 ms)');
    expect(message).toContain('no attempt on a replica that does not answer could be retried');
    expect(message).toContain('(got 30000)');
    // Just below the request deadline is allowed; the deadline set by the environment counts.
    expect(() =>
      loadServerConfig({ env: { SEALINK_MODELS_FILE: modelsFile([teiModel({ timeout_ms: 29_999 })]) } }),
    ).not.toThrow();
    expect(() =>
      loadServerConfig({
        env: {
          SEALINK_MODELS_FILE: modelsFile([teiModel({ timeout_ms: 5_000 })]),
          SEALINK_REQUEST_TIMEOUT_MS: '4000',
        },
      }),
    ).toThrow(/\[0\]\.backend\.timeout_ms: the attempt timeout must be below request_timeout_ms \(4000 ms\)/);
  });

  it('refuses a deadline above request_timeout_ms, since it would never take effect', () => {
    expect(() =>
      loadServerConfig({ env: { SEALINK_MODELS_FILE: modelsFile([teiModel({ deadline_ms: 30_001 })]) } }),
    ).toThrow(
      /\[0\]\.backend\.deadline_ms: the upstream deadline must not exceed request_timeout_ms \(30000 ms\).*never take effect.*\(got 30001\)/,
    );
    expect(() =>
      loadServerConfig({ env: { SEALINK_MODELS_FILE: modelsFile([teiModel({ deadline_ms: 30_000 })]) } }),
    ).not.toThrow();
  });

  it.each([
    ['the defaults', {}, 30_000, { timeoutMs: 10_000, deadlineMs: 30_000 }],
    ['a short request deadline', {}, 1_500, { timeoutMs: 500, deadlineMs: 1_500 }],
    ['a long request deadline', {}, 120_000, { timeoutMs: 10_000, deadlineMs: 120_000 }],
    ['an explicit attempt timeout', { timeout_ms: 2_000 }, 30_000, { timeoutMs: 2_000, deadlineMs: 30_000 }],
    [
      'an explicit, shorter deadline',
      { deadline_ms: 3_000 },
      30_000,
      { timeoutMs: 1_000, deadlineMs: 3_000 },
    ],
  ])(
    'derives the upstream limits from request_timeout_ms with %s',
    async (_, limits, requestTimeoutMs, expected) => {
      const config = loadServerConfig({
        env: {
          SEALINK_MODELS_FILE: modelsFile([teiModel(limits)]),
          SEALINK_REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
        },
      });
      const registry = createModelRegistry(config.models, { requestTimeoutMs: config.request_timeout_ms });
      try {
        const backend = registry.get('tei-rerank')?.backend as UpstreamBackend;
        expect({ timeoutMs: backend.timeoutMs, deadlineMs: backend.deadlineMs }).toEqual(expected);
      } finally {
        await registry.close();
      }
    },
  );

  it('keeps the backend’s own defaults when no request deadline is given (the evaluation CLI)', async () => {
    const config = loadServerConfig({ env: { SEALINK_MODELS_FILE: modelsFile([teiModel()]) } });
    const registry = createModelRegistry(config.models);
    try {
      const backend = registry.get('tei-rerank')?.backend as UpstreamBackend;
      expect({ timeoutMs: backend.timeoutMs, deadlineMs: backend.deadlineMs }).toEqual({
        timeoutMs: 10_000,
        deadlineMs: 30_000,
      });
    } finally {
      await registry.close();
    }
  });
});
