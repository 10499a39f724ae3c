// The app's benchmarks, one after another: `pnpm bench` in apps/server.
import { runServerOverheadBenchmark } from './server-overhead.bench.js';

await runServerOverheadBenchmark();
