import { ErrorResponse } from '@sealink/rerank-contract';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRerankApp } from '../create-rerank-app.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { captureLogger } from '../testing/capture-logger.js';
import { ConstantScoreBackend } from '../testing/constant-score-backend.js';
import { RequestRateLimiter } from './request-rate-limiter.js';
import { connectRedisClient, startRedisServer } from './start-redis-server.js';

const KEYS = ['sk-rate-one-0123456789', 'sk-rate-two-0123456789'];
const BODY = JSON.stringify({ model: 'm', query: 'api gateway', documents: ['an api gateway', 'bread'] });

function makeApp(rateLimiter: RequestRateLimiter) {
  const registry = new ModelRegistry([{ id: 'm', backend: new ConstantScoreBackend() }]);
  return createRerankApp({ registry, auth: { apiKeys: KEYS }, logger: captureLogger().logger, rateLimiter });
}

async function rerank(app: ReturnType<typeof makeApp>, key: string, scheme = 'Bearer '): Promise<Response> {
  return await app.request('/v1/rerank', {
    method: 'POST',
    headers: { authorization: `${scheme}${key}`, 'content-type': 'application/json' },
    body: BODY,
  });
}

describe('rate-limited rerank routes', () => {
  it('answer 429 rate_limit_error with Retry-After and x-ratelimit headers once a key is over its budget', async () => {
    const app = makeApp(new RequestRateLimiter({ requests: 2, windowSeconds: 60 }));
    const answers = [];
    for (let attempt = 0; attempt < 3; attempt++) answers.push(await rerank(app, KEYS[0]!));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
    // The answers within the budget say what is left of it, as hosted APIs do.
    expect(
      answers.map((answer) => [
        answer.headers.get('x-ratelimit-limit-requests'),
        answer.headers.get('x-ratelimit-remaining-requests'),
        answer.headers.get('retry-after'),
      ]),
    ).toEqual([
      ['2', '1', null],
      ['2', '0', null],
      ['2', '0', answers[2]!.headers.get('x-ratelimit-reset-requests')],
    ]);
    const refused = await rerank(app, KEYS[0]!);
    expect(refused.status).toBe(429);
    const { error } = ErrorResponse.parse(await refused.json());
    expect(error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    expect(error.request_id).toBe(refused.headers.get('x-request-id'));
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    // Another key has its own budget; a wrong key is refused by auth before it costs any budget.
    expect((await rerank(app, KEYS[1]!)).status).toBe(200);
    const wrong = await rerank(app, 'sk-wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('x-ratelimit-limit-requests')).toBeNull();
  });

  it('count one budget per key however the Authorization header spells its scheme', async () => {
    const app = makeApp(new RequestRateLimiter({ requests: 3, windowSeconds: 60 }));
    const spellings = ['Bearer ', 'bearer ', 'BEARER\t', 'Bearer   '];
    const statuses = [];
    for (const scheme of spellings) statuses.push((await rerank(app, KEYS[0]!, scheme)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('share one budget between two server replicas through a real Redis', async () => {
    await using redisServer = await startRedisServer();
    const clients = [0, 1].map(
      () =>
        new Redis({
          port: redisServer.port,
          host: '127.0.0.1',
          enableOfflineQueue: false,
          lazyConnect: true,
        }),
    );
    await Promise.all(clients.map((client) => client.connect()));
    try {
      const replicas = clients.map((redis) =>
        makeApp(new RequestRateLimiter({ requests: 5, windowSeconds: 60, redis })),
      );
      const statuses = await Promise.all(
        Array.from({ length: 12 }, (_, attempt) =>
          rerank(replicas[attempt % 2]!, KEYS[0]!).then((r) => r.status),
        ),
      );
      expect(statuses.filter((status) => status === 200)).toHaveLength(5);
      expect(statuses.filter((status) => status === 429)).toHaveLength(7);
      const stored = await clients[0]!.keys('sealink:rl:key:*');
      expect(stored).toHaveLength(1);
      expect(stored[0]).not.toContain(KEYS[0]);
    } finally {
      for (const client of clients) client.disconnect();
    }
  });
});

describe('rate-limited rerank routes with a Redis that stops answering', () => {
  it('answer within the request deadline, counting in memory, instead of hanging on Redis', async () => {
    await using redisServer = await startRedisServer();
    const redis = await connectRedisClient(redisServer, 1);
    try {
      const registry = new ModelRegistry([{ id: 'm', backend: new ConstantScoreBackend() }]);
      const app = createRerankApp({
        registry,
        auth: { apiKeys: KEYS },
        logger: captureLogger().logger,
        requestTimeoutMs: 1000,
        // The default Redis timeout of the limiter, as a deployment gets it.
        rateLimiter: new RequestRateLimiter({ requests: 2, windowSeconds: 60, redis }),
      });
      redisServer.pause();
      const started = performance.now();
      const statuses = await Promise.all([0, 1, 2].map(async () => (await rerank(app, KEYS[0]!)).status));
      expect(performance.now() - started).toBeLessThan(1500);
      expect(statuses.sort()).toEqual([200, 200, 429]);
    } finally {
      redisServer.resume();
      redis.disconnect();
    }
  });
});
