import { ErrorResponse } from '@sealink/rerank-contract';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createMockApp } from './create-mock-app.js';
import { readLimitedBody } from './read-limited-body.js';
import { startMockServer } from './start-mock-server.js';

const BODY = JSON.stringify({ model: 'bm25', query: 'gateway', documents: ['api gateway'] });

describe('readLimitedBody', () => {
  it('keeps a leading byte order mark, as Buffer.toString on the real server does', async () => {
    const bytes = new TextEncoder().encode(`\uFEFF${BODY}`);
    expect(bytes.subarray(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    const read = await readLimitedBody(
      new Request('http://mock.test/', { method: 'POST', body: bytes }),
      1024,
    );
    expect(read).toEqual({ kind: 'read', text: `\uFEFF${BODY}`, validUtf8: true, bytes });
  });
});

describe('a body that starts with a byte order mark', () => {
  it('gets 400 invalid_json, as from the real server, over a socket and in process', async () => {
    await using mock = await startMockServer();
    const overSocket = await request(`${mock.url}/v1/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `\uFEFF${BODY}`,
    });
    expect(overSocket.statusCode).toBe(400);
    expect(ErrorResponse.parse(await overSocket.body.json()).error.code).toBe('invalid_json');
    expect(mock.requests[0]?.body).toBe(`\uFEFF${BODY}`);

    const app = createMockApp();
    const inProcess = await app.request('/v1/rerank', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `\uFEFF${BODY}`,
    });
    expect(inProcess.status).toBe(400);
    expect(ErrorResponse.parse(await inProcess.json()).error.code).toBe('invalid_json');
  });
});
