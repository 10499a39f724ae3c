// Durations and sizes as operators write them elsewhere (`30s`, `30000ms`, `1m`, `10MB`) are refused, with
// the setting's unit in the message, so the fix is plain: the number in that unit, without the unit.
import { describe, expect, it } from 'vitest';
import { configErrorMessage } from './config-error-message.js';
import { loadServerConfig } from './load-server-config.js';

describe('integer settings with a unit', () => {
  it.each([
    ['SEALINK_REQUEST_TIMEOUT_MS', '30s', 'an integer from 1 to 3600000 (milliseconds, without a unit)'],
    ['SEALINK_DRAIN_TIMEOUT_MS', '10000ms', 'an integer from 0 to 3600000 (milliseconds, without a unit)'],
    ['SEALINK_RETRY_AFTER_SECONDS', '5s', 'an integer from 1 to 3600 (seconds, without a unit)'],
    ['SEALINK_RATE_LIMIT_WINDOW_SECONDS', '1m', 'an integer from 1 to 86400 (seconds, without a unit)'],
    ['SEALINK_MAX_BODY_BYTES', '10MB', 'an integer from 1024 to 1073741824 (bytes, without a unit)'],
  ])('refuses %s=%j naming the unit', (variable, value, expected) => {
    expect(configErrorMessage(() => loadServerConfig({ env: { [variable]: value } }))).toBe(
      `Invalid configuration: ${variable}: must be ${expected} (got "${value}").`,
    );
  });

  it('reads the number in the unit, with white space around it', () => {
    expect(
      loadServerConfig({
        env: { SEALINK_REQUEST_TIMEOUT_MS: ' 30000\r', SEALINK_RETRY_AFTER_SECONDS: '7 ' },
      }),
    ).toMatchObject({ request_timeout_ms: 30_000, retry_after_seconds: 7 });
  });

  it('keeps the message of a setting without a unit', () => {
    expect(configErrorMessage(() => loadServerConfig({ env: { PORT: '80a' } }))).toBe(
      'Invalid configuration: PORT: must be an integer from 0 to 65535 (got "80a").',
    );
  });
});
