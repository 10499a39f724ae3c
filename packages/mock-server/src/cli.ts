import { CLI_USAGE, CliArgumentError, parseCliArguments } from './parse-cli-arguments.js';
import { startMockServer } from './start-mock-server.js';

/**
 * Runs `sealink-rerank-mock`: starts the mock, prints its URL, and closes it on SIGINT or SIGTERM.
 * Returns the exit code for a bad command line; otherwise keeps running.
 */
export async function runCli(args: readonly string[]): Promise<number | undefined> {
  let command: ReturnType<typeof parseCliArguments>;
  try {
    command = parseCliArguments(args);
  } catch (error) {
    if (!(error instanceof CliArgumentError)) throw error;
    process.stderr.write(`sealink-rerank-mock: ${error.message}\n\n${CLI_USAGE}\n`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(`${CLI_USAGE}\n`);
    return 0;
  }
  const mock = await startMockServer(command.options);
  for (const fault of command.alwaysFaults) mock.faults.when({}, fault);
  const proxy =
    command.options.proxy === undefined ? '' : ` (validating proxy to ${command.options.proxy.url})`;
  process.stdout.write(`SeaLink Rerank mock server listening on ${mock.url}${proxy}\n`);
  const stop = () => {
    void mock.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return undefined;
}

runCli(process.argv.slice(2)).then(
  (exitCode) => {
    if (exitCode !== undefined) process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`sealink-rerank-mock: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
