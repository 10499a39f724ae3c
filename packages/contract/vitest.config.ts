import { defineConfig } from 'vitest/config';

// Validating the OpenAPI document (swagger-parser) and the property tests' many runs are CPU work: under load
// on 2 cores, one test took 2 s of vitest's default 5 s here, which is no failure of the contract. Tests get
// 30 s before vitest calls them hung, as in the other packages; tests that are about time assert it themselves.
export default defineConfig({
  test: { include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'], testTimeout: 30_000 },
});
