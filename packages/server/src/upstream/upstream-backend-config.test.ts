import { startMockEngine } from '@sealink/rerank-mock-server';
import { describe, expect, it } from 'vitest';
import {
  createUpstreamBackendFromConfig,
  UpstreamBackendConfig,
  UpstreamConfigError,
} from './upstream-backend-config.js';

/** A configuration of one replica at `baseUrl` that reads its API key from the variable `keyVariable`. */
function keyedConfig(
  type: UpstreamBackendConfig['type'],
  baseUrl: string,
  model: string,
  keyVariable: string,
): UpstreamBackendConfig {
  return UpstreamBackendConfig.parse({ type, base_urls: [baseUrl], model, api_key_env: keyVariable });
}

describe('UpstreamBackendConfig', () => {
  it('accepts a full configuration and builds a backend that reads its key from the environment', async () => {
    await using engine = await startMockEngine({
      dialect: 'vllm-rerank',
      apiKey: 'from-env',
      qwen3: 'expects-formatted',
    });
    const config = UpstreamBackendConfig.parse({
      type: 'vllm',
      base_urls: [engine.url],
      model: 'Qwen/Qwen3-Reranker-0.6B',
      api_key_env: 'VLLM_KEY',
      max_batch: 16,
      timeout_ms: 5000,
      prompt_template: 'qwen3',
      verify_on_load: true,
      circuit_breaker: { failure_threshold: 2 },
      health_check: { interval_ms: 1000 },
    });
    const backend = createUpstreamBackendFromConfig(config, { VLLM_KEY: 'from-env' });
    try {
      await backend.load();
      const result = await backend.doScore({
        query: 'sourdough',
        documents: ['sourdough starter', 'stocks'],
      });
      expect(result.scores[0]).toBeGreaterThan(result.scores[1]!);
      expect(backend.provider).toBe('upstream.vllm');
      expect(backend.modelId).toBe('Qwen/Qwen3-Reranker-0.6B');
    } finally {
      await backend.close();
    }
  });

  it.each([
    [{ type: 'nope', base_urls: ['http://a'], model: 'm' }, 'type'],
    [{ type: 'tei', base_urls: [], model: 'm' }, 'base_urls'],
    [{ type: 'tei', base_urls: ['ftp://a'], model: 'm' }, 'base_urls'],
    [{ type: 'tei', base_urls: ['http://user:secret@a'], model: 'm' }, 'base_urls'],
    [{ type: 'tei', base_urls: ['http://a/v1?api-version=2'], model: 'm' }, 'base_urls'],
    [{ type: 'tei', base_urls: ['http://a/#replica-1'], model: 'm' }, 'base_urls'],
    [{ type: 'tei', base_urls: ['http://a?'], model: 'm' }, 'base_urls'],
    [{ type: 'tei', base_urls: ['http://a'], model: 'm', api_key_env: 'not a name' }, 'api_key_env'],
    [{ type: 'tei', base_urls: ['http://a'], model: 'm', max_batch: 0 }, 'max_batch'],
    [
      { type: 'tei', base_urls: ['http://a'], model: 'm', max_batches_in_flight_per_replica: 0 },
      'max_batches_in_flight_per_replica',
    ],
    [
      { type: 'tei', base_urls: ['http://a'], model: 'm', max_batches_in_flight_per_replica: 1.5 },
      'max_batches_in_flight_per_replica',
    ],
    // More sub-batches than connections would wait in the connection pool with their attempt timers running.
    [
      { type: 'tei', base_urls: ['http://a'], model: 'm', max_batches_in_flight_per_replica: 33 },
      'max_batches_in_flight_per_replica',
    ],
    [
      {
        type: 'tei',
        base_urls: ['http://a'],
        model: 'm',
        connections_per_replica: 4,
        max_batches_in_flight_per_replica: 8,
      },
      'max_batches_in_flight_per_replica',
    ],
    // Above 2^31 - 1 ms, Node fires a timer after 1 ms: checks a thousand times a second, or every check failed.
    [
      { type: 'tei', base_urls: ['http://a'], model: 'm', health_check: { interval_ms: 3e9 } },
      'health_check',
    ],
    [{ type: 'tei', base_urls: ['http://a'], model: 'm', health_check: { timeout_ms: 3e9 } }, 'health_check'],
    [{ type: 'tei', base_urls: ['http://a'], model: 'm', api_key: 'inline' }, ''],
  ])('rejects %j at %s', (input, path) => {
    const parsed = UpstreamBackendConfig.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path[0] ?? '')).toContain(path === '' ? '' : path);
  });

  it('fills the timeouts the configuration leaves unset from the defaults given, else the backend’s own', async () => {
    const base = { type: 'tei', base_urls: ['http://127.0.0.1:1'], model: 'm' } as const;
    const limits = (backend: { timeoutMs: number; deadlineMs: number }) => [
      backend.timeoutMs,
      backend.deadlineMs,
    ];
    const cases: Array<
      [UpstreamBackendConfig, Parameters<typeof createUpstreamBackendFromConfig>[2], number[]]
    > = [
      [UpstreamBackendConfig.parse(base), undefined, [10_000, 30_000]],
      [UpstreamBackendConfig.parse(base), { timeoutMs: 500, deadlineMs: 1_500 }, [500, 1_500]],
      [
        UpstreamBackendConfig.parse({ ...base, timeout_ms: 700, deadline_ms: 900 }),
        { timeoutMs: 500, deadlineMs: 1_500 },
        [700, 900],
      ],
    ];
    for (const [config, defaults, expected] of cases) {
      const backend = createUpstreamBackendFromConfig(config, {}, defaults);
      try {
        expect(limits(backend)).toEqual(expected);
      } finally {
        await backend.close();
      }
    }
  });

  it('passes max_batches_in_flight_per_replica to the backend, 2 when unset', async () => {
    const base = { type: 'tei', base_urls: ['http://127.0.0.1:1'], model: 'm' } as const;
    for (const [config, expected] of [
      [base, 2],
      [{ ...base, max_batches_in_flight_per_replica: 8 }, 8],
      [{ ...base, connections_per_replica: 64, max_batches_in_flight_per_replica: 64 }, 64],
    ] as const) {
      const backend = createUpstreamBackendFromConfig(UpstreamBackendConfig.parse(config), {});
      try {
        expect(backend.maxBatchesInFlightPerReplica).toBe(expected);
      } finally {
        await backend.close();
      }
    }
  });

  it('refuses to build a backend whose key variable is unset, without printing any key', () => {
    const config = keyedConfig('cohere', 'https://api.example.com', 'rerank-v3.5', 'COHERE_KEY');
    expect(() => createUpstreamBackendFromConfig(config, {})).toThrow(UpstreamConfigError);
    expect(() => createUpstreamBackendFromConfig(config, { COHERE_KEY: '  ' })).toThrow(
      /COHERE_KEY, which is not set/,
    );
  });

  it('reads a key whose variable ends in a newline (a secret mounted from a file) as the key itself', async () => {
    await using engine = await startMockEngine({ dialect: 'tei', apiKey: 'sk-from-file' });
    const config = keyedConfig('tei', engine.url, 'm', 'TEI_KEY');
    const backend = createUpstreamBackendFromConfig(config, { TEI_KEY: ' sk-from-file\r\n' });
    try {
      await backend.load();
      expect(backend.replicas[0]!.lastHealthProblem).toBeUndefined();
      expect(backend.isReady()).toBe(true);
      const result = await backend.doScore({
        query: 'sourdough',
        documents: ['sourdough starter', 'stocks'],
      });
      expect(result.scores).toHaveLength(2);
      expect(engine.scoredRequests).toBe(1);
    } finally {
      await backend.close();
    }
  });

  it('refuses, at once and without printing it, a key no HTTP header can carry', () => {
    const config = keyedConfig('tei', 'http://127.0.0.1:1', 'm', 'TEI_KEY');
    const build = () => createUpstreamBackendFromConfig(config, { TEI_KEY: 'sk-first\nsk-second' });
    expect(build).toThrow(UpstreamConfigError);
    expect(build).toThrow(/TEI_KEY/);
    expect(build).not.toThrow(/sk-first|sk-second/);
  });
});
