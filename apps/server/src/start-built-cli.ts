import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A built CLI started by {@link startBuiltCli}; `await using` kills it. */
export interface BuiltCliProcess extends AsyncDisposable {
  /** The base URL it listens on. */
  readonly url: string;
}

/**
 * Starts a built CLI (`node <script>`, no tsx) on a free port from `cwd`, and resolves once it listens and
 * its models are loaded. For tests: it fails after 20 s, or when the process exits first, with its output.
 */
export async function startBuiltCli(
  script: string,
  options: { cwd: string; env: Record<string, string> },
): Promise<BuiltCliProcess> {
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', SEALINK_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = once(child, 'exit');
  let output = '';
  const collect = (data: Buffer) => {
    output += data.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
    if (match !== null && output.includes('models loaded')) {
      return {
        url: match[1]!,
        async [Symbol.asyncDispose]() {
          if (child.exitCode === null) child.kill('SIGKILL');
          await exit;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the built CLI did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
