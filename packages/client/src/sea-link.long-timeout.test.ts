import { afterEach, describe, expect, it, vi } from 'vitest';
import { APIConnectionTimeoutError } from './api-connection-error.js';
import { testClient } from './testing/disposable-client.js';
import { EXAMPLE_REQUEST } from './testing/fixed-rerank-response.js';
import { startScriptedServer } from './testing/start-scripted-server.js';

afterEach(() => {
  vi.useRealTimers();
});

describe("a timeout longer than undici's own limits", () => {
  it("is the limit of the try: the client's own pool does not cut it at undici's 300 s headers timeout", async () => {
    let received!: () => void;
    const requestReceived = new Promise<void>((resolve) => {
      received = resolve;
    });
    // A server that takes the request and never answers.
    await using server = await startScriptedServer(() => received());
    await using client = testClient(server.url, { maxRetries: 0 });
    // Timers are faked only now: undici's clock and the client's timer both run on setTimeout.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    let outcome: unknown = 'pending';
    const call = client.rerank(EXAMPLE_REQUEST, { timeout: 600_000 }).then(
      () => 'answered',
      (error: unknown) => error,
    );
    void call.then((settled) => {
      outcome = settled;
    });
    await requestReceived;
    await vi.advanceTimersByTimeAsync(310_000);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(300_000);
    const error = (await call) as APIConnectionTimeoutError;
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.phase).toBe('headers');
    expect(error.timeoutMs).toBe(600_000);
  });
});
