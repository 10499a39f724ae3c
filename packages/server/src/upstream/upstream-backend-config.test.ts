import { sigmoid } from '@sealink/rerank-contract/dialects';
import { lexicalScore, startMockEngine } from '@sealink/rerank-mock-server';
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
    [{ type: 'llama-cpp', base_urls: ['http://a'], model: 'm', score_mapping: 'softmax' }, 'score_mapping'],
    // Only llama.cpp's scale depends on the model it serves; every other type's is fixed.
    [{ type: 'tei', base_urls: ['http://a'], model: 'm', score_mapping: 'identity' }, 'score_mapping'],
    [{ type: 'vllm', base_urls: ['http://a'], model: 'm', score_mapping: 'sigmoid' }, 'score_mapping'],
    [{ type: 'cohere', base_urls: ['http://a'], model: 'm', score_mapping: 'identity' }, 'score_mapping'],
  ])('rejects %j at %s', (input, path) => {
    const parsed = UpstreamBackendConfig.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path[0] ?? '')).toContain(path === '' ? '' : path);
  });

  it('refuses a replica listed twice (the same URL, also spelt with a trailing slash, an upper-case host or the default port), naming the second', () => {
    for (const [first, second] of [
      ['http://tei-0:8080', 'http://tei-0:8080'],
      ['http://tei-0:8080', 'http://tei-0:8080/'],
      ['http://TEI-0:8080/v1', 'http://tei-0:8080/v1/'],
      ['http://tei-0', 'http://tei-0:80'],
    ]) {
      const parsed = UpstreamBackendConfig.safeParse({
        type: 'tei',
        base_urls: [first, 'http://tei-1:8080', second],
        model: 'm',
      });
      expect(parsed.error?.issues, `${first} ${second}`).toEqual([
        expect.objectContaining({
          path: ['base_urls', 2],
          message: `the replica ${second} is listed twice (as base_urls[0] too); each base URL must be a different replica`,
        }),
      ]);
    }
    // Different paths or ports are different replicas.
    expect(
      UpstreamBackendConfig.safeParse({
        type: 'tei',
        base_urls: ['http://tei-0:8080', 'http://tei-0:8081', 'http://tei-0:8080/b'],
        model: 'm',
      }).success,
    ).toBe(true);
  });

  it('names score_mapping, its values and the type when it refuses one', () => {
    const wrongType = UpstreamBackendConfig.safeParse({
      type: 'tei',
      base_urls: ['http://a'],
      model: 'm',
      score_mapping: 'identity',
    });
    expect(wrongType.error?.issues).toEqual([
      expect.objectContaining({
        path: ['score_mapping'],
        message:
          'score_mapping applies to type llama-cpp only, whose scale depends on the GGUF it serves; the scale of a tei upstream is fixed, so leave it out',
      }),
    ]);
    const wrongValue = UpstreamBackendConfig.safeParse({
      type: 'llama-cpp',
      base_urls: ['http://a'],
      model: 'm',
      score_mapping: 'softmax',
    });
    expect(wrongValue.error?.issues).toEqual([
      expect.objectContaining({
        path: ['score_mapping'],
        message: 'score_mapping must be "sigmoid" or "identity"',
      }),
    ]);
  });

  it('passes score_mapping to a llama-cpp backend: identity reads a Qwen3 GGUF’s probabilities as they are', async () => {
    await using engine = await startMockEngine({ dialect: 'llama-cpp', scoreMapping: 'identity' });
    const documents = ['sourdough starter', 'stocks'];
    const scoresWith = async (scoreMapping: 'identity' | undefined) => {
      const config = UpstreamBackendConfig.parse({
        type: 'llama-cpp',
        base_urls: [engine.url],
        model: 'Qwen3-Reranker-0.6B-Q8_0.gguf',
        ...(scoreMapping === undefined ? {} : { score_mapping: scoreMapping }),
      });
      const backend = createUpstreamBackendFromConfig(config, {});
      try {
        return Array.from((await backend.doScore({ query: 'sourdough', documents })).scores);
      } finally {
        await backend.close();
      }
    };
    const expected = documents.map((document) => lexicalScore('sourdough', document));
    expect(expected[1]).toBe(0);
    expect(await scoresWith('identity')).toEqual(expected.map((score) => expect.closeTo(score, 12)));
    // Unset, the type's sigmoid applies as before.
    expect(await scoresWith(undefined)).toEqual(expected.map((score) => expect.closeTo(sigmoid(score), 12)));
  });

  it('passes onLoadWarning to the backend, told when verify_on_load finds probabilities under the sigmoid', async () => {
    await using engine = await startMockEngine({ dialect: 'llama-cpp', scoreMapping: 'identity' });
    const config = UpstreamBackendConfig.parse({
      type: 'llama-cpp',
      base_urls: [engine.url],
      model: 'q',
      verify_on_load: true,
    });
    const warnings: string[] = [];
    const backend = createUpstreamBackendFromConfig(
      config,
      {},
      { onLoadWarning: (message) => warnings.push(message) },
    );
    try {
      await backend.load();
      expect(warnings).toEqual([expect.stringContaining('set score_mapping: "identity" for this model')]);
    } finally {
      await backend.close();
    }
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
