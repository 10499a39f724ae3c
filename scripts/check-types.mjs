#!/usr/bin/env node
// Packs the package in the current folder with pnpm (which applies publishConfig, as publishing does)
// and checks the tarball with @arethetypeswrong/cli, so the published types resolve in every module mode.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const destination = mkdtempSync(join(tmpdir(), 'sealink-pack-'));
try {
  execFileSync('pnpm', ['pack', '--pack-destination', destination], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(destination).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('pnpm pack wrote no tarball');
  execFileSync('attw', [join(destination, tarball), '--profile', 'node16'], { stdio: 'inherit' });
} finally {
  rmSync(destination, { recursive: true, force: true });
}
