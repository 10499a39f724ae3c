import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const PACKAGE_DIR = path.resolve(import.meta.dirname, '../..');

/** Runs `pnpm build` as a user would (tsx on the CLI), in the package folder. */
function build(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/build-cli.ts', ...args], { cwd: PACKAGE_DIR });
}

describe('the build command', () => {
  it('builds into --out-dir with --api-base-url, and refuses a bad URL with one message and exit code 1', async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'sealink-docs-cli-'));
    await using _cleanup = { [Symbol.asyncDispose]: () => rm(outDir, { recursive: true, force: true }) };
    const [built, refused] = await Promise.allSettled([
      build('--out-dir', outDir, '--api-base-url', 'http://127.0.0.1:8080/v1'),
      build('--out-dir', path.join(outDir, 'never'), '--api-base-url', 'localhost:8080'),
    ]);
    expect(built.status).toBe('fulfilled');
    if (built.status === 'fulfilled') {
      expect(built.value.stdout).toBe(`Built 8 pages into ${outDir} (API base URL http://127.0.0.1:8080).\n`);
    }
    const consoleHtml = await readFile(path.join(outDir, 'console.html'), 'utf8');
    expect(consoleHtml).toContain('<meta name="sealink-api-base-url" content="http://127.0.0.1:8080">');
    expect(refused.status).toBe('rejected');
    if (refused.status === 'rejected') {
      const failure = refused.reason as { code: number; stderr: string };
      expect(failure.code).toBe(1);
      expect(failure.stderr).toBe(
        "Invalid API base URL: The URL must start with http:// or https://: 'localhost:8080' does not.\n",
      );
    }
  }, 60_000);

  it('takes its options after the bare -- that `pnpm build -- --out-dir x` passes on to the script', async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'sealink-docs-cli-'));
    await using _cleanup = { [Symbol.asyncDispose]: () => rm(outDir, { recursive: true, force: true }) };
    const built = await build('--', '--out-dir', outDir, '--api-base-url', 'http://127.0.0.1:4010');
    expect(built.stdout).toBe(`Built 8 pages into ${outDir} (API base URL http://127.0.0.1:4010).\n`);
    const help = await build('--', '--help');
    expect(help.stdout).toMatch(/^Usage: pnpm build /);
  }, 60_000);
});
