// The Dockerfile cannot be built here (no Docker), so its deployment rules are checked by reading it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const APP_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const DOCKERFILE = readFileSync(`${APP_DIRECTORY}Dockerfile`, 'utf8');
const DOCKERIGNORE = readFileSync(`${APP_DIRECTORY}Dockerfile.dockerignore`, 'utf8').split('\n');
const PACKAGE = JSON.parse(readFileSync(`${APP_DIRECTORY}package.json`, 'utf8')) as {
  bin: Record<string, string>;
};

/** The instructions of the last stage, continuation lines joined. */
function runtimeStage(): string[] {
  const instructions = DOCKERFILE.replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const lastFrom = instructions.findLastIndex((line) => line.startsWith('FROM '));
  return instructions.slice(lastFrom);
}

describe('the Dockerfile', () => {
  const stage = runtimeStage();
  const find = (instruction: string) => stage.filter((line) => line.startsWith(`${instruction} `));

  it('runs the built CLI with node itself as PID 1 (exec form), so SIGTERM reaches the drain', () => {
    const [cmd] = find('CMD');
    expect(cmd).toBeDefined();
    const argv = JSON.parse(cmd!.slice('CMD '.length)) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.at(-1)).toBe(PACKAGE.bin['sealink-rerank-server']!.replace(/^\.\//, ''));
    expect(find('ENTRYPOINT')).toEqual([]);
    expect(find('WORKDIR').at(-1)).toBe('WORKDIR /app/apps/server');
  });

  it('listens on every interface in production, as a non-root user that cannot rewrite its own code', () => {
    const environment = find('ENV').join(' ');
    expect(environment).toMatch(/\bHOST=0\.0\.0\.0\b/);
    expect(environment).toMatch(/\bNODE_ENV=production\b/);
    expect(find('USER')).toEqual(['USER node']);
    for (const copy of find('COPY')) expect(copy).not.toMatch(/--chown/);
  });

  it('checks health with node (no curl or wget in the slim image) on /healthz', () => {
    const [healthcheck] = find('HEALTHCHECK');
    expect(healthcheck).toMatch(/CMD \["node", "-e", .*\/healthz/);
  });

  it('keeps local secrets and build output out of the build context', () => {
    for (const pattern of ['**/.env', '**/.env.*', '**/node_modules', '**/dist', '.git']) {
      expect(DOCKERIGNORE).toContain(pattern);
    }
  });
});
