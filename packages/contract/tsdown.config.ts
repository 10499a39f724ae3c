import { defineConfig } from 'tsdown';
import { packageBuildConfig } from '../../tsdown.base.ts';

export default defineConfig(
  packageBuildConfig({
    entry: ['src/index.ts', 'src/testing/index.ts', 'src/dialects/index.ts', 'src/node-http/index.ts'],
  }),
);
