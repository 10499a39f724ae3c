/**
 * The folder relative paths on the command line and in settings are read from: the folder the operator
 * started in. pnpm runs this package's scripts (`pnpm start`, `pnpm eval`) inside apps/server and passes
 * the folder it was started in as `INIT_CWD`; run any other way (`node dist/cli.mjs`, perhaps from another
 * package's script, which sets an `INIT_CWD` of its own), the working directory.
 */
export function operatorWorkingDirectory(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const startedByPackageScript =
    env.npm_package_name === '@sealink/rerank-server-app' && env.INIT_CWD !== undefined;
  return startedByPackageScript ? (env.INIT_CWD ?? cwd) : cwd;
}
