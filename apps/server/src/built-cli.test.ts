// The deployable build: tsdown turns the CLI into plain JavaScript (workspace packages bundled, npm
// packages external), and `node` alone runs it, with no tsx, as `pnpm start` and the Dockerfile do.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';
import { build } from 'tsdown';
import { describe, expect, it } from 'vitest';
import { appBuildConfig } from '../app-build-config.ts';
import { startBuiltCli } from './start-built-cli.js';
import { waitForRequestsInFlight } from './wait-for-requests-in-flight.js';

const APP_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
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
    expect(scripts.start).toBe('node scripts/build-app.mjs --quiet && exec node dist/cli.mjs');
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

  it('drains and exits 0 when SIGTERM is sent to the `pnpm start` process alone (the README’s first command)', async () => {
    // Its own process group, so that the signal below reaches pnpm only (as `kill <pid>` from a process
    // manager does, not Ctrl-C, which signals the whole group) and the cleanup can still end the group.
    const pnpm = spawn('pnpm', ['start'], {
      cwd: REPOSITORY_ROOT,
      detached: true,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        SEALINK_LOG_LEVEL: 'info',
        SEALINK_DRAIN_TIMEOUT_MS: '20000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    pnpm.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    pnpm.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    const exit = once(pnpm, 'exit').then(([code, signal]) => ({ code, signal }));
    try {
      await expect
        .poll(() => output.includes('models loaded'), { timeout: 80_000, interval: 100 })
        .toBe(true);
      const port = Number(/"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(output)?.[1]);
      // An in-flight request: headers and part of the body before the signal, the rest once draining.
      const body = JSON.stringify({ model: 'bm25', query: 'api gateway', documents: ['a gateway', 'bread'] });
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      let received = '';
      socket.on('data', (data) => {
        received += data.toString();
      });
      socket.on('error', () => {});
      const closed = once(socket, 'close');
      socket.write(
        `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      // Signalled once the server handles the request: one whose headers it has not read yet is cut with
      // the idle connections when the drain starts.
      await waitForRequestsInFlight(`http://127.0.0.1:${port}`, 1);
      pnpm.kill('SIGTERM');
      await expect.poll(() => output.includes('"msg":"draining"'), { timeout: 10_000 }).toBe(true);
      socket.write(body.slice(10));
      await closed;
      expect(received).toMatch(/^HTTP\/1\.1 200 OK/);
      // pnpm waits for the server: it exits once the server has drained, with the server's code.
      expect(await exit).toEqual({ code: 0, signal: null });
      // The pipes may still hold the last lines when 'exit' fires.
      await expect.poll(() => output.includes('"msg":"stopped"'), { timeout: 5000 }).toBe(true);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      if (pnpm.pid !== undefined) {
        try {
          process.kill(-pnpm.pid, 'SIGKILL');
        } catch {
          // The group has already exited.
        }
      }
    }
  }, 120_000);
});
