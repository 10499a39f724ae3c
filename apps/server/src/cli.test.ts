import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitForRequestsInFlight } from './wait-for-requests-in-flight.js';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const APP_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
/**
 * How long a test waits for a log line the CLI writes on a signal: the server hands its log lines over in
 * batches up to 100 ms late, and a loaded machine may take seconds to run the child at all (vitest's
 * default for `expect.poll`, 1 s, is a guess it can outlast).
 */
const LOG_LINE_WAIT = { timeout: 10_000 };

interface RunningCli extends AsyncDisposable {
  child: ChildProcess;
  url: string;
  port: number;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnCli(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: APP_DIRECTORY,
    env: { PATH: process.env.PATH ?? '', SEALINK_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { child, exit, stdout: () => stdout, stderr: () => stderr };
}

async function startCli(env: Record<string, string> = {}, args: string[] = []): Promise<RunningCli> {
  const started = spawnCli({ PORT: '0', ...env }, args);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /"url":"(http:\/\/127\.0\.0\.1:(\d+))"/.exec(started.stdout());
    if (match !== null && started.stdout().includes('models loaded')) {
      return {
        ...started,
        url: match[1]!,
        port: Number(match[2]),
        async [Symbol.asyncDispose]() {
          if (started.child.exitCode === null) started.child.kill('SIGKILL');
          await started.exit;
        },
      };
    }
    if (started.child.exitCode !== null || Date.now() > deadline) {
      started.child.kill('SIGKILL');
      throw new Error(`the CLI did not start: ${started.stderr()} ${started.stdout()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * An in-flight rerank request on its own connection to the CLI: headers and the first 10 bytes of the body
 * sent, and resolved once the server handles it (so a drain waits for it); `finish` sends the rest and
 * resolves with everything the server answered once it closes.
 */
async function startInFlightRequest({ url, port }: { url: string; port: number }) {
  const body = JSON.stringify({ model: 'bm25', query: 'api gateway', documents: ['a gateway', 'bread'] });
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.on('error', () => {}); // a reset when the server is made to exit at once
  let received = '';
  socket.on('data', (data) => {
    received += data.toString();
  });
  const closed = once(socket, 'close');
  socket.write(
    `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
  );
  // Not a sleep: a request whose headers the server has not read yet when the signal comes is cut with the
  // idle connections (on a loaded machine, 100 ms were not always enough for the server to read them).
  await waitForRequestsInFlight(url, 1);
  return {
    async finish(): Promise<string> {
      socket.write(body.slice(10));
      await closed;
      return received;
    },
  };
}

/**
 * Writes `models.json` in `folder` with one TEI model `id` on `engine`, verified at load and without health
 * checks; returns its path.
 */
async function writeVerifyingModelsFile(folder: string, id: string, engine: Server): Promise<string> {
  const modelsFile = join(folder, 'models.json');
  const base = `http://127.0.0.1:${(engine.address() as AddressInfo).port}`;
  const backend = { type: 'tei', base_urls: [base], model: 'm', verify_on_load: true, health_check: false };
  await writeFile(modelsFile, JSON.stringify([{ id, backend }]));
  return modelsFile;
}

describe('sealink-rerank-server CLI', () => {
  it('exits non-zero with one clear line naming the field for a bad configuration', async () => {
    const run = spawnCli({ PORT: 'not-a-port' });
    const { code } = await run.exit;
    expect(code).toBe(2);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sealink-rerank-server: Invalid configuration: PORT: /);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });

  it('exits 2 with one configuration line when an upstream reads its key from an unset variable', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sealink-cli-'));
    try {
      const modelsFile = join(folder, 'models.json');
      await writeFile(
        modelsFile,
        JSON.stringify([
          {
            id: 'qwen3-rerank',
            backend: {
              type: 'tei',
              base_urls: ['http://127.0.0.1:9'],
              model: 'q',
              api_key_env: 'SEALINK_CLI_TEST_UNSET_KEY',
            },
          },
        ]),
      );
      const run = spawnCli({ SEALINK_MODELS_FILE: modelsFile });
      expect((await run.exit).code).toBe(2);
      const lines = run.stderr().trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(
          /^sealink-rerank-server: Invalid configuration: .*SEALINK_CLI_TEST_UNSET_KEY, which is not set$/,
        ),
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('serves bm25 with API keys, answers qwen3-rerank with how to configure it, and exits 0 on SIGINT', async () => {
    await using cli = await startCli({ SEALINK_API_KEYS: 'cli-key-1' });
    const headers = { authorization: 'Bearer cli-key-1', 'content-type': 'application/json' };
    const ok = await fetch(`${cli.url}/v1/rerank`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'bm25', query: 'gateway', documents: ['api gateway', 'bread'] }),
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).results[0].index).toBe(0);
    const qwen = await fetch(`${cli.url}/v1/rerank`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'qwen3-rerank', query: 'gateway', documents: ['api gateway'] }),
    });
    expect(qwen.status).toBe(404);
    expect((await qwen.json()).error.message).toMatch(/SEALINK_MODELS_FILE/);
    const anonymous = await fetch(`${cli.url}/v1/models`);
    expect(anonymous.status).toBe(401);
    cli.child.kill('SIGINT');
    expect((await cli.exit).code).toBe(0);
    expect(cli.stdout()).not.toContain('cli-key-1');
    expect(cli.stdout()).toContain('"msg":"stopped"');
  });

  it('warns when it runs without keys', async () => {
    await using cli = await startCli();
    expect(cli.stdout()).toMatch(/"level":40.*authentication is disabled/);
    cli.child.kill('SIGTERM');
    expect((await cli.exit).code).toBe(0);
  });

  it('on SIGTERM finishes an in-flight request, refuses new connections, then exits 0', async () => {
    await using cli = await startCli({ SEALINK_DRAIN_TIMEOUT_MS: '10000' });
    // An in-flight request: headers and part of the body sent before the signal, the rest after.
    const request = await startInFlightRequest(cli);
    cli.child.kill('SIGTERM');
    await expect.poll(() => cli.stdout().includes('"msg":"draining"'), LOG_LINE_WAIT).toBe(true);
    await expect(fetch(`${cli.url}/healthz`)).rejects.toThrow();
    const received = await request.finish();
    expect(received).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(received).toContain('"index":0');
    expect(await cli.exit).toEqual({ code: 0, signal: null });
  });

  // Two CLIs start one after the other here: each start through tsx took 8 to 9 s on a loaded two-core
  // machine, and the test once passed the 30 s the others get.
  it('keeps draining on a second SIGTERM (in-flight request answered, exit 0); a SIGINT after it exits 1 at once', {
    timeout: 60_000,
  }, async () => {
    await using cli = await startCli({ SEALINK_DRAIN_TIMEOUT_MS: '10000' });
    const request = await startInFlightRequest(cli);
    cli.child.kill('SIGTERM');
    await expect.poll(() => cli.stdout().includes('"msg":"draining"'), LOG_LINE_WAIT).toBe(true);
    cli.child.kill('SIGTERM');
    await expect.poll(() => cli.stdout().includes('still draining'), LOG_LINE_WAIT).toBe(true);
    expect(await request.finish()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(await cli.exit).toEqual({ code: 0, signal: null });

    await using second = await startCli({ SEALINK_DRAIN_TIMEOUT_MS: '10000' });
    await startInFlightRequest(second);
    second.child.kill('SIGTERM');
    await expect.poll(() => second.stdout().includes('"msg":"draining"'), LOG_LINE_WAIT).toBe(true);
    second.child.kill('SIGINT');
    expect(await second.exit).toEqual({ code: 1, signal: null });
  });

  it('exits 1 with one line on stderr when the port is taken', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      const run = spawnCli({ PORT: String(port) });
      expect((await run.exit).code).toBe(1);
      expect(run.stderr()).toBe(
        `sealink-rerank-server: cannot listen on 127.0.0.1:${port}: the address is already in use (EADDRINUSE)\n`,
      );
      expect(run.stdout()).not.toMatch(/\bat .*node:net/);
    } finally {
      taken.close();
    }
  });

  it('takes its options after the bare -- that `pnpm start -- --help` passes on', async () => {
    const run = spawnCli({}, ['--', '--help']);
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toMatch(/^Usage: sealink-rerank-server \[--config <file\.json>\]/);
    expect(run.stderr()).toBe('');
  });

  it('lists every variable in --help with its default in one column', async () => {
    const run = spawnCli({}, ['--help']);
    expect((await run.exit).code).toBe(0);
    const rows = run
      .stdout()
      .split('\n')
      .filter((line) => /^ {2}\S/.test(line));
    expect(rows.map((row) => row.trim().split(/\s+/)[0])).toContain('SEALINK_RATE_LIMIT_WINDOW_SECONDS');
    const columns = new Set(
      rows.filter((row) => row.includes(' default ')).map((row) => row.indexOf(' default ')),
    );
    expect(columns.size).toBe(1);
  });

  it('reads `pnpm start -- --config ./file.json` from the folder pnpm was started in (INIT_CWD), models file included', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sealink-cli-'));
    try {
      await writeFile(join(folder, 'sealink.json'), JSON.stringify({ models_file: './models.json' }));
      await writeFile(
        join(folder, 'models.json'),
        JSON.stringify([{ id: 'from-init-cwd', backend: { type: 'bm25' } }]),
      );
      // pnpm runs the script inside apps/server (the spawn's cwd) and sets INIT_CWD to the caller's folder.
      await using cli = await startCli({ INIT_CWD: folder, npm_package_name: '@sealink/rerank-server-app' }, [
        '--',
        '--config',
        './sealink.json',
      ]);
      const models = (await (await fetch(`${cli.url}/v1/models`)).json()) as { data: { id: string }[] };
      expect(models.data.map((model) => model.id)).toEqual(['from-init-cwd']);
      cli.child.kill('SIGTERM');
      expect((await cli.exit).code).toBe(0);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('reads relative paths from its working directory when not run by its own package script', async () => {
    const initCwd = await mkdtemp(join(tmpdir(), 'sealink-cli-'));
    const elsewhere = await mkdtemp(join(tmpdir(), 'sealink-cli-'));
    try {
      await writeFile(
        join(elsewhere, 'models.json'),
        JSON.stringify([{ id: 'from-cwd', backend: { type: 'bm25' } }]),
      );
      await writeFile(
        join(initCwd, 'models.json'),
        JSON.stringify([{ id: 'from-init-cwd', backend: { type: 'bm25' } }]),
      );
      // Another package's script (INIT_CWD is its folder) starting the CLI in apps/server (the spawn's cwd).
      await using cli = await startCli({
        INIT_CWD: initCwd,
        npm_package_name: 'some-other-package',
        SEALINK_MODELS_FILE: relative(APP_DIRECTORY, join(elsewhere, 'models.json')),
      });
      const models = (await (await fetch(`${cli.url}/v1/models`)).json()) as { data: { id: string }[] };
      expect(models.data.map((model) => model.id)).toEqual(['from-cwd']);
    } finally {
      await rm(initCwd, { recursive: true, force: true });
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('names the model and the reason on stderr when a model fails to load at start', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sealink-cli-'));
    // An engine that answers every request with 500: verify_on_load refuses to serve it.
    const engine = createHttpServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"broken"}');
    });
    engine.listen(0, '127.0.0.1');
    await once(engine, 'listening');
    try {
      const modelsFile = await writeVerifyingModelsFile(folder, 'broken-engine', engine);
      const run = spawnCli({ PORT: '0', SEALINK_MODELS_FILE: modelsFile });
      expect((await run.exit).code).toBe(1);
      const lines = run.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^sealink-rerank-server: cannot start: model 'broken-engine' failed to load: .*answered 500/,
      );
    } finally {
      engine.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('writes an IPv6 address in brackets when the port is taken', async () => {
    const taken = createServer();
    taken.listen(0, '::1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      const run = spawnCli({ HOST: '::1', PORT: String(port) });
      expect((await run.exit).code).toBe(1);
      expect(run.stderr()).toBe(
        `sealink-rerank-server: cannot listen on [::1]:${port}: the address is already in use (EADDRINUSE)\n`,
      );
    } finally {
      taken.close();
    }
  });

  it('on SIGTERM while a model still loads, stops loading it and exits 0 within the drain deadline', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sealink-cli-'));
    // An engine that never answers: verify_on_load waits on it until the upstream deadline.
    const engine = createHttpServer(() => {});
    engine.listen(0, '127.0.0.1');
    await once(engine, 'listening');
    try {
      const modelsFile = await writeVerifyingModelsFile(folder, 'slow-to-load', engine);
      const run = spawnCli({
        PORT: '0',
        SEALINK_MODELS_FILE: modelsFile,
        SEALINK_REQUEST_TIMEOUT_MS: '20000',
        SEALINK_DRAIN_TIMEOUT_MS: '1000',
      });
      await expect.poll(() => run.stdout().includes('"msg":"listening"'), { timeout: 20_000 }).toBe(true);
      const signalled = Date.now();
      run.child.kill('SIGTERM');
      expect(await run.exit).toEqual({ code: 0, signal: null });
      // Within the 1 s drain deadline plus the process's exit, not when the load's attempt against the silent
      // engine times out (the 10 s default, the bug): the bound is about half way between the two.
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect(run.stdout()).not.toContain('"msg":"models loaded"');
      expect(run.stderr()).toBe('');
    } finally {
      engine.closeAllConnections();
      engine.close();
      await rm(folder, { recursive: true, force: true });
    }
  }, 30_000);
});
