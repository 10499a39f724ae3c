import { describe, expect, it } from 'vitest';
import { operatorWorkingDirectory } from './operator-working-directory.js';

describe('operatorWorkingDirectory', () => {
  it("is INIT_CWD when this package's own pnpm script runs", () => {
    const env = { npm_package_name: '@sealink/rerank-server-app', INIT_CWD: '/home/operator' };
    expect(operatorWorkingDirectory(env, '/repo/apps/server')).toBe('/home/operator');
  });

  it("is the working directory under another package's script, or with no script at all", () => {
    expect(operatorWorkingDirectory({ npm_package_name: 'other-app', INIT_CWD: '/elsewhere' }, '/srv')).toBe(
      '/srv',
    );
    expect(operatorWorkingDirectory({ INIT_CWD: '/elsewhere' }, '/srv')).toBe('/srv');
    expect(operatorWorkingDirectory({ npm_package_name: '@sealink/rerank-server-app' }, '/srv')).toBe('/srv');
  });
});
