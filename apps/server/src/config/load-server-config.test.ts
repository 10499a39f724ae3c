import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_MAX_BODY_BYTES } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { configErrorMessage } from './config-error-message.js';
import { loadServerConfig } from './load-server-config.js';
import { CONFIG_REFERENCE, ServerConfig } from './server-config.js';

function tempFile(name: string, content: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'sealink-config-'));
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
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
    expect(configErrorMessage(() => loadServerConfig({ env: { PORT: 'eighty' } }))).toMatch(
      /^Invalid configuration: PORT: .*got "eighty"/,
    );
    expect(configErrorMessage(() => loadServerConfig({ env: { PORT: '70000' } }))).toMatch(/PORT: .*65535/);
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_AUTH_DISABLED: 'perhaps' } }))).toMatch(
      /SEALINK_AUTH_DISABLED/,
    );
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_LOG_LEVEL: 'loud' } }))).toMatch(
      /SEALINK_LOG_LEVEL/,
    );
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_API_KEY_DIGESTS: 'abc' } }))).toMatch(
      /SEALINK_API_KEY_DIGESTS: a key digest must be 64/,
    );
  });

  it('names the key and file of a bad value, unknown keys included', () => {
    const file = tempFile('bad.json', JSON.stringify({ request_timeout_ms: -1 }));
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: file }))).toMatch(
      /request_timeout_ms in .*bad\.json/,
    );
    const unknown = tempFile('unknown.json', JSON.stringify({ prot: 8080 }));
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: unknown }))).toMatch(/prot/);
    expect(
      configErrorMessage(() => loadServerConfig({ env: {}, configPath: tempFile('broken.json', '{') })),
    ).toMatch(/not valid JSON/);
    expect(
      configErrorMessage(() => loadServerConfig({ env: {}, configPath: '/nonexistent/config.json' })),
    ).toMatch(/cannot read .*no such file \(ENOENT\)/);
  });

  it('names the model and field of a bad models file', () => {
    const unknownType = tempFile(
      'm1.json',
      JSON.stringify([{ id: 'x', backend: { type: 'no-such-engine' } }]),
    );
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: unknownType } }))).toMatch(
      /models file .*m1\.json: \[0\]\.backend\.type/,
    );
    const duplicate = tempFile(
      'm2.json',
      JSON.stringify([
        { id: 'a', backend: { type: 'bm25' } },
        { id: 'a', backend: { type: 'bm25' } },
      ]),
    );
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: duplicate } }))).toMatch(
      /\[1\]\.id: the model id 'a' appears twice/,
    );
    const badOption = tempFile(
      'm3.json',
      JSON.stringify([{ id: 'a', backend: { type: 'bm25', options: { b: 2 } } }]),
    );
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: badOption } }))).toMatch(
      /\[0\]\.backend\.options\.b/,
    );
    expect(
      configErrorMessage(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: tempFile('m4.json', '[]') } })),
    ).toMatch(/at least one model/);
  });

  it('says a boolean setting must be true or false, in words, not as a type error', () => {
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_AUTH_DISABLED: 'perhaps' } }))).toBe(
      'Invalid configuration: SEALINK_AUTH_DISABLED: must be true or false (in an environment variable also 1, 0, yes, no, on or off) (got "perhaps").',
    );
    const file = tempFile('flag.json', JSON.stringify({ process_metrics: 'no' }));
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: file }))).toMatch(
      /^Invalid configuration: process_metrics in .*flag\.json: must be true or false .*\(got "no"\)\.$/,
    );
    expect(loadServerConfig({ env: { SEALINK_PROCESS_METRICS: 'off' } }).process_metrics).toBe(false);
  });

  it('names a models file that holds something other than a list once, with one colon', () => {
    const wrapped = tempFile(
      'wrapped.json',
      JSON.stringify({ models: [{ id: 'a', backend: { type: 'bm25' } }] }),
    );
    const message = configErrorMessage(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: wrapped } }));
    expect(message).toMatch(
      /^Invalid configuration: the models file .*wrapped\.json: Invalid input: expected array/,
    );
    expect(message).not.toContain('::');
  });

  it('never echoes an API key from the file: names the setting and says only the shape of the value', () => {
    const key = 'sk-live-abc';
    const asString = tempFile('keys-string.json', JSON.stringify({ api_keys: key }));
    const message = configErrorMessage(() => loadServerConfig({ env: {}, configPath: asString }));
    expect(message).toMatch(/^Invalid configuration: api_keys in .*keys-string\.json: /);
    expect(message).toContain('(got a string of 11 characters)');
    expect(message).not.toContain(key);
    expect(message).not.toContain('sk-live');

    const withSpace = tempFile('keys-space.json', JSON.stringify({ api_keys: ['ok-key', 'sk-live abc'] }));
    const spaced = configErrorMessage(() => loadServerConfig({ env: {}, configPath: withSpace }));
    expect(spaced).toMatch(/api_keys in .*keys-space\.json: an API key must not contain white space/);
    expect(spaced).toContain('(got a string of 11 characters)');
    expect(spaced).not.toContain('sk-live');

    const asNumber = tempFile('keys-number.json', JSON.stringify({ api_keys: [123456789] }));
    const numeric = configErrorMessage(() => loadServerConfig({ env: {}, configPath: asNumber }));
    expect(numeric).toContain('(got a number)');
    expect(numeric).not.toContain('123456789');

    const digests = tempFile('digests.json', JSON.stringify({ api_key_digests: 'sk-live-abc, sk-live-def' }));
    const digestMessage = configErrorMessage(() => loadServerConfig({ env: {}, configPath: digests }));
    expect(digestMessage).toMatch(/api_key_digests in .*digests\.json: .*\(got a string of 24 characters\)/);
    expect(digestMessage).not.toContain('sk-live');
  });

  it('never echoes an API key from SEALINK_API_KEYS', () => {
    const message = configErrorMessage(() =>
      loadServerConfig({ env: { SEALINK_API_KEYS: 'good-key, sk-live abc-123 ,other' } }),
    );
    expect(message).toBe(
      'Invalid configuration: SEALINK_API_KEYS: an API key must not contain white space (got a string of 15 characters).',
    );
    expect(message).not.toContain('sk-live');
    expect(message).not.toContain('good-key');
    const digest = configErrorMessage(() =>
      loadServerConfig({ env: { SEALINK_API_KEY_DIGESTS: 'sk-live-abc' } }),
    );
    expect(digest).toBe(
      `Invalid configuration: SEALINK_API_KEY_DIGESTS: a key digest must be 64 hexadecimal digits (SHA-256) and nothing else, as \`printf %s "$KEY" | sha256sum | cut -d' ' -f1\` prints (got a string of 11 characters).`,
    );
  });

  it('hides secrets inside a rejected object, an api_key_env holding a key and credentials in a base URL', () => {
    const unknownKey = tempFile('unknown-key.json', JSON.stringify({ api_keys: ['sk-live-abc'], prot: 1 }));
    const unknown = configErrorMessage(() => loadServerConfig({ env: {}, configPath: unknownKey }));
    expect(unknown).toMatch(/prot/);
    expect(unknown).not.toContain('api_keys');
    expect(unknown).not.toContain('sk-live');

    const upstream = (backend: Record<string, unknown>) =>
      tempFile(
        'models.json',
        JSON.stringify([
          { id: 'up', backend: { type: 'tei', model: 'm', base_urls: ['http://tei:8080'], ...backend } },
        ]),
      );
    const keyInEnvName = configErrorMessage(() =>
      loadServerConfig({ env: { SEALINK_MODELS_FILE: upstream({ api_key_env: 'sk-live-abc' }) } }),
    );
    expect(keyInEnvName).toMatch(
      /\[0\]\.backend\.api_key_env: api_key_env must name an environment variable/,
    );
    expect(keyInEnvName).toContain('(got a string of 11 characters)');
    expect(keyInEnvName).not.toContain('sk-live');

    const credentials = configErrorMessage(() =>
      loadServerConfig({
        env: { SEALINK_MODELS_FILE: upstream({ base_urls: ['https://user:sk-live@abc@tei:8080/v1'] }) },
      }),
    );
    expect(credentials).toMatch(/\[0\]\.backend\.base_urls\[0\]: a base URL must not carry credentials/);
    expect(credentials).toContain('(got "https://***@tei:8080/v1")');
    expect(credentials).not.toContain('sk-live');
  });

  it('names the setting of a file that is not JSON or not of the right kind, with the path as given', () => {
    const folder = mkdtempSync(join(tmpdir(), 'sealink-config-'));
    writeFileSync(join(folder, 'list.json'), '[1]');
    writeFileSync(join(folder, 'broken.json'), '{');
    const cwd = folder;
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: 'list.json', cwd }))).toBe(
      'Invalid configuration: --config: list.json must hold a JSON object (got a list of 1 item).',
    );
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_CONFIG: 'list.json' }, cwd }))).toBe(
      'Invalid configuration: SEALINK_CONFIG: list.json must hold a JSON object (got a list of 1 item).',
    );
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: 'broken.json', cwd }))).toMatch(
      /^Invalid configuration: --config: broken\.json is not valid JSON: /,
    );
    expect(
      configErrorMessage(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: 'broken.json' }, cwd })),
    ).toMatch(/^Invalid configuration: SEALINK_MODELS_FILE: broken\.json is not valid JSON: /);
  });

  it('never echoes the text of a configuration file that is not valid JSON', () => {
    const broken = tempFile('broken-keys.json', '{"api_keys": sk-live-abc}');
    const message = configErrorMessage(() => loadServerConfig({ env: {}, configPath: broken }));
    expect(message).toMatch(/broken-keys\.json is not valid JSON: Unexpected token/);
    expect(message).not.toContain('sk-live');
    expect(message).not.toContain('api_keys');
  });

  it('refuses to run without keys in production unless auth is explicitly off', () => {
    expect(configErrorMessage(() => loadServerConfig({ env: { NODE_ENV: 'production' } }))).toMatch(
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

describe('loadServerConfig on hostile input', () => {
  it('names a misspelt key inside a model, with the key meant, before the field it leaves missing', () => {
    const cases: [unknown, RegExp][] = [
      [
        { id: 'a', backend: { type: 'tei', base_url: ['http://tei-0:8080'], model: 'm' } },
        / \[0\]\.backend: unknown key "base_url" \(did you mean "base_urls"\?\)\.$/,
      ],
      [
        { id: 'a', backend: { type: 'tei', base_urls: ['http://tei-0:8080'], model: 'm', timeout: 5 } },
        / \[0\]\.backend: unknown key "timeout" \(did you mean "timeout_ms"\?\)\.$/,
      ],
      [
        { id: 'a', max_document: 5, backend: { type: 'bm25' } },
        / \[0\]: unknown key "max_document" \(did you mean "max_documents"\?\)\.$/,
      ],
      [
        { id: 'a', backend: { type: 'bm25', options: { stemmin: false } } },
        / \[0\]\.backend\.options: unknown key "stemmin" \(did you mean "stemming"\?\)\.$/,
      ],
      [
        {
          id: 'a',
          backend: {
            type: 'vllm',
            base_urls: ['http://v:8000'],
            model: 'm',
            circuit_breaker: { cool_down: 1 },
          },
        },
        / \[0\]\.backend\.circuit_breaker: unknown key "cool_down" \(did you mean "cool_down_ms"\?\)\.$/,
      ],
    ];
    for (const [model, expected] of cases) {
      const file = tempFile('models.json', JSON.stringify([model]));
      expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: file } }))).toMatch(
        expected,
      );
      const config = tempFile('inline.json', JSON.stringify({ models: [model] }));
      expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: config }))).toMatch(expected);
    }
  });

  it('names an unknown key, where it is and the key meant, and never shows a value (a misspelt secret key)', () => {
    const file = tempFile('typo.json', JSON.stringify({ port: 9000, api_kyes: ['sk-live-abc'] }));
    const message = configErrorMessage(() => loadServerConfig({ env: {}, configPath: file }));
    expect(message).toMatch(
      /^Invalid configuration: .*typo\.json: unknown key "api_kyes" \(did you mean "api_keys"\?\)\.$/,
    );
    expect(message).not.toContain('sk-live');
    const nested = tempFile(
      'nested.json',
      JSON.stringify({
        models: [{ id: 'a', backend: { type: 'bm25', options: { k11: 1, token: 'tk-abc' } } }],
      }),
    );
    const nestedMessage = configErrorMessage(() => loadServerConfig({ env: {}, configPath: nested }));
    expect(nestedMessage).toMatch(/\[0\]\.backend\.options: unknown keys "k11", "token"/);
    expect(nestedMessage).not.toContain('tk-abc');
  });

  it('refuses a "__proto__" key instead of reading settings through it', () => {
    const file = tempFile('proto.json', '{"__proto__": {"port": 1}}');
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: file }))).toMatch(
      /unknown key "__proto__"/,
    );
  });

  it('reads JSON files that start with a byte order mark', () => {
    const file = tempFile('bom.json', '\ufeff{"port": 8123}');
    const models = tempFile('bom-models.json', '\ufeff[{"id": "m", "backend": {"type": "bm25"}}]');
    const config = loadServerConfig({ env: { SEALINK_MODELS_FILE: models }, configPath: file });
    expect(config.port).toBe(8123);
    expect(config.models.map((model) => model.id)).toEqual(['m']);
  });

  it('says a configuration path is a directory and names the setting it came from', () => {
    const directory = mkdtempSync(join(tmpdir(), 'sealink-config-dir-'));
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_CONFIG: directory } }))).toBe(
      `Invalid configuration: SEALINK_CONFIG: cannot read ${directory}: it is a directory (EISDIR).`,
    );
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: directory } }))).toBe(
      `Invalid configuration: SEALINK_MODELS_FILE: cannot read ${directory}: it is a directory (EISDIR).`,
    );
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: '/nonexistent/c.json' }))).toBe(
      'Invalid configuration: --config: cannot read /nonexistent/c.json: no such file (ENOENT).',
    );
  });

  it.each([
    ['PORT', 'port', 8080],
    ['SEALINK_MODELS_FILE', 'models_file', undefined],
    ['SEALINK_RATE_LIMIT_REQUESTS', 'rate_limit_requests', undefined],
    ['SEALINK_REDIS_URL', 'redis_url', undefined],
    ['SEALINK_LOG_LEVEL', 'log_level', 'info'],
    ['HOST', 'host', '127.0.0.1'],
  ] as const)('treats %s set to the empty string as unset', (variable, key, expected) => {
    expect(loadServerConfig({ env: { [variable]: '' } })[key]).toBe(expected);
    expect(loadServerConfig({ env: { [variable]: '  ' } })[key]).toBe(expected);
  });

  it.each([
    'not a host!!',
    // White space around the value is ignored (env-case-and-space.test.ts), inside it is not.
    '127.0.0.1 0.0.0.0',
    '999.1.1.1',
    'http://localhost',
    '[::1]',
    'host_name',
    '-leading.example',
  ])('refuses HOST=%j with one line naming HOST', (host) => {
    expect(configErrorMessage(() => loadServerConfig({ env: { HOST: host } }))).toMatch(
      /^Invalid configuration: HOST: must be an IP address or a host name/,
    );
  });

  it.each(['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'api.internal', 'my-host-1'])(
    'accepts HOST=%j',
    (host) => {
      expect(loadServerConfig({ env: { HOST: host } }).host).toBe(host);
    },
  );

  it('refuses SEALINK_API_KEYS that is set but holds no key (auth would be off), and drops duplicate keys', () => {
    for (const value of [',', ' , ,']) {
      expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_API_KEYS: value } }))).toBe(
        'Invalid configuration: SEALINK_API_KEYS: holds only commas and white space, so no key; unset it to run without authentication.',
      );
    }
    expect(loadServerConfig({ env: { SEALINK_API_KEYS: 'a,,b, a' } }).api_keys).toEqual(['a', 'b']);
  });

  it('reads CORS origins from SEALINK_CORS_ORIGINS or the file, and refuses what browsers never send', () => {
    expect(loadServerConfig({ env: {} }).cors_origins).toEqual([]);
    expect(
      loadServerConfig({ env: { SEALINK_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173,' } })
        .cors_origins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadServerConfig({ env: { SEALINK_CORS_ORIGINS: '*' } }).cors_origins).toEqual(['*']);
    for (const origin of [
      'https://app.example.com/',
      'app.example.com',
      'https://APP.example.com',
      'ftp://x.y',
    ]) {
      expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_CORS_ORIGINS: origin } }))).toMatch(
        /^Invalid configuration: SEALINK_CORS_ORIGINS(\[0\])?: must be \* or an origin as browsers send it/,
      );
    }
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_CORS_ORIGINS: ' , ' } }))).toBe(
      'Invalid configuration: SEALINK_CORS_ORIGINS: holds only commas and white space, so no origin; unset it to allow no cross-origin calls.',
    );
  });

  it('refuses a Redis URL that is not a URL, without echoing its password', () => {
    const message = configErrorMessage(() =>
      loadServerConfig({ env: { SEALINK_REDIS_URL: 'redis://:s3cret@localhost:notaport/0' } }),
    );
    expect(message).toMatch(/^Invalid configuration: SEALINK_REDIS_URL: /);
    expect(message).not.toContain('s3cret');
  });

  it('says an integer setting must be an integer and gives its range', () => {
    for (const value of ['1e3', 'NaN', '8080abc', '1.5', '99999999999999999999999']) {
      expect(configErrorMessage(() => loadServerConfig({ env: { PORT: value } }))).toMatch(
        /^Invalid configuration: PORT: must be an integer from 0 to 65535 \(got /,
      );
    }
    expect(loadServerConfig({ env: { PORT: ' 8080 ' } }).port).toBe(8080);
  });

  it('refuses an empty --config (an unset shell variable in `--config "$FILE"`) by saying so, instead of reading the working directory', () => {
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: '' }))).toBe(
      'Invalid configuration: --config: the path is empty; give a JSON file, or leave --config out.',
    );
  });

  it('quotes a path with white space or a control character at an end (a CRLF env file) and says so, instead of printing a raw carriage return', () => {
    const models = tempFile('models.json', '[{ "id": "bm25", "backend": { "type": "bm25" } }]');
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_MODELS_FILE: `${models}\r` } }))).toBe(
      `Invalid configuration: SEALINK_MODELS_FILE: cannot read ${JSON.stringify(`${models}\r`)}: no such file (ENOENT); the path ends with white space or a control character (a CRLF line end?).`,
    );
    const config = tempFile('c.json', '{}');
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_CONFIG: ` ${config}` } }))).toBe(
      `Invalid configuration: SEALINK_CONFIG: cannot read ${JSON.stringify(resolve(` ${config}`))}: no such file (ENOENT); the path starts with white space or a control character.`,
    );
    const broken = tempFile('broken.json\t', '{');
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: broken }))).toMatch(
      /^Invalid configuration: --config: ".*broken\.json\\t" is not valid JSON: .*; the path ends with white space or a control character \(a CRLF line end\?\)\.$/,
    );
  });

  it('shows a number too large for JSON (1e400, read as Infinity) as such, not as null', () => {
    const path = tempFile('huge.json', '{"port": 1e400}');
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: path }))).toMatch(
      /^Invalid configuration: port in .*huge\.json: must be an integer from 0 to 65535 \(got Infinity\)\.$/,
    );
    const timeout = tempFile('timeout.json', '{"request_timeout_ms": -1e400}');
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: timeout }))).toMatch(
      /\(got -Infinity\)\.$/,
    );
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
