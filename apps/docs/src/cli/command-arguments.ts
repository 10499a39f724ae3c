/**
 * The arguments of a docs command (`build`, `serve`, `dev`), without the bare `--` that pnpm passes on to
 * the script in `pnpm build -- --out-dir x`: it separates nothing here, and `parseArgs` would read every
 * option after it as a positional argument and refuse the command.
 */
export function commandArguments(args: readonly string[] = process.argv.slice(2)): string[] {
  return args[0] === '--' ? args.slice(1) : [...args];
}
