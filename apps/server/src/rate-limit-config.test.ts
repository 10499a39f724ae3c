import { createServer } from 'node:net';
import { ErrorResponse } from '@sealink/rerank-contract';
import { captureLogger, startRedisServer } from '@sealink/rerank-server/testing';
import { pino } from 'pino';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from './config/load-server-config.js';
import { createServerFromConfig } from './create-server-from-config.js';

const KEY = 'sk-config-rate-0123456789';
const BODY = JSON.stringify({ model: 'bm25', query: 'api gateway', documents: ['an api gateway', 'bread'] });

/** A local port nothing listens on: a Redis URL on it is unreachable. */
async function closedPort(): Promise<number> {
  const closed = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => closed.once('listening', resolve));
  const port = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
  return port;
}

/** A local server that takes connections and never answers: a Redis URL on it connects but is never ready. */
async function silentServer(): Promise<{ port: number } & AsyncDisposable> {
  const sockets = new Set<import('node:net').Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => silent.once('listening', resolve));
  return {
    port: (silent.address() as { port: number }).port,
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    },
  };
}

describe('rate limits from the configuration', () => {
  it('reads SEALINK_RATE_LIMIT_* and SEALINK_REDIS_URL, and rejects a bad URL naming the variable', () => {
    const config = loadServerConfig({
      env: {
        SEALINK_RATE_LIMIT_REQUESTS: '3',
        SEALINK_RATE_LIMIT_WINDOW_SECONDS: '10',
        SEALINK_REDIS_URL: 'redis://127.0.0.1:6390/0',
      },
    });
    expect(config).toMatchObject({
      rate_limit_requests: 3,
      rate_limit_window_seconds: 10,
      redis_url: 'redis://127.0.0.1:6390/0',
    });
    expect(loadServerConfig({ env: {} }).rate_limit_requests).toBeUndefined();
    expect(() => loadServerConfig({ env: { SEALINK_REDIS_URL: 'http://x' } })).toThrow(ConfigError);
    expect(() => loadServerConfig({ env: { SEALINK_REDIS_URL: 'http://x' } })).toThrow(/SEALINK_REDIS_URL/);
    expect(() => loadServerConfig({ env: { SEALINK_RATE_LIMIT_REQUESTS: '0' } })).toThrow(
      /SEALINK_RATE_LIMIT_REQUESTS/,
    );
  });

  it('two configured servers sharing a real Redis refuse the key past its budget with 429', async () => {
    await using redisServer = await startRedisServer();
    const env = {
      SEALINK_API_KEYS: KEY,
      SEALINK_RATE_LIMIT_REQUESTS: '3',
      SEALINK_REDIS_URL: `redis://127.0.0.1:${redisServer.port}/0`,
      PORT: '0',
    };
    const servers = [0, 1].map(() =>
      createServerFromConfig(loadServerConfig({ env }), { logger: pino({ level: 'silent' }) }),
    );
    const running = await Promise.all(servers.map((server) => server.start()));
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 6; attempt++) {
        const answer = await request(`${running[attempt % 2]!.url}/v1/rerank`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: BODY,
        });
        statuses.push(answer.statusCode);
        const text = await answer.body.text();
        if (answer.statusCode === 429) {
          expect(ErrorResponse.parse(JSON.parse(text)).error.type).toBe('rate_limit_error');
          expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  });

  it('does not use Redis without a rate limit, and says so once instead of warning that rate limits count in memory', async () => {
    const port = await closedPort();
    const capture = captureLogger('info');
    const server = createServerFromConfig(
      loadServerConfig({ env: { PORT: '0', SEALINK_REDIS_URL: `redis://127.0.0.1:${port}/0` } }),
      { logger: capture.logger },
    );
    await server.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const messages = capture
        .records()
        .filter((record) => /redis/i.test(String(record.msg)))
        .map((record) => ({ level: record.level, msg: record.msg }));
      expect(messages).toEqual([
        {
          level: 40,
          msg: 'SEALINK_REDIS_URL is set but SEALINK_RATE_LIMIT_REQUESTS is not: there is no rate limit, so Redis is not used',
        },
      ]);
    } finally {
      await server.stop();
    }
  });

  it('warns once while Redis stays unreachable, not at every reconnection attempt', async () => {
    const port = await closedPort();
    const capture = captureLogger('info');
    const server = createServerFromConfig(
      loadServerConfig({
        env: {
          PORT: '0',
          SEALINK_RATE_LIMIT_REQUESTS: '3',
          SEALINK_REDIS_URL: `redis://127.0.0.1:${port}/0`,
        },
      }),
      { logger: capture.logger },
    );
    await server.start();
    try {
      const warnings = () => capture.records().filter((record) => String(record.msg).includes('redis'));
      // The first warning comes once the first connection attempt fails: waited for, not assumed within a
      // fixed time a loaded machine can outlast.
      await expect.poll(() => warnings().length, { timeout: 10_000 }).toBeGreaterThan(0);
      // ioredis tries again about once a second: a warning at each attempt (the bug) shows within 2 s.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(warnings().map((record) => record.msg)).toEqual([
        'cannot reach redis; rate limits count in memory until it is back',
      ]);
    } finally {
      await server.stop();
    }
  });

  it('loads its models and starts while Redis takes the connection but never answers, after one warning that it is not ready', async () => {
    await using silent = await silentServer();
    const capture = captureLogger('info');
    const server = createServerFromConfig(
      loadServerConfig({
        env: {
          PORT: '0',
          SEALINK_API_KEYS: KEY,
          SEALINK_RATE_LIMIT_REQUESTS: '3',
          SEALINK_REDIS_URL: `redis://127.0.0.1:${silent.port}/0`,
        },
      }),
      { logger: capture.logger },
    );
    try {
      // The start waits a few seconds for Redis, not for ever.
      const started = await Promise.race([
        server.start(),
        new Promise((resolve) => setTimeout(resolve, 15_000, 'still starting')),
      ]);
      expect(started).not.toBe('still starting');
      expect(capture.records().some((record) => record.msg === 'models loaded')).toBe(true);
      const redisLines = capture.records().filter((record) => /redis/i.test(String(record.msg)));
      expect(redisLines.map((record) => ({ level: record.level, msg: record.msg }))).toEqual([
        { level: 40, msg: 'cannot reach redis; rate limits count in memory until it is back' },
      ]);
      expect(redisLines[0]?.err).toBe('redis was not ready within 5000 ms (status connect)');
      // Counted in memory meanwhile.
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        const answer = await request(`${(started as { url: string }).url}/v1/rerank`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: BODY,
        });
        await answer.body.text();
        statuses.push(answer.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await server.stop();
    }
  });
});
