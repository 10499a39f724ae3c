import { describe, expect, it } from 'vitest';
import { createRerankApp } from '../create-rerank-app.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { serveRerankApp } from '../serve/serve-rerank-app.js';
import { captureLogger } from '../testing/capture-logger.js';
import { ScriptedBackend } from '../testing/scripted-backend.js';
import { RequestRateLimiter } from './request-rate-limiter.js';

const KEY = 'sk-rate-fail-0123456789';

describe('a rate-limited rerank request the server fails on', () => {
  it('gets its 500 with the x-ratelimit-* headers of the budget it was counted against', async () => {
    const backend = new ScriptedBackend({
      script: () => {
        throw new Error('a bug in the backend');
      },
    });
    const app = createRerankApp({
      registry: new ModelRegistry([{ id: 'm', backend }]),
      auth: { apiKeys: [KEY] },
      logger: captureLogger('fatal').logger,
      rateLimiter: new RequestRateLimiter({ requests: 5, windowSeconds: 60 }),
    });
    await using server = await serveRerankApp(app, { hostname: '127.0.0.1', port: 0 });
    const answer = await fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', query: 'q', documents: ['a'] }),
    });
    expect(answer.status).toBe(500);
    expect((await answer.json()).error.code).toBe('internal_error');
    expect(answer.headers.get('x-ratelimit-limit-requests')).toBe('5');
    expect(answer.headers.get('x-ratelimit-remaining-requests')).toBe('4');
    expect(answer.headers.get('x-ratelimit-reset-requests')).not.toBeNull();
  });
});
