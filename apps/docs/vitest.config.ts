import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The browser test spends most of its time waiting on Chromium, so the other files run beside it even
    // on a two-core machine.
    maxWorkers: 2,
    // Beside Chromium on a loaded two-core machine, tests that take well under a second alone ran for over
    // 2 s (the serve-static-site junk-path property: 60 fetches), and one starting a child process for 7.5 s:
    // vitest's default of 5 s is a guess such a machine outlasts. No test asserts on this time.
    testTimeout: 20_000,
  },
});
