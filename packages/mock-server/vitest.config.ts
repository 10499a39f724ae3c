import { defineConfig } from 'vitest/config';

// Property tests over real sockets send bodies of megabytes for many runs: bounded by their run counts,
// they can outlast vitest's default 5 s on a loaded machine, which is no failure of the mock.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 } });
