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
});
