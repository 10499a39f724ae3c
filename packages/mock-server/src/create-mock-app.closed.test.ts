import { describe, expect, it } from 'vitest';
import { createMockApp } from './create-mock-app.js';
import { MockConnectionResetError } from './mock-connection-reset-error.js';

const rerank = (app: ReturnType<typeof createMockApp>, fault?: string) =>
  app.request('/v1/rerank', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(fault === undefined ? {} : { 'x-mock-fault': fault }),
    },
    body: JSON.stringify({ model: 'bm25', query: 'gateway', documents: ['api gateway', 'bread'] }),
  });

const CLOSED = /^The mock was closed \(close\(\) or the end of its `await using` block\)/;

describe('an in-process mock app after close()', () => {
  // A request cut by close() said 'The mock reset the connection, as a fault asked.' though no fault
  // asked, and a request sent after close() was answered as if the mock still ran.
  it('rejects a request sent after close with an error that says the mock is closed', async () => {
    const app = createMockApp();
    expect((await rerank(app)).status).toBe(200);
    await app.close();
    const sent = rerank(app);
    await expect(sent).rejects.toBeInstanceOf(MockConnectionResetError);
    await expect(rerank(app)).rejects.toThrow(CLOSED);
    await expect(app.request('/__mock/requests')).rejects.toThrow(CLOSED);
    // The journal stays readable in code, for assertions after the mock closed.
    expect(app.requests.map((entry) => entry.status)).toEqual([200]);
  });

  it('names the closing, not a fault, when close() cuts a latency or a hang', async () => {
    const app = createMockApp({ latency: 60_000 });
    const delayed = rerank(app);
    const hanging = rerank(app, '{"kind":"hang"}');
    await app.close();
    await expect(delayed).rejects.toThrow(CLOSED);
    await expect(hanging).rejects.toThrow(CLOSED);
  });

  it('still names the fault for a reset a fault asked for', async () => {
    await using app = createMockApp();
    await expect(rerank(app, '{"kind":"reset","phase":"before-headers"}')).rejects.toThrow(
      'The mock reset the connection, as a fault asked.',
    );
  });
});
