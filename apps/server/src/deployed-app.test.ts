// The Dockerfile cannot be built here (no Docker), but its runtime stage is only what `pnpm deploy --prod`
// puts in /deploy. This test runs the Dockerfile's own deploy command into a temporary folder, builds the
// app into it as the build stage does, and runs the server and the eval command from there with node
// alone: an npm package the bundle imports but the app does not declare as a dependency (or declares only
// for development) fails here rather than in a container.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';
import { SMALL_BEIR_FOLDER, writeBeirFolder } from '@sealink/rerank-server/testing';
import { build } from 'tsdown';
import { afterAll, describe, expect, it } from 'vitest';
import { appBuildConfig } from '../app-build-config.ts';
import { startBuiltCli } from './start-built-cli.js';

const run = promisify(execFile);
const APP_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const REPOSITORY_ROOT = join(APP_DIRECTORY, '..', '..');
const DOCKERFILE = readFileSync(join(APP_DIRECTORY, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
const PACKAGE = JSON.parse(readFileSync(join(APP_DIRECTORY, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The Dockerfile's deploy command (`pnpm … deploy --prod <folder>`), as arguments after `pnpm`, and its folder. */
function dockerfileDeployCommand(): { args: string[]; folder: string } {
  const command = /pnpm ((?:--filter \S+ )?deploy --prod) (\/\S+)/.exec(DOCKERFILE);
  if (command === null) throw new Error('the Dockerfile has no `pnpm deploy --prod` command');
  return { args: command[1]!.split(' '), folder: command[2]! };
}

/** pnpm as the test runner was started with it (`pnpm test`), else the one on PATH. */
function pnpmCommand(args: string[]): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath) && /\.[cm]?js$/.test(execPath)) {
    return [process.execPath, [execPath, ...args]];
  }
  return ['pnpm', args];
}

describe('the deployed app (the Dockerfile runtime stage)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sealink-deploy-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('copies the runtime stage from the folder the build stage deploys to, and runs its dist from there', () => {
    const { folder: deployFolder } = dockerfileDeployCommand();
    expect(DOCKERFILE).toContain(`COPY --from=build ${deployFolder} /app`);
    expect(DOCKERFILE).toMatch(/pnpm --filter @sealink\/rerank-server-app build/);
    expect(DOCKERFILE).toMatch(/CMD \["node", "--enable-source-maps", "dist\/cli\.mjs"\]/);
  });

  it('holds the built app and its declared npm dependencies only, and serves and evaluates from there', async () => {
    const { args } = dockerfileDeployCommand();
    const [command, commandArgs] = pnpmCommand([...args, folder]);
    await run(command, commandArgs, { cwd: REPOSITORY_ROOT, timeout: 120_000, env: { ...process.env } });
    // The build stage's `pnpm build` writes dist before the deploy copies it; here the same build goes
    // straight into the deployed folder (the app's tsdown entries, the app's build settings).
    await build({
      ...appBuildConfig({
        entry: { cli: 'src/cli.ts', 'eval-cli': 'src/eval/eval-cli.ts' },
        outDir: join(folder, 'dist'),
      }),
      cwd: APP_DIRECTORY,
      config: false,
      logLevel: 'warn',
    });

    // The app's `files` (dist) and its package.json; no sources, tests or benchmarks.
    expect(existsSync(join(folder, 'package.json'))).toBe(true);
    for (const absent of ['src', 'bench', 'tsdown.config.ts']) {
      expect({ absent, present: existsSync(join(folder, absent)) }).toEqual({ absent, present: false });
    }
    // Exactly the production dependencies: no workspace sources (bundled into dist), no dev tools.
    const installed = readdirSync(join(folder, 'node_modules')).flatMap((entry) =>
      entry.startsWith('.')
        ? []
        : entry.startsWith('@')
          ? readdirSync(join(folder, 'node_modules', entry)).map((name) => `${entry}/${name}`)
          : [entry],
    );
    expect(installed.sort()).toEqual(Object.keys(PACKAGE.dependencies).sort());
    for (const devOnly of ['@sealink/rerank-server', 'tsx', 'tsdown', 'vitest']) {
      expect(PACKAGE.devDependencies).toHaveProperty([devOnly]);
    }

    await using server = await startBuiltCli(join(folder, 'dist', 'cli.mjs'), {
      cwd: folder,
      env: { SEALINK_API_KEYS: 'sk-deployed-0123456789', NODE_ENV: 'production' },
    });
    const response = await fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-deployed-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ ...EXAMPLE_RERANK_REQUEST, model: 'bm25' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { index: number }[] };
    expect(body.results.map((result) => result.index)).toHaveLength(2);
    expect(body.results.map((result) => result.index)).not.toContain(1);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^sealink_rerank_http_requests_total\{/m);

    const evalHelp = await run(process.execPath, [join(folder, 'dist', 'eval-cli.mjs'), '--help'], {
      cwd: folder,
      timeout: 30_000,
    });
    expect(evalHelp.stdout).toMatch(/ndcg@10/);
    // The README's `docker run ... node dist/eval-cli.mjs --data /data`: the image's environment
    // (NODE_ENV=production, HOST, PORT, no API key) and a BEIR folder, with node alone.
    await using beir = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const evaluation = await run(
      process.execPath,
      [join(folder, 'dist', 'eval-cli.mjs'), '--data', beir.path],
      {
        cwd: folder,
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '8080' },
      },
    );
    expect(JSON.parse(evaluation.stdout)).toMatchObject({
      'ndcg@10': 1,
      model: 'bm25',
      split: 'test',
      queries: 4,
    });
  });
});
