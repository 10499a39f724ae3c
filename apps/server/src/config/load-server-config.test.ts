import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_BODY_BYTES } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from './load-server-config.js';
import { CONFIG_REFERENCE, ServerConfig } from './server-config.js';

function tempFile(name: string, content: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'sealink-config-'));
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadServerConfig', () => {
  it('applies the defaults: port 8080, host 127.0.0.1, the bm25 model only, auth off without keys', () => {
    const config = loadServerConfig({ env: {} });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      api_keys: [],
      auth_disabled: false,
      max_body_bytes: DEFAULT_MAX_BODY_BYTES,
      request_timeout_ms: 30_000,
      drain_timeout_ms: 10_000,
      log_level: 'info',
    });
    expect(config.models.map((model) => model.id)).toEqual(['bm25']);
    expect(config.models[0]?.backend).toEqual({ type: 'bm25' });
  });

  it('reads environment variables over the file over the defaults', () => {
    const file = tempFile(
      'config.json',
      JSON.stringify({ port: 9000, host: '0.0.0.0', request_timeout_ms: 1234 }),
    );
    const config = loadServerConfig({
      env: {
        SEALINK_CONFIG: file,
        PORT: '9100',
        SEALINK_API_KEYS: ' key-one, key-two ,,',
        SEALINK_AUTH_DISABLED: 'yes',
      },
    });
    expect(config).toMatchObject({
      port: 9100,
      host: '0.0.0.0',
      request_timeout_ms: 1234,
      auth_disabled: true,
    });
    expect(config.api_keys).toEqual(['key-one', 'key-two']);
    expect(
      loadServerConfig({
        env: { SEALINK_CONFIG: file },
        configPath: tempFile('other.json', '{"port": 7000}'),
      }).port,
    ).toBe(7000);
  });

  it('reads the model registry from a models file', () => {
    const models = tempFile(
      'models.json',
      JSON.stringify([
        { id: 'bm25', backend: { type: 'bm25', options: { k1: 1.5, b: 0.5 } }, max_documents: 200 },
        {
          id: 'bm25-plain',
          backend: { type: 'bm25', options: { stemming: false } },
          default_instruction: 'x',
          owned_by: 'me',
        },
      ]),
    );
    const config = loadServerConfig({ env: { SEALINK_MODELS_FILE: models } });
    expect(config.models.map((model) => model.id)).toEqual(['bm25', 'bm25-plain']);
    expect(config.models[0]?.backend).toEqual({ type: 'bm25', options: { k1: 1.5, b: 0.5 } });
  });

  it('names the environment variable of a bad value', () => {
    expect(configError(() => loadServerConfig({ env: { PORT: 'eighty' } }))).toMatch(
      /^Invalid configuration: PORT: .*got "eighty"/,
    );
    expect(configError(() => loadServerConfig({ env: { PORT: '70000' } }))).toMatch(/PORT: .*65535/);
    expect(configError(() => loadServerConfig({ env: { SEALINK_AUTH_DISABLED: 'perhaps' } }))).toMatch(
      /SEALINK_AUTH_DISABLED/,
    );
    expect(configError(() => loadServerConfig({ env: { SEALINK_LOG_LEVEL: 'loud' } }))).toMatch(
      /SEALINK_LOG_LEVEL/,
    );
    expect(configError(() => loadServerConfig({ env: { SEALINK_API_KEY_DIGESTS: 'abc' } }))).toMatch(
      /SEALINK_API_KEY_DIGESTS: a key digest must be 64/,
    );
  });

  it('names the key and file of a bad value, unknown keys included', () => {
    const file = tempFile('bad.json', JSON.stringify({ request_timeout_ms: -1 }));
    expect(configError(() => loadServerConfig({ env: {}, configPath: file }))).toMatch(
      /request_timeout_ms in .*bad\.json/,
    );
    const unknown = tempFile('unknown.json', JSON.stringify({ prot: 8080 }));
    expect(configError(() => loadServerConfig({ env: {}, configPath: unknown }))).toMatch(/prot/);
    expect(
      configError(() => loadServerConfig({ env: {}, configPath: tempFile('broken.json', '{') })),
    ).toMatch(/not valid JSON/);
    expect(configError(() => loadServerConfig({ env: {}, configPath: '/nonexistent/config.json' }))).toMatch(
      /Cannot read .*ENOENT/,
    );
  });

  it('names the model and field of a bad models file', () => {
    const unknownType = tempFile(
      'm1.json',
      JSON.stringify([{ id: 'x', backend: { type: 'no-such-engine' } }]),
    );
    expect(configError(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: unknownType } }))).toMatch(
      /models file .*m1\.json: \[0\]\.backend\.type/,
    );
    const duplicate = tempFile(
      'm2.json',
      JSON.stringify([
        { id: 'a', backend: { type: 'bm25' } },
        { id: 'a', backend: { type: 'bm25' } },
      ]),
    );
    expect(configError(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: duplicate } }))).toMatch(
      /\[1\]\.id: the model id 'a' appears twice/,
    );
    const badOption = tempFile(
      'm3.json',
      JSON.stringify([{ id: 'a', backend: { type: 'bm25', options: { b: 2 } } }]),
    );
    expect(configError(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: badOption } }))).toMatch(
      /\[0\]\.backend\.options\.b/,
    );
    expect(
      configError(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: tempFile('m4.json', '[]') } })),
    ).toMatch(/at least one model/);
  });

  it('refuses to run without keys in production unless auth is explicitly off', () => {
    expect(configError(() => loadServerConfig({ env: { NODE_ENV: 'production' } }))).toMatch(
      /SEALINK_API_KEYS: no API key is set/,
    );
    expect(
      loadServerConfig({ env: { NODE_ENV: 'production', SEALINK_AUTH_DISABLED: 'true' } }).auth_disabled,
    ).toBe(true);
    expect(loadServerConfig({ env: { NODE_ENV: 'production', SEALINK_API_KEYS: 'k' } }).api_keys).toEqual([
      'k',
    ]);
  });
});

describe('CONFIG_REFERENCE', () => {
  it('lists every setting of ServerConfig, each with a description naming its environment variable and default', () => {
    expect(CONFIG_REFERENCE.map((entry) => entry.name)).toEqual(Object.keys(ServerConfig.shape));
    for (const [name, schema] of Object.entries(ServerConfig.shape)) {
      const entry = CONFIG_REFERENCE.find((candidate) => candidate.name === name)!;
      const description = String(schema.meta()?.description);
      expect(description.length).toBeGreaterThan(20);
      if (entry.env !== '') expect(description).toContain(`\`${entry.env}\``);
      if (entry.default !== '') expect(description).toContain(`Default: \`${entry.default}\``);
    }
    expect(CONFIG_REFERENCE.find((entry) => entry.name === 'host')?.description).toContain('0.0.0.0');
  });
});
