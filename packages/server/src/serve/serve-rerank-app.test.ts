import { describe, expect, it } from 'vitest';
import { createRerankApp } from '../create-rerank-app.js';
import {
  exchangeRaw,
  expectContractError,
  PROPERTY_API_KEY,
  parseRawAnswer,
} from '../http-property-test-kit.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { captureLogger } from '../testing/capture-logger.js';
import { ScriptedBackend } from '../testing/scripted-backend.js';
import { serveRerankApp } from './serve-rerank-app.js';

/** The app on `hostname`, port 0, with one key; `await using` closes it. */
async function serveOn(hostname: string) {
  const app = createRerankApp({
    registry: new ModelRegistry([{ id: 'bm25', backend: new ScriptedBackend() }]),
    auth: { apiKeys: [PROPERTY_API_KEY] },
    logger: captureLogger('fatal').logger,
  });
  return serveRerankApp(app, { hostname });
}

describe('serveRerankApp', () => {
  it('answers requests without a Host (HTTP/1.0) or with an empty one when it listens on an IPv6 address', async () => {
    await using server = await serveOn('::1');
    expect(server.url).toBe(`http://[::1]:${server.port}`);
    const auth = `Authorization: Bearer ${PROPERTY_API_KEY}\r\n`;
    for (const request of [
      'GET /healthz HTTP/1.0\r\n\r\n',
      `GET /v1/models HTTP/1.0\r\n${auth}\r\n`,
      'GET /readyz HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n',
    ]) {
      const answer = parseRawAnswer(await exchangeRaw(server.port, [request], { host: '::1' }));
      expect({ request, status: answer.status }).toEqual({ request, status: 200 });
    }
    // Unknown paths still get their 404 in the contract's shape.
    const missing = parseRawAnswer(
      await exchangeRaw(server.port, ['GET /nope HTTP/1.0\r\n\r\n'], { host: '::1' }),
    );
    expect(missing.status).toBe(404);
    expect(expectContractError(missing, 'GET')?.code).toBe('route_not_found');
  });

  it('answers them too on an IPv6 address written in a form a URL does not keep (0:0:0:0:0:0:0:1, ::ffff:127.0.0.1)', async () => {
    for (const [hostname, canonical, connectTo] of [
      ['0:0:0:0:0:0:0:1', '[::1]', '::1'],
      ['::ffff:127.0.0.1', '[::ffff:7f00:1]', '127.0.0.1'],
    ] as const) {
      await using server = await serveOn(hostname);
      expect(server.url).toBe(`http://${canonical}:${server.port}`);
      const answer = parseRawAnswer(
        await exchangeRaw(server.port, ['GET /healthz HTTP/1.0\r\n\r\n'], { host: connectTo }),
      );
      expect({ hostname, status: answer.status }).toEqual({ hostname, status: 200 });
    }
  });
});
