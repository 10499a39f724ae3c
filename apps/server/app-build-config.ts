import type { UserConfig } from 'tsdown';

/** Settings of {@link appBuildConfig}. */
export interface AppBuildOptions {
  /** The entry points, by output name: `{ cli: 'src/cli.ts' }` gives `<outDir>/cli.mjs`. */
  entry: Record<string, string>;
  /** Where the JavaScript goes; `dist` for the deployable app. */
  outDir: string;
}

/**
 * Matches npm packages (bare specifiers such as `hono` or `@hono/node-server/conninfo`) other than the
 * workspace's own `@sealink/*` packages: these stay `import`s resolved from `node_modules` at run time.
 */
const NPM_PACKAGE = /^(?!@sealink\/)(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(?:\/.*)?$/;

/**
 * How the deployable server is built, here and in the benchmark (so both sides of a comparison run the
 * same way): ESM for Node 20.19 and later, the workspace packages `@sealink/*` bundled in from their
 * TypeScript sources, every npm dependency left external (the app declares them all, so `node_modules`
 * resolves them at run time), with source maps.
 */
export function appBuildConfig(options: AppBuildOptions): UserConfig {
  return {
    entry: options.entry,
    outDir: options.outDir,
    format: 'esm',
    fixedExtension: true,
    dts: false,
    platform: 'node',
    target: 'node20.19',
    sourcemap: true,
    clean: true,
    deps: { alwaysBundle: [/^@sealink\//], neverBundle: NPM_PACKAGE },
  };
}
