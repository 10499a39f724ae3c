// The deployable build: tsdown turns the CLI into plain JavaScript (workspace packages bundled, npm
// packages external), and `node` alone runs it, with no tsx, as `pnpm start` and the Dockerfile do.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';
import { build } from 'tsdown';
import { describe, expect, it } from 'vitest';
import { appBuildConfig } from '../app-build-config.ts';

const APP_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
// Under node_modules, where Node resolves the external npm packages as it does for dist/.
const OUT_DIRECTORY = join(APP_DIRECTORY, 'node_modules', '.cache', 'sealink-built-cli-test');

/** Starts the built CLI on a free port; `await using` kills it. */
async function startBuiltCli(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [join(OUT_DIRECTORY, 'cli.mjs')], {
    cwd: APP_DIRECTORY,
    env: { PATH: process.env.PATH ?? '', PORT: '0', SEALINK_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = once(child, 'exit');
  let stdout = '';
  child.stdout?.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout);
    if (match !== null && stdout.includes('models loaded')) {
      return {
        url: match[1]!,
        async [Symbol.asyncDispose]() {
          if (child.exitCode === null) child.kill('SIGKILL');
          await exit;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the built CLI did not start: ${stdout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the built CLI', () => {
  it('serves the public API page’s example with the embedded model, run by node alone', async () => {
    await build({
      ...appBuildConfig({ entry: { cli: 'src/cli.ts' }, outDir: OUT_DIRECTORY }),
      cwd: APP_DIRECTORY,
      config: false,
      logLevel: 'warn',
    });
    await using server = await startBuiltCli({ SEALINK_API_KEYS: 'sk-built-0123456789' });
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
});
