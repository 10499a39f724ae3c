import { defineConfig } from 'vitest/config';

// The CLI tests start the server as a child process through tsx; on a busy machine that alone can take
// several seconds, so tests get 30 s before vitest calls them hung (no test asserts on time).
export default defineConfig({
  test: { include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
