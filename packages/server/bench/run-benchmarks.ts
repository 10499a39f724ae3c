// Runs the package's benchmarks one after another, in one process: `pnpm bench`.
import { runBm25Benchmark } from './bm25.bench.js';
import { runUpstreamScalingBenchmark } from './upstream-scaling.bench.js';

await runBm25Benchmark();
await runUpstreamScalingBenchmark();
