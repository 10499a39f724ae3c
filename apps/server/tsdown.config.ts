import { defineConfig } from 'tsdown';
import { appBuildConfig } from './app-build-config.ts';

export default defineConfig(
  appBuildConfig({ entry: { cli: 'src/cli.ts', 'eval-cli': 'src/eval/eval-cli.ts' }, outDir: 'dist' }),
);
