import { bearerTokenOf } from '@sealink/rerank-contract';
import {
  checkRerankResponse,
  junkBodyArbitrary,
  rerankRequestArbitrary,
} from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  authorizationArbitrary,
  echoedRequestId,
  expectContractError,
  type RawAnswer,
  requestIdArbitrary,
  sendRaw,
  startPropertyServer,
} from '../http-property-test-kit.js';
import { RequestRateLimiter } from './request-rate-limiter.js';
import { connectRedisClient, startRedisServer } from './start-redis-server.js';

/**
 * The 429 path of the rate-limited app over a real socket, with the limiter in memory and in a real Redis:
 * random bursts of requests (each burst sent at once) from random keys, on the rerank routes (which count)
 * and on routes that do not count, with valid and junk bodies, and with keys that auth refuses.
 */

const KEYS = [
  'sk-rate-prop-alpha-0123456789',
  'sk-rate-prop-beta-0123456789',
  'sk-rate-prop-gamma-0123456789',
];
/** Long enough that no window ends while a run lasts: the counts do not depend on time. */
const WINDOW_SECONDS = 60;
const RATE_LIMIT_HEADERS = [
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
] as const;

/** One request of a run. */
interface Step {
  /** The key it is made with (its index in {@link KEYS}), spelled by `authorization`. */
  key: number;
  authorization: string;
  /** A rerank route (counted), or a route without a budget. */
  path: string;
  body: string | Uint8Array;
  /** The body is a valid `/v1/rerank` request (then a 200 is checked in full). */
  valid: boolean;
  requestId: string | undefined;
  /** The replica it is sent to, with several servers sharing a Redis. */
  replica: number;
}

const RERANK_PATHS = ['/v1/rerank', '/v1/rerank?x=1', '/v2/rerank', '/rerank'];
const UNCOUNTED_PATHS = ['/v1/models', '/v1/models/bm25', '/healthz'];

const bodyArbitrary = fc.oneof(
  {
    weight: 3,
    arbitrary: rerankRequestArbitrary({ models: ['bm25'], maxDocuments: 4 }).map((request) => ({
      body: JSON.stringify(request),
      valid: true,
    })),
  },
  { weight: 1, arbitrary: junkBodyArbitrary.map((body) => ({ body, valid: false })) },
);

const stepArbitrary = (replicas: number): fc.Arbitrary<Step> =>
  fc
    .record({
      key: fc.integer({ min: 0, max: KEYS.length - 1 }),
      spelling: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('Bearer ', 'bearer   ', 'BEARER\t') },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      path: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...RERANK_PATHS) },
        { weight: 1, arbitrary: fc.constantFrom(...UNCOUNTED_PATHS) },
      ),
      body: bodyArbitrary,
      requestId: fc.option(requestIdArbitrary, { nil: undefined }),
      replica: fc.integer({ min: 0, max: replicas - 1 }),
    })
    .chain((step) =>
      // Now and then a spelling of the key that auth refuses (or another header altogether).
      (step.spelling === undefined
        ? authorizationArbitrary(KEYS[step.key]!)
        : fc.constant(`${step.spelling}${KEYS[step.key]}`)
      ).map((authorization) => ({
        key: step.key,
        authorization,
        path: step.path,
        body: step.body.body,
        valid: step.body.valid,
        requestId: step.requestId,
        replica: step.replica,
      })),
    );

/** Random runs: a budget, and bursts of requests, each burst sent concurrently. */
const runArbitrary = (replicas: number) =>
  fc.record({
    budget: fc.integer({ min: 1, max: 4 }),
    bursts: fc.array(fc.array(stepArbitrary(replicas), { minLength: 1, maxLength: 5 }), {
      minLength: 1,
      maxLength: 5,
    }),
  });

async function send(port: number, step: Step): Promise<RawAnswer> {
  const headers: [string, string][] = [['authorization', step.authorization]];
  if (step.requestId !== undefined) headers.push(['x-request-id', step.requestId]);
  const isRerank = RERANK_PATHS.includes(step.path);
  if (isRerank) headers.push(['content-type', 'application/json']);
  return await sendRaw(port, {
    method: isRerank ? 'POST' : 'GET',
    path: step.path,
    headers,
    ...(isRerank ? { body: step.body } : {}),
  });
}

/**
 * Sends the bursts of a run to the servers at `ports` (shared budget) and checks the invariants: each key
 * gets exactly its budget of answers other than 429 on the rerank routes, then 429 `rate_limit_error` with
 * `Retry-After` >= 1 and consistent `x-ratelimit-*` headers; requests auth refuses and routes without a
 * budget never count and never get 429; no answer is a 5xx; every error is in the contract's shape.
 */
