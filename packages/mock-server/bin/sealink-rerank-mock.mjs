#!/usr/bin/env node
// Starts the mock server's CLI: from dist when the package is installed from the registry, from the
// TypeScript sources through tsx inside the workspace (where src/ exists and dist/ may be stale).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli.mjs');
}
