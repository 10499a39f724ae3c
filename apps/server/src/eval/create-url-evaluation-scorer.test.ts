import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../config/load-server-config.js';
import type { ServerConfig } from '../config/server-config.js';
import { createServerFromConfig } from '../create-server-from-config.js';
import { createUrlEvaluationScorer } from './create-url-evaluation-scorer.js';
import { EvaluationUsageError } from './evaluation-usage-error.js';

/** A TCP server on a free loopback port that accepts connections and never answers. */
async function silentServer(): Promise<Server & AsyncDisposable> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(server, {
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  });
}

function portOf(server: Server): number {
  return (server.address() as import('node:net').AddressInfo).port;
}

describe('createUrlEvaluationScorer', () => {
  it('gives up on a server that accepts but never answers, saying so, instead of hanging', async () => {
    await using server = await silentServer();
    const url = `http://127.0.0.1:${portOf(server)}`;
    const started = performance.now();
    await expect(
      createUrlEvaluationScorer({ url, apiKey: null, model: 'bm25', lookupTimeoutMs: 300 }),
    ).rejects.toThrow(new RegExp(`^cannot reach the server at ${url}: `));
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('says it cannot reach a server that is down, after one retry', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${portOf(server)}`;
    server.close();
    await once(server, 'close');
    const started = performance.now();
    await expect(createUrlEvaluationScorer({ url, apiKey: null, model: 'bm25' })).rejects.toThrow(
      new RegExp(`^cannot reach the server at ${url}: .*ECONNREFUSED`),
    );
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('says the URL serves no rerank API (a wrong path) instead of calling the model unknown', async () => {
    await using server = await startServer(
      loadServerConfig({ env: { PORT: '0', SEALINK_LOG_LEVEL: 'silent' } }),
    );
    const url = `${server.url}/api`;
    const failure = createUrlEvaluationScorer({ url, apiKey: null, model: 'bm25' });
    await expect(failure).rejects.toThrow(EvaluationUsageError);
    await expect(failure).rejects.toThrow(
      `--url ${url} serves no rerank API: GET ${url}/models/bm25 answered 404 (route_not_found); give the server's base URL, such as http://127.0.0.1:8080`,
    );
    // An unknown model on the right URL is still said so.
    await expect(createUrlEvaluationScorer({ url: server.url, apiKey: null, model: 'nope' })).rejects.toThrow(
      /^unknown model "nope" on /,
    );
  });
});

/** A server built from `config` on a free loopback port; `await using` stops it. */
async function startServer(config: ServerConfig) {
  const server = createServerFromConfig(config);
  const running = await server.start();
  return { url: running.url, [Symbol.asyncDispose]: () => server.stop() };
}
