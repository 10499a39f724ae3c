import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from './load-server-config.js';

const DIGEST = createHash('sha256').update('sk-production').digest('hex');

describe('loadServerConfig in production', () => {
  it('takes API key digests alone as keys: a configuration that never holds a key may run in production', () => {
    const config = loadServerConfig({ env: { NODE_ENV: 'production', SEALINK_API_KEY_DIGESTS: DIGEST } });
    expect(config.api_keys).toEqual([]);
    expect(config.api_key_digests).toEqual([DIGEST]);
    expect(config.auth_disabled).toBe(false);
  });

  it('still refuses production with neither keys nor digests', () => {
    expect(() =>
      loadServerConfig({ env: { NODE_ENV: 'production', SEALINK_API_KEY_DIGESTS: ' , ' } }),
    ).toThrow(ConfigError);
    expect(() => loadServerConfig({ env: { NODE_ENV: 'production' } })).toThrow(/no API key is set/);
  });

  it('reads NODE_ENV with white space around it ignored, as the server reads its own variables: a CRLF env file does not turn the key check off', () => {
    for (const value of ['production\r', ' production ', 'production\n']) {
      expect(() => loadServerConfig({ env: { NODE_ENV: value } }), JSON.stringify(value)).toThrow(
        /no API key is set and NODE_ENV is production/,
      );
    }
    expect(loadServerConfig({ env: { NODE_ENV: 'development\r' } }).api_keys).toEqual([]);
  });
});
