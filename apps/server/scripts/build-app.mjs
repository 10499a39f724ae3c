// Builds the deployable app into dist/ with tsdown.config.ts, through tsdown's API rather than its CLI:
// tsdown's CLI warns on every run under Node.js before 22.18 that such versions are deprecated, and
// `pnpm start` runs this build first, so every start on Node 20 (which the app supports from 20.19) began
// with a yellow warning that is not about the app. `--quiet` prints warnings and errors only.
import { build } from 'tsdown';

await build({ logLevel: process.argv.includes('--quiet') ? 'warn' : 'info' });
