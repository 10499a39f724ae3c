// `pnpm --filter @sealink/rerank-docs dev` and `... serve` (the commands the README gives) stop, and pnpm
// exits 0, when SIGTERM is sent to the pnpm process alone, as a process manager or an IDE's stop button
// does: the scripts `exec` tsx, so no `sh -c` shell stands in between that would not pass the signal on.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** Runs `pnpm --filter @sealink/rerank-docs <args>` in a process group of its own, with its output. */
function startPnpm(args: readonly string[]) {
  // Its own process group, so that the signal below reaches pnpm only (as `kill <pid>` does, not Ctrl-C,
  // which signals the whole group) and the cleanup can still end the group.
  const pnpm = spawn('pnpm', ['--filter', '@sealink/rerank-docs', ...args], {
    cwd: REPOSITORY_ROOT,
    detached: true,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = { pnpm, output: '', exit: once(pnpm, 'exit').then(([code, signal]) => ({ code, signal })) };
  pnpm.stdout?.on('data', (data: Buffer) => {
    result.output += data.toString();
  });
  pnpm.stderr?.on('data', (data: Buffer) => {
    result.output += data.toString();
  });
  return result;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group has already exited.
  }
}

describe('the docs scripts under pnpm, stopped by SIGTERM to pnpm alone', () => {
  it('dev: stops the docs site and the mock server, and pnpm exits 0', async () => {
    const run = startPnpm(['dev', '--port', '0', '--mock-port', '0']);
    try {
      await expect
        .poll(() => /Docs site: +http:\/\/\S+/.test(run.output), { timeout: 60_000, interval: 100 })
        .toBe(true);
      const site = /Docs site: +(http:\/\/\S+)/.exec(run.output)![1]!;
      const mock = /Mock server: +(http:\/\/\S+)/.exec(run.output)![1]!;
      expect((await fetch(site)).status).toBe(200);
      expect((await fetch(new URL('/healthz', mock))).status).toBe(200);
      run.pnpm.kill('SIGTERM');
      expect(await run.exit).toEqual({ code: 0, signal: null });
      await expect(fetch(site)).rejects.toThrow();
      await expect(fetch(new URL('/healthz', mock))).rejects.toThrow();
    } finally {
      killGroup(run.pnpm.pid);
    }
  }, 90_000);

  it('serve: stops serving, and pnpm exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sealink-docs-serve-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    const run = startPnpm(['serve', '--port', '0', '--dir', dir]);
    try {
      await expect
        .poll(() => / at http:\/\/\S+ /.test(run.output), { timeout: 60_000, interval: 100 })
        .toBe(true);
      const site = / at (http:\/\/\S+) /.exec(run.output)![1]!;
      expect((await fetch(site)).status).toBe(200);
      run.pnpm.kill('SIGTERM');
      expect(await run.exit).toEqual({ code: 0, signal: null });
      await expect(fetch(site)).rejects.toThrow();
    } finally {
      killGroup(run.pnpm.pid);
    }
  }, 90_000);
});
