// `pnpm dev`: starts the mock server, builds the site with the try-it console pointed at it, and serves
// the site on 127.0.0.1, until Ctrl-C. Everything runs in this process and stops together.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startMockServer } from '@sealink/rerank-mock-server';
import { CONFIG_REFERENCE } from '@sealink/rerank-server-app';
import { buildSite } from '../build-site.js';
import { serveStaticSite } from '../serve-static-site.js';
import { commandArguments } from './command-arguments.js';
import { parsePort } from './parse-port.js';
import { waitForShutdownSignal } from './wait-for-shutdown-signal.js';

const USAGE = `Usage: pnpm dev [--port 4000] [--mock-port 4010]

  --port       The port of the docs site; 4000 by default (0 for any free port).
  --mock-port  The port of the mock server; 4010 by default (0 for any free port).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: commandArguments(),
    options: {
      port: { type: 'string', default: '4000' },
      'mock-port': { type: 'string', default: '4010' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    return;
  }
  const sitePort = parsePort('--port', values.port);
  const mockPort = parsePort('--mock-port', values['mock-port']);
  await using mock = await startMockServer({ port: mockPort, host: '127.0.0.1' });
  // The dev build goes to a folder of its own, so it never overwrites dist/ with a localhost API URL.
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'sealink-docs-dev-'));
  await using _cleanup = { [Symbol.asyncDispose]: () => rm(outDir, { recursive: true, force: true }) };
  await buildSite({ outDir, apiBaseUrl: mock.url, configReference: CONFIG_REFERENCE });
  await using site = await serveStaticSite({ root: outDir, port: sitePort, host: '127.0.0.1' });
  console.log(`Mock server:  ${mock.url} (models qwen3-rerank and bm25, any API key)`);
  console.log(`Docs site:    ${site.url}`);
  console.log(`Try it:       ${site.url}console.html`);
  console.log('Ctrl-C stops both.');
  await waitForShutdownSignal();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
