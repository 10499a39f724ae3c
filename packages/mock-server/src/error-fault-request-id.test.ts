import { ErrorResponse } from '@sealink/rerank-contract';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createMockApp } from './create-mock-app.js';
import { InvalidMockFaultError } from './mock-fault.js';
import { startMockServer } from './start-mock-server.js';

const rerankInit = (headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ model: 'bm25', query: 'gateway', documents: ['api gateway', 'bread'] }),
});

describe("an error fault's x-request-id header", () => {
  // The header said the fault's id while the body's request_id (and the journal) kept the mock's own.
  it('is the request id of the answer: header, body and journal agree', async () => {
    await using app = createMockApp();
    app.faults.enqueue({ kind: 'error', status: 503, headers: { 'X-Request-Id': 'upstream-id-7' } });
    const answer = await app.request('/v1/rerank', rerankInit({ 'x-request-id': 'client-id-1' }));
    expect(answer.status).toBe(503);
    expect(answer.headers.get('x-request-id')).toBe('upstream-id-7');
    const { error } = ErrorResponse.parse(await answer.json());
    expect(error.request_id).toBe('upstream-id-7');
    expect(app.requests[0]?.requestId).toBe('upstream-id-7');
  });

  it('agrees over a real socket, for a fault sent in the x-mock-fault header', async () => {
    await using mock = await startMockServer();
    const fault = JSON.stringify({ kind: 'error', status: 429, headers: { 'x-request-id': 'gw:42' } });
    const answer = await request(`${mock.url}/v1/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mock-fault': fault },
      body: JSON.stringify({ model: 'bm25', query: 'gateway', documents: ['api gateway'] }),
    });
    expect(answer.statusCode).toBe(429);
    expect(answer.headers['x-request-id']).toBe('gw:42');
    const { error } = ErrorResponse.parse(await answer.body.json());
    expect(error.request_id).toBe('gw:42');
    expect(mock.requests[0]?.requestId).toBe('gw:42');
  });

  it('must be a request id the contract allows', () => {
    const app = createMockApp();
    for (const id of ['', 'has space', 'x'.repeat(129), ' padded ']) {
      expect(() =>
        app.faults.enqueue({ kind: 'error', status: 500, headers: { 'x-request-id': id } }),
      ).toThrow(InvalidMockFaultError);
    }
    expect(app.faults.pending).toEqual([]);
  });

  it('may be given once only (two spellings of the name would send both ids in one header)', () => {
    const app = createMockApp();
    expect(() =>
      app.faults.enqueue({
        kind: 'error',
        status: 500,
        headers: { 'x-request-id': 'first', 'X-Request-Id': 'second' },
      }),
    ).toThrow(InvalidMockFaultError);
  });
});
