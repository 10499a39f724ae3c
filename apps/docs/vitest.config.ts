import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The browser test spends most of its time waiting on Chromium, so the other files run beside it even
    // on a two-core machine.
    maxWorkers: 2,
  },
});
