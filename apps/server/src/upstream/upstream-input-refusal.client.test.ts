// The server and the client SDK together: an engine's refusal of the input reaches the client as 502 with
// `x-should-retry: false`, and the SDK (which retries 502) does not send the request again.
import { SeaLink, UpstreamError } from '@sealink/rerank-client';
import { type MockEngine, startMockEngine } from '@sealink/rerank-mock-server';
import { createRerankApp, ModelRegistry, serveRerankApp, UpstreamBackend } from '@sealink/rerank-server';
import { captureLogger } from '@sealink/rerank-server/testing';
import { describe, expect, it } from 'vitest';

const API_KEY = 'sk-refusal-test';

/** A TEI mock engine that refuses pairs over 16 tokens (413), behind the gateway on 127.0.0.1, port 0. */
async function startGatewayOverTei(): Promise<{ engine: MockEngine; url: string } & AsyncDisposable> {
  const engine = await startMockEngine({ dialect: 'tei', maxInputTokens: 16 });
  const backend = new UpstreamBackend({
    type: 'tei',
    baseUrls: [engine.url],
    model: 'm',
    healthCheck: false,
  });
  const registry = new ModelRegistry([{ id: 'qwen3-rerank', backend }]);
  await registry.load();
  const app = createRerankApp({
    registry,
    auth: { apiKeys: [API_KEY] },
    logger: captureLogger('fatal').logger,
  });
  const server = await serveRerankApp(app);
  return {
    engine,
    url: server.url,
    async [Symbol.asyncDispose]() {
      await server.close();
      await registry.close();
      await engine.close();
    },
  };
}

/** The error a call rejects with; fails when it resolves. */
async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('an engine refusing the input, through the gateway and the client SDK', () => {
  it('is answered 502 with x-should-retry: false, which the SDK does not retry', async () => {
    await using gateway = await startGatewayOverTei();
    const client = new SeaLink({ apiKey: API_KEY, baseURL: gateway.url, maxRetries: 2 });
    try {
      const long = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
      const error = await rejectionOf(
        client.rerank({ model: 'qwen3-rerank', query: 'q', documents: ['a', long] }),
      );
      expect(error).toBeInstanceOf(UpstreamError);
      const refused = error as UpstreamError;
      expect(refused.status).toBe(502);
      expect(refused.headers.get('x-should-retry')).toBe('false');
      expect(refused.message).toContain('413');
      expect(gateway.engine.requests).toHaveLength(1);

      // The contrast: a 502 without the header (an engine's 500) is retried by the SDK as before.
      gateway.engine.failNext(1, 500);
      const retried = await client.rerank({ model: 'qwen3-rerank', query: 'q', documents: ['a'] });
      expect(retried.results).toHaveLength(1);
      expect(gateway.engine.requests).toHaveLength(3);
    } finally {
      await client.close();
    }
  }, 15_000);
});
