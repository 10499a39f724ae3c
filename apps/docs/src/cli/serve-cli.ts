// `pnpm serve`: serves the built site (dist/ by default) on 127.0.0.1 until Ctrl-C.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serveStaticSite } from '../serve-static-site.js';
import { commandArguments } from './command-arguments.js';
import { parsePort } from './parse-port.js';
import { waitForShutdownSignal } from './wait-for-shutdown-signal.js';

const USAGE = `Usage: pnpm serve [--dir dist] [--port 4000] [--host 127.0.0.1]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: commandArguments(),
    options: {
      dir: { type: 'string', default: 'dist' },
      port: { type: 'string', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    return;
  }
  await using site = await serveStaticSite({
    root: path.resolve(values.dir),
    port: parsePort('--port', values.port),
    host: values.host,
  });
  console.log(`Serving ${path.resolve(values.dir)} at ${site.url} (Ctrl-C to stop).`);
  await waitForShutdownSignal();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