async function checkRun(ports: readonly number[], budget: number, bursts: readonly (readonly Step[])[]) {
  const used = KEYS.map(() => 0);
  /** The `x-ratelimit-remaining-requests` values of the answers within budget, per key, when they carry one. */
  const remainingSeen = KEYS.map(() => [] as number[]);
  for (const burst of bursts) {
    const answers = await Promise.all(burst.map((step) => send(ports[step.replica]!, step)));
    const counted = KEYS.map(() => 0);
    const passed = KEYS.map(() => 0);
    for (const [index, answer] of answers.entries()) {
      const step = burst[index]!;
      const label = `${step.path} key ${step.key} (${JSON.stringify(step.authorization)}): ${answer.status} ${answer.body}`;
      expect(answer.status, label).toBeGreaterThanOrEqual(200);
      expect(answer.status, label).toBeLessThan(500);
      const echoed = echoedRequestId(step.requestId === undefined ? [] : [['x-request-id', step.requestId]]);
      if (echoed !== undefined) expect(answer.headers.get('x-request-id'), label).toBe(echoed);
      // `/healthz` takes no key; every other route refuses a key it does not know with 401, before counting.
      const authorized = step.path === '/healthz' || bearerTokenOf(step.authorization) === KEYS[step.key];
      if (!authorized) {
        expect(answer.status, label).toBe(401);
        expect(expectContractError(answer, 'POST')?.type).toBe('authentication_error');
        continue;
      }
      if (!RERANK_PATHS.includes(step.path)) {
        expect(answer.status, label).toBe(200);
        continue;
      }
      counted[step.key]!++;
      if (answer.status === 429) {
        const error = expectContractError(answer, 'POST');
        expect(error, label).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
        const retryAfter = answer.headers.get('retry-after');
        expect(retryAfter, label).toMatch(/^\d+$/);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS);
        expect(answer.headers.get('x-ratelimit-limit-requests'), label).toBe(String(budget));
        expect(answer.headers.get('x-ratelimit-remaining-requests'), label).toBe('0');
        expect(answer.headers.get('x-ratelimit-reset-requests'), label).toBe(retryAfter);
        continue;
      }
      passed[step.key]!++;
      expect(answer.headers.get('retry-after'), label).toBeUndefined();
      const remaining = answer.headers.get('x-ratelimit-remaining-requests');
      if (remaining !== undefined) {
        expect(answer.headers.get('x-ratelimit-limit-requests'), label).toBe(String(budget));
        expect(Number(answer.headers.get('x-ratelimit-reset-requests'))).toBeGreaterThanOrEqual(1);
        remainingSeen[step.key]!.push(Number(remaining));
      } else {
        for (const name of RATE_LIMIT_HEADERS) expect(answer.headers.has(name), label).toBe(false);
      }
      if (answer.status >= 400) {
        expectContractError(answer, 'POST');
      } else if (step.valid && step.path.startsWith('/v1/rerank')) {
        expect(answer.status, label).toBe(200);
        expect(checkRerankResponse(JSON.parse(step.body as string), JSON.parse(answer.body))).toEqual([]);
      }
    }
    for (const [key, count] of counted.entries()) {
      // Of the requests of this burst, exactly those the budget has left pass, whatever their order.
      const expected = Math.max(0, Math.min(count, budget - used[key]!));
      expect(passed[key], `key ${key}: ${count} requests with ${budget - used[key]!} left`).toBe(expected);
      used[key]! += count;
    }
  }
  for (const seen of remainingSeen) {
    // Never negative and one lower for each request that passed: budget - 1, budget - 2, ... each once.
    expect([...seen].sort((a, b) => b - a)).toEqual(seen.map((_, index) => budget - 1 - index));
  }
}

describe('the rate-limited app over a real socket (property)', () => {
  it('in memory: each key gets exactly its budget, then 429 rate_limit_error with consistent headers; other keys and routes unaffected', async () => {
    await fc.assert(
      fc.asyncProperty(runArbitrary(1), async ({ budget, bursts }) => {
        await using server = await startPropertyServer(['bm25'], {
          auth: { apiKeys: KEYS },
          rateLimiter: new RequestRateLimiter({ requests: budget, windowSeconds: WINDOW_SECONDS }),
        });
        await checkRun([server.port], budget, bursts);
      }),
      { numRuns: 60 },
    );
  }, 30_000);

  it('with a real Redis shared by two replicas: each key gets exactly its budget across both, then 429', async () => {
    await using redisServer = await startRedisServer();
    const clients: Redis[] = [
      await connectRedisClient(redisServer, 1),
      await connectRedisClient(redisServer, 1),
    ];
    try {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(runArbitrary(2), async ({ budget, bursts }) => {
          // A key prefix of its own per run, so that no run sees another's counts; a Redis timeout far
          // above any answer time, so that no request falls back to counting in memory on a slow machine.
          const keyPrefix = `prop-${run++}`;
          /** A replica counting in Redis through `redis`, with the run's budget and key prefix. */
          const startReplica = (redis: Redis) =>
            startPropertyServer(['bm25'], {
              auth: { apiKeys: KEYS },
              rateLimiter: new RequestRateLimiter({
                requests: budget,
                windowSeconds: WINDOW_SECONDS,
                redis,
                keyPrefix,
                redisTimeoutMs: 10_000,
              }),
            });
          await using first = await startReplica(clients[0]!);
          await using second = await startReplica(clients[1]!);
          await checkRun([first.port, second.port], budget, bursts);
        }),
        { numRuns: 40 },
      );
    } finally {
      for (const client of clients) client.disconnect();
    }
  }, 30_000);
});
