import { describe, expect, it } from 'vitest';
import { checkMockFault, InvalidMockFaultError, parseMockFault } from './mock-fault.js';
import { startMockServer } from './start-mock-server.js';

describe('the headers of an error fault', () => {
  // The mock frames the body itself: a Content-Length of its own cut the body short and left the rest on
  // the keep-alive connection, as the start of the next answer, or (longer than the body) left the client
  // waiting for bytes that never came, until its timeout.
  it.each(['content-length', 'Content-Length', 'transfer-encoding'])(
    'refuses %s, which frames the body',
    (name) => {
      const fault = { kind: 'error', status: 503, headers: { [name]: '1' } };
      expect(() => checkMockFault(fault)).toThrow(InvalidMockFaultError);
      expect(() => checkMockFault(fault)).toThrow(
        `Invalid mock fault at 'headers': ${name} is set by the mock from the body; a fault may not set it.`,
      );
      expect(() => parseMockFault(JSON.stringify(fault))).toThrow(`${name} is set by the mock from the body`);
    },
  );

  it('answers the next request on the same connection whole after an error fault with headers', async () => {
    await using mock = await startMockServer();
    const refused = await fetch(`${mock.url}/v1/models`, {
      headers: { 'x-mock-fault': '{"kind":"error","status":503,"headers":{"content-length":"1"}}' },
      signal: AbortSignal.timeout(5000),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('invalid_mock_fault');
    mock.faults.enqueue({ kind: 'error', status: 503, headers: { 'x-custom': 'yes', 'set-cookie': 'a=b' } });
    const faulted = await fetch(`${mock.url}/v1/models`, { signal: AbortSignal.timeout(5000) });
    expect([faulted.status, faulted.headers.get('x-custom')]).toEqual([503, 'yes']);
    expect((await faulted.json()).error.type).toBe('overloaded_error');
    const next = await fetch(`${mock.url}/v1/models`, { signal: AbortSignal.timeout(5000) });
    expect(next.status).toBe(200);
  });
});
