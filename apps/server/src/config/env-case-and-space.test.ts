// Values as operators write them in environment variables: surrounding white space (a CRLF env file's
// carriage return, a space after `=` in a compose file) is ignored by every variable that is not a path,
// as it already was for integers, booleans and lists; and NODE_ENV=Production is production.
import { describe, expect, it } from 'vitest';
import { configErrorMessage } from './config-error-message.js';
import { loadServerConfig } from './load-server-config.js';

describe('environment variables with white space around the value', () => {
  it.each([
    [' 0.0.0.0', '0.0.0.0'],
    ['0.0.0.0\r', '0.0.0.0'],
    ['\t:: ', '::'],
    ['localhost\r\n', 'localhost'],
  ])('reads HOST=%j as %s', (given, host) => {
    expect(loadServerConfig({ env: { HOST: given } }).host).toBe(host);
  });

  it('reads SEALINK_REDIS_URL without the white space around it', () => {
    expect(loadServerConfig({ env: { SEALINK_REDIS_URL: ' redis://cache:6379/0\r' } }).redis_url).toBe(
      'redis://cache:6379/0',
    );
  });

  it('reads the other settings of the kinds already trimmed the same way', () => {
    const config = loadServerConfig({
      env: {
        PORT: ' 9090\r',
        SEALINK_AUTH_DISABLED: ' TRUE\r',
        SEALINK_PROCESS_METRICS: 'Off',
        SEALINK_CORS_ORIGINS: ' https://app.example.com \r',
        SEALINK_LOG_LEVEL: 'Warn\r',
      },
    });
    expect(config).toMatchObject({
      port: 9090,
      auth_disabled: true,
      process_metrics: false,
      cors_origins: ['https://app.example.com'],
      log_level: 'warn',
    });
  });

  it('still refuses a host with white space inside it, naming the variable', () => {
    expect(configErrorMessage(() => loadServerConfig({ env: { HOST: '0.0.0.0 8080' } }))).toMatch(
      /^Invalid configuration: HOST: must be an IP address or a host name .* \(got "0\.0\.0\.0 8080"\)\.$/,
    );
  });
});

describe('NODE_ENV in any case', () => {
  it.each(['production', 'Production', 'PRODUCTION', ' production\r'])(
    'refuses to run without keys when NODE_ENV=%j',
    (nodeEnv) => {
      expect(configErrorMessage(() => loadServerConfig({ env: { NODE_ENV: nodeEnv } }))).toMatch(
        /^Invalid configuration: SEALINK_API_KEYS: no API key is set and NODE_ENV is production\./,
      );
      expect(loadServerConfig({ env: { NODE_ENV: nodeEnv, SEALINK_API_KEYS: 'k' } }).api_keys).toEqual(['k']);
      expect(
        loadServerConfig({ env: { NODE_ENV: nodeEnv, SEALINK_AUTH_DISABLED: 'TRUE' } }).auth_disabled,
      ).toBe(true);
    },
  );

  it('runs without keys (with the usual warning) for any other NODE_ENV', () => {
    expect(loadServerConfig({ env: { NODE_ENV: 'development' } }).api_keys).toEqual([]);
  });
});
