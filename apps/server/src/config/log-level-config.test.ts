// Log levels as operators write them: `SEALINK_LOG_LEVEL=INFO` or `"log_level": "Debug"` in the file are
// the levels they name; an unknown level is still refused, with the valid ones listed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configErrorMessage } from './config-error-message.js';
import { loadServerConfig } from './load-server-config.js';

function configFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sealink-log-level-')), 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('log_level', () => {
  it.each([
    ['INFO', 'info'],
    ['Debug', 'debug'],
    [' warn ', 'warn'],
    ['TRACE\r', 'trace'],
    ['Silent', 'silent'],
  ])('reads SEALINK_LOG_LEVEL=%j as %s', (given, level) => {
    expect(loadServerConfig({ env: { SEALINK_LOG_LEVEL: given } }).log_level).toBe(level);
  });

  it.each([
    ['ERROR', 'error'],
    [' Fatal', 'fatal'],
  ])('reads "log_level": %j in the file as %s', (given, level) => {
    expect(loadServerConfig({ env: {}, configPath: configFile({ log_level: given }) }).log_level).toBe(level);
  });

  it('refuses an unknown level, from the environment or the file, listing the valid ones', () => {
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_LOG_LEVEL: 'WARNING' } }))).toBe(
      'Invalid configuration: SEALINK_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace or silent, in any case (got "WARNING").',
    );
    const path = configFile({ log_level: 'verbose' });
    expect(configErrorMessage(() => loadServerConfig({ env: {}, configPath: path }))).toBe(
      `Invalid configuration: log_level in ${path}: must be one of fatal, error, warn, info, debug, trace or silent, in any case (got "verbose").`,
    );
    expect(
      configErrorMessage(() => loadServerConfig({ env: {}, configPath: configFile({ log_level: 3 }) })),
    ).toMatch(
      /log_level in .*: must be one of fatal, error, warn, info, debug, trace or silent, in any case \(got 3\)\.$/,
    );
  });
});
