import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

async function help(flag: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, flag], {
    env: { PATH: process.env.PATH ?? '' },
    timeout: 20_000,
  });
  return stdout;
}

describe('sealink-rerank-server --help', () => {
  it('documents every option it takes, short forms included', async () => {
    const text = await help('--help');
    expect(text).toMatch(/^Usage: sealink-rerank-server \[--config <file\.json>\] \[--help\]\n/);
    expect(text).toMatch(/^ {2}-c, --config <file\.json> {2}\S/m);
    expect(text).toMatch(/^ {2}-h, --help {16}\S/m);
    // The short form is the same help.
    expect(await help('-h')).toBe(text);
  });
});
