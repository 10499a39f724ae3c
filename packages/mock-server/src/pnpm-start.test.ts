import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('pnpm --filter @sealink/rerank-mock-server start (the command the docs give)', () => {
  it('stops the mock server, and exits 0, when SIGTERM is sent to the pnpm process alone', async () => {
    // Its own process group, so that the signal below reaches pnpm only (as `kill <pid>` from a process
    // manager does, not Ctrl-C, which signals the whole group) and the cleanup can still end the group.
    const pnpm = spawn('pnpm', ['--filter', '@sealink/rerank-mock-server', 'start', '--port', '0'], {
      cwd: REPOSITORY_ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
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
        .poll(() => /listening on http:\/\/\S+/.test(output), { timeout: 40_000, interval: 100 })
        .toBe(true);
      const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      pnpm.kill('SIGTERM');
      // pnpm waits for the mock server, which stops and exits 0.
      expect(await exit).toEqual({ code: 0, signal: null });
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      if (pnpm.pid !== undefined) {
        try {
          process.kill(-pnpm.pid, 'SIGKILL');
        } catch {
          // The group has already exited.
        }
      }
    }
  }, 60_000);
});
