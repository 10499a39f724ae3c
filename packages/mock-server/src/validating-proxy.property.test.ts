import { ErrorResponse } from '@sealink/rerank-contract';
import { junkBodyArbitrary, rerankRequestArbitrary } from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MOCK_MODELS } from './mock-options.js';
import { type MockServer, startMockServer } from './start-mock-server.js';

const API_KEY = 'proxy-property-key';
let upstream: MockServer;
let proxy: MockServer;

beforeAll(async () => {
  upstream = await startMockServer({ apiKeys: [API_KEY] });
  proxy = await startMockServer({ proxy: { url: upstream.url } });
});

afterAll(async () => {
  await proxy.close();
  await upstream.close();
});

describe('property: the validating proxy in front of a contract-true upstream', () => {
  it('passes every answer to random valid and junk requests through unchanged in status, with no violation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
        fc.constantFrom('/v1/rerank', '/v1/models', '/v1/models/bm25', '/v1/models/nope', '/v1/nowhere'),
        fc.oneof(
          rerankRequestArbitrary({ models: DEFAULT_MOCK_MODELS }).map((body) => JSON.stringify(body)),
          junkBodyArbitrary.map((body) =>
            typeof body === 'string' ? body : Buffer.from(body).toString('latin1'),
          ),
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1'),
        fc.constantFrom(`Bearer ${API_KEY}`, 'Bearer wrong', ''),
        async (method, path, body, contentType, authorization) => {
          const headers: Record<string, string> = { 'content-type': contentType };
          if (authorization !== '') headers.authorization = authorization;
          const init = { method, headers, ...(method === 'GET' ? {} : { body }) } as const;
          const viaProxy = await request(`${proxy.url}${path}`, init);
          const text = await viaProxy.body.text();
          const direct = await request(`${upstream.url}${path}`, init);
          await direct.body.dump();
          expect(viaProxy.statusCode).toBeLessThan(500);
          expect(viaProxy.statusCode).toBe(direct.statusCode);
          expect(viaProxy.headers['x-mock-contract-violations']).toBe('0');
          if (viaProxy.statusCode >= 400) ErrorResponse.parse(JSON.parse(text));
        },
      ),
      { numRuns: 80 },
    );
    expect(proxy.requests.every((entry) => entry.contractViolations?.length === 0)).toBe(true);
  });
});
