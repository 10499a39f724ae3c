import { describe, expect, it } from 'vitest';
import { createMockApp } from './create-mock-app.js';
import type { MockAppOptions, MockServerOptions } from './mock-options.js';
import { startMockServer } from './start-mock-server.js';

// Options usually come from JavaScript, a spread config object or a JSON file: a misspelt or mistyped one
// must be refused with a message that names it, not ignored (a mock without the keys the test meant to
// require) nor turned into a strange crash or a server on `http://127.0.0.1:undefined`.
const refusedAppOptions: [string, unknown, RegExp][] = [
  ['a misspelt option', { apikeys: ['test-key'] }, /^Unknown mock option 'apikeys'.*apiKeys/],
  ['an option of another mock', { latencyMs: 100 }, /^Unknown mock option 'latencyMs'/],
  [
    'an unknown proxy option',
    { proxy: { url: 'http://127.0.0.1:1', timeout: 5 } },
    /^Unknown mock option 'proxy.timeout'/,
  ],
  ['an unknown latency field', { latency: { ms: 5, jitter: 5 } }, /^Unknown mock option 'latency.jitter'/],
  ['options that are not an object', null, /^options must be an object, got null/],
  ['models as one string', { models: 'bm25' }, /^models must be a non-empty list of non-empty model ids/],
  ['apiKeys as one string', { apiKeys: 'test-key' }, /^apiKeys must be a list of non-empty strings/],
  [
    'faults that are not a list',
    { faults: { kind: 'hang' } },
    /^faults must be a list of faults, got an object/,
  ],
  ['faultHeader as a string', { faultHeader: 'no' }, /^faultHeader must be true or false, got "no"/],
  ['a seed that is not an integer', { seed: 1.5 }, /^seed must be an integer, got 1.5/],
  ['a NaN seed', { seed: Number.NaN }, /^seed must be an integer, got NaN/],
  [
    'a fixed response without scores',
    { fixedResponses: [{ query: 'x' }] },
    /^fixedResponses\[0\].scores must be an object/,
  ],
  [
    'a fixed response with a numeric query',
    { fixedResponses: [{ query: 5, scores: {} }] },
    /^fixedResponses\[0\].query must be a string or a RegExp/,
  ],
  [
    'an unknown fixed response field',
    { fixedResponses: [{ query: 'x', score: {}, scores: {} }] },
    /^Unknown mock option 'fixedResponses\[0\].score'/,
  ],
  ['a port given to the app', { port: 0 }, /^Unknown mock option 'port'.*startMockServer/],
];

describe('createMockApp refuses bad options with a message naming them', () => {
  it.each(refusedAppOptions)('%s', (_name, options, message) => {
    expect(() => createMockApp(options as MockAppOptions)).toThrow(message);
  });
});

describe('startMockServer refuses bad options before it listens', () => {
  it.each(refusedAppOptions.filter(([name]) => name !== 'a port given to the app'))(
    '%s',
    async (_name, options, message) => {
      await expect(startMockServer(options as MockServerOptions)).rejects.toThrow(message);
    },
  );

  it.each<[string, unknown, RegExp]>([
    ['a port as a string', { port: 'abc' }, /^port must be an integer from 0 to 65535, got "abc"/],
    ['a port as a numeric string', { port: '4010' }, /^port must be an integer from 0 to 65535, got "4010"/],
    ['a fractional port', { port: 1.5 }, /^port must be an integer from 0 to 65535, got 1.5/],
    ['an empty host', { host: '' }, /^host must be a non-empty string, got ""/],
    [
      'overrideGlobalObjects as a string',
      { overrideGlobalObjects: 'yes' },
      /^overrideGlobalObjects must be true or false/,
    ],
    ['a misspelt server option', { hostname: '127.0.0.1' }, /^Unknown mock option 'hostname'.*host/],
  ])('%s', async (_name, options, message) => {
    await expect(startMockServer(options as MockServerOptions)).rejects.toThrow(message);
  });

  it('still takes every documented option', async () => {
    await using mock = await startMockServer({
      port: 0,
      host: '127.0.0.1',
      overrideGlobalObjects: false,
      apiKeys: ['test-key'],
      models: ['bm25'],
      maxDocuments: 10,
      maxBodyBytes: 1024,
      requestTimeoutMs: 1000,
      latency: { ms: 0, jitterMs: 0 },
      seed: 7,
      faults: [{ kind: 'error', status: 429 }],
      fixedResponses: [{ query: /x/, model: 'bm25', scores: { a: 0.5 } }],
      faultHeader: false,
      journalLimit: 5,
    });
    expect(mock.faults.pending).toEqual([{ kind: 'error', status: 429 }]);
    // As a spread config object may give them: an option set to undefined takes its default.
    const undefinedOptions: unknown = {
      apiKeys: undefined,
      latency: undefined,
      proxy: undefined,
      port: undefined,
    };
    await using other = await startMockServer(undefinedOptions as MockServerOptions);
    expect(other.port).toBeGreaterThan(0);
  });
});
