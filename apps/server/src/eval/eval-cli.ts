// `pnpm eval`: ranks a BEIR folder with a model and prints nDCG@10, Recall@100 and MRR@10 as one JSON object.
import { operatorWorkingDirectory } from '../config/operator-working-directory.js';
import { EvaluationUsageError } from './evaluation-usage-error.js';
import { EVALUATION_USAGE, parseEvaluationArguments } from './parse-evaluation-arguments.js';
import { runEvaluation } from './run-evaluation.js';

/**
 * The exit code of a run a signal stopped: 128 + the signal's number, as a shell reports a command a
 * signal ended, so a script tells an interrupt from a failed run (1): 130 for Ctrl-C (SIGINT), 143 for
 * SIGTERM (a process manager, or `kill` sent to `pnpm eval`, which passes it on).
 */
const INTERRUPTED_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs the command; returns the exit code (0 done, 1 failed, 2 wrong usage, 130 interrupted by Ctrl-C,
 * 143 stopped by SIGTERM).
 */
async function main(): Promise<number> {
  const controller = new AbortController();
  /** The first signal that stopped the run; a later one (pnpm passes SIGTERM on after Ctrl-C) changes nothing. */
  let stoppedBy: keyof typeof INTERRUPTED_EXIT_CODES | undefined;
  const stop = (signal: keyof typeof INTERRUPTED_EXIT_CODES) => {
    stoppedBy ??= signal;
    controller.abort(new Error('interrupted'));
  };
  try {
    // Relative paths are read from the folder the operator started in.
    const cwd = operatorWorkingDirectory();
    const args = parseEvaluationArguments(process.argv.slice(2), cwd);
    if (args.help) {
      process.stdout.write(EVALUATION_USAGE);
      return 0;
    }
    // Once for SIGINT: Ctrl-C pressed again ends the process at once, as before.
    process.once('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    const report = await runEvaluation(args, {
      env: process.env,
      progress: process.stderr,
      abortSignal: controller.signal,
      cwd,
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (error) {
    // Ctrl-C: the one line says so, whatever the abort surfaced as (through a server, the client's own
    // "Request was aborted." error).
    if (controller.signal.aborted) {
      process.stderr.write('eval: interrupted\n');
      return INTERRUPTED_EXIT_CODES[stoppedBy ?? 'SIGINT'];
    }
    if (error instanceof EvaluationUsageError) {
      process.stderr.write(`eval: ${error.message}\n\n${EVALUATION_USAGE}`);
      return 2;
    }
    // BeirFormatError (bad folder or line), ConfigError (bad server configuration), client and backend errors.
    process.stderr.write(`eval: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
