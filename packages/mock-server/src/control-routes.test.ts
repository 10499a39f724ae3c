import { ErrorResponse } from '@sealink/rerank-contract';
import { junkBodyArbitrary } from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createMockApp } from './create-mock-app.js';
import type { MockFault } from './mock-fault.js';
import { MockFaults } from './mock-faults.js';
import { useMockServer } from './testing/use-mock-server.js';

/** More faults than a function call takes as spread arguments. */
const MANY = 300_000;
const manyFaults = (): MockFault[] => Array.from({ length: MANY }, () => ({ kind: 'empty' }) as const);

async function postFaults(url: string, body: string | Uint8Array) {
  const answer = await request(`${url}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: answer.statusCode, headers: answer.headers, text: await answer.body.text() };
}

function expectContractError(answer: { headers: Record<string, unknown>; text: string }) {
  const { error } = ErrorResponse.parse(JSON.parse(answer.text));
  expect(error.request_id).toBe(answer.headers['x-request-id']);
  return error;
}

describe('queuing very many faults', () => {
  it('MockFaults.enqueueAll and createMockApp({ faults }) take more faults than a call has arguments', async () => {
    const faults = new MockFaults();
    faults.enqueueAll(manyFaults());
    expect(faults.pending).toHaveLength(MANY);
    const app = createMockApp({ faults: manyFaults() });
    expect(app.faults.pending).toHaveLength(MANY);
    await app.close();
  });

  it('keeps enqueueAll all or nothing: one invalid fault queues none', () => {
    const faults = new MockFaults();
    expect(() => faults.enqueueAll([{ kind: 'empty' }, { kind: 'nope' } as unknown as MockFault])).toThrow();
    expect(faults.pending).toHaveLength(0);
  });
});

describe('POST /__mock/faults over a socket', () => {
  const mock = useMockServer();

  it('refuses a 300,000-fault array (over the control body limit) with 413 in the contract shape, not a 5xx', async () => {
    mock().clear();
    const answer = await postFaults(mock().url, JSON.stringify(manyFaults()));
    expect(answer.status).toBe(413);
    expect(expectContractError(answer)).toMatchObject({ type: 'request_too_large', code: 'body_too_large' });
    expect(mock().faults.pending).toHaveLength(0);
    const after = await request(`${mock().url}/healthz`);
    expect(after.statusCode).toBe(200);
    await after.body.dump();
  });

  it('queues a large array within the limit', async () => {
    mock().clear();
    const count = 50_000;
    const answer = await postFaults(mock().url, JSON.stringify(manyFaults().slice(0, count)));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ pending: count });
    mock().clear();
  });

  it('property: any body answers 200 or a 4xx in the contract shape with the request id, never a 5xx', async () => {
    const fault = fc.oneof(
      fc.constant({ kind: 'empty' }),
      fc.record({ kind: fc.constant('error'), status: fc.integer({ min: 300, max: 700 }) }),
      fc.record({ kind: fc.constantFrom('hang', 'reset', 'latency', 'x'), ms: fc.integer() }),
    );
    const body = fc.oneof(
      junkBodyArbitrary,
      fault.map((value) => JSON.stringify(value)),
      fc.array(fault, { maxLength: 50 }).map((value) => JSON.stringify(value)),
      fc.integer({ min: 1, max: 3 }).map((megabytes) => JSON.stringify('x'.repeat(megabytes << 20))),
      fc
        .integer({ min: 200_000, max: MANY })
        .map((count) => JSON.stringify(Array.from({ length: count }, () => ({ kind: 'hang' })))),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        mock().clear();
        const answer = await postFaults(mock().url, text);
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) expectContractError(answer);
        else expect(JSON.parse(answer.text)).toEqual({ pending: mock().faults.pending.length });
      }),
      { numRuns: 120 },
    );
    mock().clear();
  });
});

describe('a control route with a method it does not serve, over a socket', () => {
  const mock = useMockServer({ apiKeys: ['sk-mock-control-key'] });

  it.each([
    ['PUT', '/__mock/faults', 'POST, DELETE'],
    ['GET', '/__mock/faults', 'POST, DELETE'],
    ['PATCH', '/__mock/faults?x=1', 'POST, DELETE'],
    ['POST', '/__mock/requests', 'GET, HEAD, DELETE'],
    ['PUT', '/__mock/requests', 'GET, HEAD, DELETE'],
  ])(
    'answers %s %s with 405 method_not_allowed and Allow: %s, changing nothing',
    async (method, path, allow) => {
      mock().clear();
      mock().faults.enqueue({ kind: 'empty' });
      const answer = await request(`${mock().url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: JSON.stringify([{ kind: 'empty' }]) }),
      });
      const text = await answer.body.text();
      expect(answer.statusCode).toBe(405);
      expect(answer.headers.allow).toBe(allow);
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      const error = expectContractError({ headers: answer.headers, text });
      expect(error).toMatchObject({ type: 'method_not_allowed', code: 'method_not_allowed' });
      expect(error.message).toBe(`${method} is not allowed on ${path.split('?')[0]}. Allowed: ${allow}.`);
      expect(mock().faults.pending).toHaveLength(1);
      expect(mock().requests).toHaveLength(0);
    },
  );

  it('answers HEAD /__mock/faults with 405 and its Allow, and HEAD /__mock/requests with 200', async () => {
    const faults = await request(`${mock().url}/__mock/faults`, { method: 'HEAD' });
    await faults.body.dump();
    expect(faults.statusCode).toBe(405);
    expect(faults.headers.allow).toBe('POST, DELETE');
    const journal = await request(`${mock().url}/__mock/requests`, { method: 'HEAD' });
    await journal.body.dump();
    expect(journal.statusCode).toBe(200);
  });

  it('still grants the CORS preflight of a control route, whatever method it asks for', async () => {
    for (const path of ['/__mock/faults', '/__mock/requests']) {
      for (const requested of ['GET', 'POST', 'DELETE', 'PUT']) {
        const answer = await request(`${mock().url}${path}`, {
          method: 'OPTIONS',
          headers: { origin: 'https://tests.example.com', 'access-control-request-method': requested },
        });
        await answer.body.dump();
        expect(answer.statusCode, `${requested} ${path}`).toBe(204);
        expect(answer.headers['access-control-allow-origin']).toBe('*');
        expect(String(answer.headers['access-control-allow-methods'])).toContain('DELETE');
      }
    }
  });

  it('keeps 404 route_not_found for a path that is no control route', async () => {
    for (const path of ['/__mock/', '/__mock/faults/', '/__mock/reset']) {
      const answer = await request(`${mock().url}${path}`, { method: 'PUT' });
      const text = await answer.body.text();
      expect(answer.statusCode, path).toBe(404);
      expect(expectContractError({ headers: answer.headers, text }).code, path).toBe('route_not_found');
    }
  });
});
