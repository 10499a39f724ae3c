// The command the README, the guide and the configuration reference give for an API key's digest, run as
// written (by sh, on this machine), prints a value the server takes as that key's digest, from the
// environment and from the file; a malformed digest, the sha256sum line with its `  -` included, is refused
// with a message that shows the expected form.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configErrorMessage } from './config-error-message.js';
import { loadServerConfig } from './load-server-config.js';
import { CONFIG_REFERENCE } from './server-config.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const GUIDE = fileURLToPath(new URL('../../../docs/src/guides/running-the-server.md', import.meta.url));

/** Every inline code span that runs sha256sum, with where it was found. */
function documentedCommands(): { where: string; command: string }[] {
  const texts = [
    { where: 'apps/server/README.md', text: readFileSync(README, 'utf8') },
    { where: 'the guide running-the-server.md', text: readFileSync(GUIDE, 'utf8') },
    ...CONFIG_REFERENCE.map((entry) => ({
      where: `CONFIG_REFERENCE ${entry.name}`,
      text: entry.description,
    })),
  ];
  return texts.flatMap(({ where, text }) =>
    [...text.matchAll(/`([^`\n]*sha256sum[^`\n]*)`/g)].map((match) => ({ where, command: match[1]! })),
  );
}

const EXPECTED_FORM =
  'a key digest must be 64 hexadecimal digits (SHA-256) and nothing else, as `printf %s "$KEY" | sha256sum | cut -d\' \' -f1` prints';

describe('the documented key digest command', () => {
  const commands = documentedCommands();

  it('is given in the README, the guide and the configuration reference', () => {
    expect(commands.map((found) => found.where)).toEqual(
      expect.arrayContaining([
        'apps/server/README.md',
        'the guide running-the-server.md',
        'CONFIG_REFERENCE api_key_digests',
      ]),
    );
  });

  it.each(commands)('in $where, `$command`, prints a digest the server accepts', ({ command }) => {
    const key = 'sk-live-Ab3$x "quoted" \\n';
    const digest = createHash('sha256').update(key).digest('hex');
    const output = execFileSync('sh', ['-c', command], {
      env: { PATH: process.env.PATH ?? '', KEY: key },
    }).toString();
    // As `SEALINK_API_KEY_DIGESTS=$(command)` would set it (the shell drops the final newline) and as is.
    for (const value of [output.replace(/\n+$/, ''), output]) {
      expect(loadServerConfig({ env: { SEALINK_API_KEY_DIGESTS: value } }).api_key_digests).toEqual([digest]);
    }
    // Pasted into the configuration file.
    const path = join(mkdtempSync(join(tmpdir(), 'sealink-digest-')), 'config.json');
    writeFileSync(path, JSON.stringify({ api_key_digests: [output.trim()] }));
    expect(loadServerConfig({ env: {}, configPath: path }).api_key_digests).toEqual([digest]);
  });

  it('refuses a malformed digest, sha256sum’s whole line included, showing the expected form', () => {
    const line = `${createHash('sha256').update('k').digest('hex')}  -`;
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_API_KEY_DIGESTS: line } }))).toBe(
      `Invalid configuration: SEALINK_API_KEY_DIGESTS: ${EXPECTED_FORM} (got a string of 67 characters).`,
    );
    expect(configErrorMessage(() => loadServerConfig({ env: { SEALINK_API_KEY_DIGESTS: 'abc' } }))).toBe(
      `Invalid configuration: SEALINK_API_KEY_DIGESTS: ${EXPECTED_FORM} (got a string of 3 characters).`,
    );
  });
});
