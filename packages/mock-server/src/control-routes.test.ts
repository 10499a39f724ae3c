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
