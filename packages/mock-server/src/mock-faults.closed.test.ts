import { describe, expect, it } from 'vitest';
import { createMockApp } from './create-mock-app.js';
import { MockFaults } from './mock-faults.js';
import { startMockServer } from './start-mock-server.js';

const FAULTS_CLOSED =
  /^The mock was closed \(close\(\) or the end of its `await using` block\): faults\.(enqueue|enqueueAll|when)\(\) would apply to no request/;

describe('the faults of a closed mock', () => {
  // enqueue() and when() after close() were accepted without a word, though no request can reach a
  // closed mock: a test arming a fault on the wrong (closed) mock passed for the wrong reason.
  it('refuses new faults and rules after close(), in process', async () => {
    const app = createMockApp();
    await app.close();
    expect(() => app.faults.enqueue({ kind: 'empty' })).toThrow(FAULTS_CLOSED);
    expect(() => app.faults.enqueueAll([{ kind: 'empty' }])).toThrow(FAULTS_CLOSED);
    expect(() => app.faults.when({ path: '/v1/rerank' }, { kind: 'empty' })).toThrow(FAULTS_CLOSED);
    expect(app.faults.pending).toEqual([]);
    expect(app.faults.rules).toEqual([]);
  });

  it('refuses them after the server closed, too', async () => {
    const mock = await startMockServer();
    mock.faults.enqueue({ kind: 'empty' });
    await mock.close();
    expect(() => mock.faults.enqueue({ kind: 'empty' })).toThrow(FAULTS_CLOSED);
    expect(() => mock.faults.when({}, { kind: 'empty' })).toThrow(FAULTS_CLOSED);
  });

  it('still lets clear() and a rule removal run after close, for cleanup code', async () => {
    const app = createMockApp();
    app.faults.enqueue({ kind: 'empty' });
    const rule = app.faults.when({}, { kind: 'empty' });
    await app.close();
    rule.remove();
    expect(app.faults.rules).toEqual([]);
    app.faults.clear();
    app.clear();
    expect(app.faults.pending).toEqual([]);
  });

  it('says the mock is closed before it checks the fault, since no fault could apply', async () => {
    const app = createMockApp();
    await app.close();
    expect(() => app.faults.enqueue({ kind: 'nope' } as never)).toThrow(FAULTS_CLOSED);
  });

  it('has no closing of its own when made alone', () => {
    const faults = new MockFaults();
    faults.enqueue({ kind: 'empty' });
    expect(faults.pending).toHaveLength(1);
  });
});
