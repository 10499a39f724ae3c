// The Dockerfile cannot be built here (no Docker), so its deployment rules are checked by reading it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from './config/load-server-config.js';

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
    expect(find('WORKDIR').at(-1)).toBe('WORKDIR /app');
  });

  it('listens on every interface in production, as a non-root user that cannot rewrite its own code', () => {
    const environment = find('ENV').join(' ');
    expect(environment).toMatch(/\bHOST=0\.0\.0\.0\b/);
    expect(environment).toMatch(/\bNODE_ENV=production\b/);
    expect(find('USER')).toEqual(['USER node']);
    for (const copy of find('COPY')) expect(copy).not.toMatch(/--chown/);
  });

  it('checks health with node (no curl or wget in the slim image) on /healthz, at the address in HOST', async () => {
    const [healthcheck] = find('HEALTHCHECK');
    const argv = JSON.parse(healthcheck!.slice(healthcheck!.indexOf('CMD ') + 4)) as string[];
    expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    // Run the check itself against a real /healthz, for each HOST the server may listen on.
    const server = createServer((incoming, outgoing) => {
      outgoing.writeHead(incoming.url === '/healthz' ? 200 : 404).end();
    });
    for (const [listenOn, host, expected] of [
      ['0.0.0.0', '0.0.0.0', 0],
      ['127.0.0.1', '', 0],
      ['127.0.0.2', '127.0.0.2', 0], // a specific address that is not 127.0.0.1
      ['::1', '::1', 0],
      ['127.0.0.2', '0.0.0.0', 1], // asking loopback when the server listens elsewhere fails
      ['127.0.0.1', ' ', 0], // blank: the server takes its default, 127.0.0.1, as for an empty HOST
    ] as const) {
      server.listen(0, listenOn);
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const check = spawn(process.execPath, ['-e', argv[2]!], {
        env: { PATH: process.env.PATH ?? '', HOST: host, PORT: String(port) },
        stdio: 'ignore',
      });
      const [code] = await once(check, 'exit');
      expect({ listenOn, host, code }).toEqual({ listenOn, host, code: expected });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('checks the port the server listens on when PORT has white space around it, which the server trims', async () => {
    const [healthcheck] = find('HEALTHCHECK');
    const argv = JSON.parse(healthcheck!.slice(healthcheck!.indexOf('CMD ') + 4)) as string[];
    const server = createServer((incoming, outgoing) => {
      outgoing.writeHead(incoming.url === '/healthz' ? 200 : 404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      for (const spelling of [` ${port}`, `${port} `, `\t${port}\n`, `0${port}`]) {
        // The server reads the same value as this port.
        expect(loadServerConfig({ env: { PORT: spelling } }).port).toBe(port);
        const check = spawn(process.execPath, ['-e', argv[2]!], {
          env: { PATH: process.env.PATH ?? '', HOST: '0.0.0.0', PORT: spelling },
          stdio: 'ignore',
        });
        const [code] = await once(check, 'exit');
        expect({ spelling, code }).toEqual({ spelling, code: 0 });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps local secrets and build output out of the build context', () => {
    for (const pattern of ['**/.env', '**/.env.*', '**/node_modules', '**/dist', '.git']) {
      expect(DOCKERIGNORE).toContain(pattern);
    }
  });
});
