import { describe, expect, it } from 'vitest';
import { createMockApp } from './create-mock-app.js';
import type { MockFault } from './mock-fault.js';
import { type MockFaultMatcher, MockFaults } from './mock-faults.js';

const rerank = (app: ReturnType<typeof createMockApp>, query: string) =>
  app.request('/v1/rerank', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bm25', query, documents: ['api gateway', 'bread'] }),
  });

describe('MockFaults.when refuses a matcher it cannot apply', () => {
  // A misspelt field was ignored, so the rule matched every request (a hang for all, not for one query);
  // a query that is neither text nor a RegExp made every request answer 500 from `matches`.
  it.each<[string, unknown, RegExp]>([
    [
      'a misspelt field',
      { qurey: /timeout/ },
      /^Invalid fault matcher: unknown field 'qurey' \(a matcher has path, model and query\)/,
    ],
    ['a numeric query', { query: 5 }, /^Invalid fault matcher: 'query' must be a string or a RegExp, got 5/],
    ['a model list', { model: ['bm25'] }, /^Invalid fault matcher: 'model' must be a string, got a list/],
    ['a path that is not text', { path: 1 }, /^Invalid fault matcher: 'path' must be a string, got 1/],
    ['null', null, /^Invalid fault matcher: expected an object \(\{\} matches every request\), got null/],
    [
      'a string',
      '/v1/rerank',
      /^Invalid fault matcher: expected an object \(\{\} matches every request\), got "\/v1\/rerank"/,
    ],
  ])('%s', (_name, matcher, message) => {
    const faults = new MockFaults();
    expect(() => faults.when(matcher as MockFaultMatcher, { kind: 'hang' })).toThrow(message);
    expect(faults.rules).toEqual([]);
  });

  it('leaves requests the refused rule would have matched untouched', async () => {
    await using app = createMockApp();
    expect(() =>
      app.faults.when({ qurey: 'timeout' } as MockFaultMatcher, { kind: 'error', status: 503 }),
    ).toThrow(TypeError);
    expect(() =>
      app.faults.when({ query: 5 } as unknown as MockFaultMatcher, { kind: 'error', status: 503 }),
    ).toThrow(TypeError);
    expect((await rerank(app, 'other')).status).toBe(200);
  });

  it('still takes an empty matcher, and one of each field', async () => {
    await using app = createMockApp();
    app.faults.when(
      { path: '/v1/rerank', model: 'bm25', query: /^time/ },
      { kind: 'error', status: 503 },
      { times: 1 },
    );
    app.faults.when({ query: 'exact' }, { kind: 'error', status: 502 }, { times: 1 });
    app.faults.when({}, { kind: 'error', status: 429 }, { times: 1 });
    expect((await rerank(app, 'timeout')).status).toBe(503);
    expect((await rerank(app, 'exact')).status).toBe(502);
    expect((await rerank(app, 'any')).status).toBe(429);
    expect((await rerank(app, 'any')).status).toBe(200);
  });
});

describe('MockFaults.when refuses rule options it cannot apply', () => {
  // A misspelt `time` was ignored, so a rule meant for two requests applied to every one; null crashed
  // with "Cannot read properties of null (reading 'times')".
  it.each<[string, unknown, RegExp]>([
    [
      'a misspelt times',
      { time: 2 },
      /^Invalid fault rule options: unknown field 'time' \(the options have times\)/,
    ],
    ['null', null, /^Invalid fault rule options: expected an object, got null/],
  ])('%s', (_name, options, message) => {
    const faults = new MockFaults();
    expect(() => faults.when({}, { kind: 'hang' }, options as { times?: number })).toThrow(message);
    expect(faults.rules).toEqual([]);
  });
});

describe('MockFaults.enqueueAll refuses what is not a list', () => {
  it.each<[string, unknown]>([
    ['one fault', { kind: 'hang' }],
    ['null', null],
    ['a number', 3],
  ])('%s', (_name, list) => {
    const faults = new MockFaults();
    expect(() => faults.enqueueAll(list as MockFault[])).toThrow(
      /^enqueueAll takes a list of faults \(enqueue takes one\), got /,
    );
    expect(faults.pending).toEqual([]);
  });

  it('still takes any iterable', () => {
    const faults = new MockFaults();
    faults.enqueueAll(new Set<MockFault>([{ kind: 'hang' }, { kind: 'empty' }]));
    expect(faults.pending).toEqual([{ kind: 'hang' }, { kind: 'empty' }]);
  });
});
