import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsdown';
import { appBuildConfig } from '../app-build-config.ts';

/** The two sides of the server-overhead benchmark, built to plain JavaScript. */
export interface BenchServerScripts {
  /** The full app (auth, validation, logging, metrics) with a constant-score backend. */
  app: string;
  /** The raw node:http handler doing the same JSON work. */
  raw: string;
}

/**
 * Builds both benchmark servers with the deployable app's own build settings ({@link appBuildConfig}:
 * workspace packages bundled, npm packages external) into a fresh temporary folder, so that both run as
 * plain JavaScript under `node` exactly like production does, neither through tsx. The output goes under
 * the app's `node_modules/.cache`, where Node resolves the external npm packages as it does for `dist`.
 */
export async function buildBenchServers(): Promise<BenchServerScripts> {
  const appDirectory = fileURLToPath(new URL('..', import.meta.url));
  const outDir = join(appDirectory, 'node_modules', '.cache', 'sealink-bench-servers');
  await build({
    ...appBuildConfig({
      entry: { 'full-app-server': 'bench/full-app-server.ts', 'raw-node-server': 'bench/raw-node-server.ts' },
      outDir,
    }),
    cwd: appDirectory,
    config: false,
    sourcemap: false,
    logLevel: 'warn',
  });
  return { app: join(outDir, 'full-app-server.mjs'), raw: join(outDir, 'raw-node-server.mjs') };
}
