#!/usr/bin/env node
// sealink-rerank-server: starts the SeaLink Rerank server from environment variables and an optional
// JSON configuration file, and shuts it down gracefully on SIGTERM or SIGINT.
import { parseArgs } from 'node:util';
import { ModelRegistrationError, UpstreamConfigError } from '@sealink/rerank-server';
import { ConfigError, loadServerConfig } from './config/load-server-config.js';
import { operatorWorkingDirectory } from './config/operator-working-directory.js';
import { CONFIG_REFERENCE } from './config/server-config.js';
import { createServerFromConfig } from './create-server-from-config.js';

/** Each setting's variable (or file key), padded to the longest, so the defaults line up. */
const SETTING_LABELS = CONFIG_REFERENCE.map((entry) => entry.env || `(file) ${entry.name}`);
const LABEL_WIDTH = Math.max(...SETTING_LABELS.map((label) => label.length));

const USAGE = `Usage: sealink-rerank-server [--config <file.json>] [--help]

  -c, --config <file.json>  a JSON configuration file (SEALINK_CONFIG when not given)
  -h, --help                print this help and exit

Starts the SeaLink Rerank API server. Settings come from environment variables, over an optional
JSON file (--config or SEALINK_CONFIG), over the defaults:

${CONFIG_REFERENCE.map((entry, index) => `  ${entry.default === '' ? SETTING_LABELS[index] : `${SETTING_LABELS[index]!.padEnd(LABEL_WIDTH)} default ${entry.default}`}`).join('\n')}
`;

function fail(message: string, exitCode: number): never {
  process.stderr.write(`sealink-rerank-server: ${message}\n`);
  process.exit(exitCode);
}

/** Why the server cannot listen, by Node's error code. */
const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  ENOTFOUND: 'the host name does not resolve',
};

let configPath: string | undefined;
try {
  const { values } = parseArgs({
    // `pnpm start -- --config x` passes the bare `--` on to the script: it is not the end of the options.
    args: process.argv.slice(2).filter((argument) => argument !== '--'),
    options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  configPath = values.config;
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`, 2);
}

let server: ReturnType<typeof createServerFromConfig>;
try {
  // Relative paths (--config, SEALINK_CONFIG, SEALINK_MODELS_FILE) are read from the folder the operator
  // started in.
  const cwd = operatorWorkingDirectory();
  server = createServerFromConfig(loadServerConfig({ env: process.env, configPath, cwd }));
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 2);
  // The registry and the upstreams check what the configuration schema cannot (an unset key variable, a
  // duplicate model id): configuration errors too, exit 2 like the rest.
  if (error instanceof UpstreamConfigError || error instanceof ModelRegistrationError) {
    fail(`Invalid configuration: ${error.message}`, 2);
  }
  fail(`cannot start: ${(error as Error).message}`, 1);
}

/**
 * Why the server cannot start, in one line: a registry that failed to load names each model that failed
 * and why (the error and its cause), not only how many failed.
 */
function startFailure(error: unknown): string {
  const describe = (item: unknown): string => {
    if (!(item instanceof Error)) return String(item);
    return item.cause === undefined ? item.message : `${item.message}: ${describe(item.cause)}`;
  };
  if (error instanceof AggregateError && error.errors.length > 0)
    return error.errors.map(describe).join('; ');
  return describe(error);
}

/** `host:port`, with an IPv6 address in brackets (`[::1]:8080`). */
function hostAndPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

let exiting = false;
/**
 * The first SIGTERM or SIGINT drains and exits 0. Later SIGTERMs (an orchestrator or process manager
 * sending it again) are logged and the drain goes on; a SIGINT after the first signal (Ctrl-C pressed
 * again) exits 1 at once.
 */
async function shutDown(signal: NodeJS.Signals): Promise<void> {
  if (exiting) {
    if (signal === 'SIGTERM') {
      server.logger.warn({ signal }, 'still draining; send SIGINT to exit without waiting');
      return;
    }
    server.logger.warn({ signal }, 'second signal: exiting without waiting for the drain');
    server.logger.flush();
    process.exit(1);
  }
  exiting = true;
  server.logger.info({ signal }, 'shutting down');
  try {
    await server.stop();
    process.exit(0);
  } catch (error) {
    server.logger.error({ err: error }, 'shutdown failed');
    server.logger.flush();
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutDown('SIGTERM'));
process.on('SIGINT', () => void shutDown('SIGINT'));
process.on('uncaughtException', (error) => {
  server.logger.fatal({ err: error }, 'uncaught exception');
  server.logger.flush();
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  server.logger.fatal({ err: reason }, 'unhandled rejection');
  server.logger.flush();
  process.exit(1);
});

/** Reports why the server could not start (one line on stderr, a log line) and exits 1. */
async function failToStart(error: unknown): Promise<never> {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? undefined : LISTEN_ERRORS[code];
  const message =
    reason === undefined
      ? `cannot start: ${startFailure(error)}`
      : `cannot listen on ${hostAndPort(server.config.host, server.config.port)}: ${reason} (${code})`;
  // A listen error is a setting or the machine, not a bug: logged without a stack.
  server.logger.error(reason === undefined ? { err: error } : { code }, message);
  await server.stop().catch(() => {});
  fail(message, 1);
}

try {
  await server.start();
} catch (error) {
  // After a signal, the shutdown aborted the models' loading and exits by itself (0 once drained).
  if (!exiting) await failToStart(error);
}
