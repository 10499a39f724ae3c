import type { UserConfig } from 'tsdown';

/**
 * The one build configuration every published package uses: ESM and CommonJS with type declarations,
 * for Node 20.19 and later, one output file per source module (so an optional entry such as `testing`, which
 * needs fast-check, never leaks into a chunk the main entry loads). Each package passes only its entry points.
 */
export function packageBuildConfig(options: { entry: string[] }): UserConfig {
  return {
    entry: options.entry,
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'node',
    target: 'node20.19',
    sourcemap: true,
    clean: true,
    unbundle: true,
  };
}
