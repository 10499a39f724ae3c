// The deployable build: tsdown turns the CLI into plain JavaScript (workspace packages bundled, npm
// packages external), and `node` alone runs it, with no tsx, as `pnpm start` and the Dockerfile do.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';
import { build } from 'tsdown';
import { describe, expect, it } from 'vitest';
import { appBuildConfig } from '../app-build-config.ts';
import { startBuiltCli } from './start-built-cli.js';

const APP_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
// Under node_modules, where Node resolves the external npm packages as it does for dist/.
const OUT_DIRECTORY = join(APP_DIRECTORY, 'node_modules', '.cache', 'sealink-built-cli-test');

describe('the built CLI', () => {
  it('serves the public API page’s example with the embedded model, run by node alone', async () => {
    await build({
      ...appBuildConfig({ entry: { cli: 'src/cli.ts' }, outDir: OUT_DIRECTORY }),
      cwd: APP_DIRECTORY,
      config: false,
      logLevel: 'warn',
    });
    await using server = await startBuiltCli(join(OUT_DIRECTORY, 'cli.mjs'), {
      cwd: APP_DIRECTORY,
      env: { SEALINK_API_KEYS: 'sk-built-0123456789' },
    });
    const response = await fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-built-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ ...EXAMPLE_RERANK_REQUEST, model: 'bm25' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { model: string; results: { index: number }[] };
    expect(body.model).toBe('bm25');
    expect(body.results).toHaveLength(2);
    expect(body.results.map((result) => result.index)).not.toContain(1);
    const unauthorized = await fetch(`${server.url}/v1/models`);
    expect(unauthorized.status).toBe(401);
  });

  it('is built by `pnpm start` with nothing on stderr, on Node 20 too (where tsdown’s own CLI warns on every run)', async () => {
    const scripts = (
      JSON.parse(readFileSync(join(APP_DIRECTORY, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.start).toBe('node scripts/build-app.mjs --quiet && node dist/cli.mjs');
    const { stderr, stdout } = await promisify(execFile)(
      process.execPath,
      ['scripts/build-app.mjs', '--quiet'],
      {
        cwd: APP_DIRECTORY,
        timeout: 60_000,
      },
    );
    expect(stderr).toBe('');
    expect(stdout).toBe('');
    const help = await promisify(execFile)(
      process.execPath,
      [join(APP_DIRECTORY, 'dist', 'cli.mjs'), '--help'],
      {
        timeout: 20_000,
      },
    );
    expect(help.stdout).toMatch(/^Usage: sealink-rerank-server/);
  });
});
