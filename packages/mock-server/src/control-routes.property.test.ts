import { ErrorResponse } from '@sealink/rerank-contract';
import { junkBodyArbitrary } from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startMockServer } from './start-mock-server.js';

/**
 * The `/__mock/` control routes over a real socket: random sequences of control calls (any method, the
 * routes and near misses of them, junk headers and bodies) mixed with ordinary requests. Invariants: never
 * a 5xx; every answer has a request id and the mock's CORS headers; errors in the contract's shape; the
 * journal holds exactly the ordinary requests since it was last emptied (never a control call); the fault
 * queue holds exactly what was queued since it was last emptied; a preflight for a control route's own
 * method is granted, so a browser page can drive the mock.
 */

/** The control routes and the methods each serves. */
const CONTROL_ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/__mock/requests': ['GET', 'DELETE'],
  '/__mock/faults': ['POST', 'DELETE'],
};
/** The `Allow` header of each control route's 405 (HEAD with GET, as on the API routes). */
const CONTROL_ALLOW: Readonly<Record<string, string>> = {
  '/__mock/requests': 'GET, HEAD, DELETE',
  '/__mock/faults': 'POST, DELETE',
};
const NEAR_MISSES = [
  '/__mock/',
  '/__mock/requests/',
  '/__mock/faults/x',
  '/__mock/nothing',
  '/__mock/FAULTS',
];

const faultArbitrary = fc.oneof(
  fc.constant({ kind: 'empty' }),
  fc.record({ kind: fc.constant('error'), status: fc.integer({ min: 400, max: 599 }) }),
);

type Step =
  | { kind: 'ordinary' }
  | { kind: 'queue'; faults: unknown[] }
  | { kind: 'control'; method: string; path: string; body: string | Uint8Array | undefined }
  | { kind: 'preflight'; path: string; requestedMethod: string };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'ordinary' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .array(faultArbitrary, { minLength: 1, maxLength: 5 })
      .map((faults) => ({ kind: 'queue' as const, faults })),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('control' as const),
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...Object.keys(CONTROL_ROUTES)) },
        { weight: 1, arbitrary: fc.constantFrom(...NEAR_MISSES) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom(...Object.keys(CONTROL_ROUTES)), fc.webQueryParameters())
            .map(([path, query]) => `${path}?${query}`),
        },
      ),
      body: fc.option(junkBodyArbitrary, { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('preflight' as const),
      path: fc.constantFrom(...Object.keys(CONTROL_ROUTES)),
      requestedMethod: fc.constantFrom('GET', 'POST', 'DELETE'),
    }),
  },
);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function expectCommonHeaders(answer: Answer, label: string) {
  expect(answer.status, label).toBeGreaterThanOrEqual(200);
  expect(answer.status, label).toBeLessThan(500);
  expect(answer.headers['x-request-id'], label).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  expect(answer.headers['access-control-allow-origin'], label).toBe('*');
}

function expectContractError(answer: Answer, label: string) {
  const parsed = ErrorResponse.safeParse(JSON.parse(answer.text));
  expect(parsed.success, label).toBe(true);
  expect(parsed.data?.error.request_id, label).toBe(answer.headers['x-request-id']);
}

describe('the /__mock/ control routes over a real socket (property)', () => {
  it('never answer a 5xx, keep the journal and the fault queue exact, and grant preflights for their methods', async () => {
    await using mock = await startMockServer({ apiKeys: ['sk-mock-control-key'] });
    const send = async (
      method: string,
      path: string,
      headers: Record<string, string> = {},
      body?: string | Uint8Array,
    ): Promise<Answer> => {
      const answer = await request(`${mock.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      return { status: answer.statusCode, headers: answer.headers, text: await answer.body.text() };
    };
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 12 }), async (steps) => {
        mock.clear();
        let journaled = 0;
        let pending = 0;
        for (const step of steps) {
          const label = JSON.stringify(step);
          if (step.kind === 'ordinary') {
            const answer = await send('GET', '/healthz');
            expectCommonHeaders(answer, label);
            expect(answer.status, label).toBe(200);
            journaled++;
          } else if (step.kind === 'queue') {
            const answer = await send(
              'POST',
              '/__mock/faults',
              { 'content-type': 'application/json' },
              JSON.stringify(step.faults),
            );
            expectCommonHeaders(answer, label);
            pending += step.faults.length;
            expect(answer.status, `${label}: ${answer.text}`).toBe(200);
            expect(JSON.parse(answer.text), label).toEqual({ pending });
          } else if (step.kind === 'preflight') {
            const answer = await send('OPTIONS', step.path, {
              origin: 'https://tests.example.com',
              'access-control-request-method': step.requestedMethod,
            });
            expectCommonHeaders(answer, label);
            expect(answer.status, label).toBe(204);
            if (CONTROL_ROUTES[step.path]!.includes(step.requestedMethod)) {
              const allowed = String(answer.headers['access-control-allow-methods'] ?? '')
                .split(',')
                .map((method) => method.trim());
              expect(allowed, label).toContain(step.requestedMethod);
            }
          } else {
            const withBody = step.body !== undefined && step.method !== 'GET' && step.method !== 'HEAD';
            const answer = await send(
              step.method,
              step.path,
              withBody ? { 'content-type': 'application/json' } : {},
              withBody ? step.body : undefined,
            );
            const full = `${label}: ${answer.status} ${answer.text}`;
            expectCommonHeaders(answer, full);
            const route = step.path.split('?')[0]!;
            const served =
              CONTROL_ROUTES[route]?.includes(step.method === 'HEAD' ? 'GET' : step.method) === true;
            if (!served && CONTROL_ROUTES[route] !== undefined) {
              // A control route with a method it does not serve: 405 and what it serves, as the API routes.
              expect(answer.status, full).toBe(405);
              expect(answer.headers.allow, full).toBe(CONTROL_ALLOW[route]);
              if (step.method !== 'HEAD') {
                expect(JSON.parse(answer.text).error, full).toMatchObject({
                  type: 'method_not_allowed',
                  code: 'method_not_allowed',
                });
              }
            } else if (!served) {
              expect(answer.status, full).toBe(404);
              if (step.method !== 'HEAD') {
                expect(JSON.parse(answer.text).error.code, full).toBe('route_not_found');
              }
            } else if (route === '/__mock/requests' && step.method === 'DELETE') {
              expect(answer.status, full).toBe(204);
              journaled = 0;
            } else if (route === '/__mock/faults' && step.method === 'DELETE') {
              expect(answer.status, full).toBe(204);
              pending = 0;
            } else if (route === '/__mock/requests') {
              expect(answer.status, full).toBe(200);
              if (step.method === 'GET') {
                const journal = JSON.parse(answer.text) as { requests: { path: string }[] };
                expect(journal.requests, full).toHaveLength(journaled);
                for (const entry of journal.requests)
                  expect(entry.path.startsWith('/__mock/'), full).toBe(false);
              }
            } else if (answer.status === 200) {
              // POST /__mock/faults with a junk body that happens to be faults: all of them are queued.
              pending = (JSON.parse(answer.text) as { pending: number }).pending;
            }
            if (answer.status >= 400 && step.method !== 'HEAD') expectContractError(answer, full);
          }
          expect(mock.requests, label).toHaveLength(journaled);
          expect(mock.faults.pending, label).toHaveLength(pending);
        }
      }),
      { numRuns: 60 },
    );
  }, 30_000);
});
