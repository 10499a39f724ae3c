import { defineConfig } from 'vitest/config';

// Several tests wait seconds by design (an engine's 429 holds a replica back for 1 s; property tests drive
// real sockets, Redis and child processes for many runs). On a loaded 2-core machine they took up to
// 4 s of vitest’s default 5 s here, which is no failure of the server: tests get 30 s before vitest calls them
// hung. Tests that are about time assert it themselves. For the same reason `expect.poll`, which tests use
// to wait for a request to reach a backend or a log line to be written, gives up after 10 s instead of 1 s.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    expect: { poll: { timeout: 10_000 } },
  },
});
