import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { SeaLink } from './sea-link.js';
import { SeaLinkError } from './sea-link-error.js';
import { testClient } from './testing/disposable-client.js';
import { EXAMPLE_REQUEST, FIXED_RERANK_RESPONSE } from './testing/fixed-rerank-response.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

describe('close', () => {
  it('may be called again, and `await using` after an explicit close() does not throw', async () => {
    await using server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, FIXED_RERANK_RESPONSE),
    );
    const client = testClient(server.url);
    await client.rerank(EXAMPLE_REQUEST);
    await client.close();
    await expect(client.close()).resolves.toBeUndefined();
    await expect(Promise.all([client.close(), client.close()])).resolves.toEqual([undefined, undefined]);

    const disposed = async (): Promise<void> => {
      await using scoped = new SeaLink({ apiKey: null, baseURL: `${server.url}/v1` });
      await scoped.rerank(EXAMPLE_REQUEST);
      await scoped.close();
    };
    await expect(disposed()).resolves.toBeUndefined();

    // Closed stays closed: a call after close still fails as before.
    const error = await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SeaLinkError);
    expect((error as Error).message).toMatch(/^The client's connection pool is closed/);
  });

  it('ends a wait between retries at once, so that a closed client keeps no timer (and process) alive', async () => {
    await using server = await startScriptedServer((_request, response) =>
      sendJson(response, 503, {}, { 'retry-after': '30' }),
    );
    let waiting!: () => void;
    const waitStarted = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const client = testClient(server.url, { logger: { debug: () => {}, info: () => waiting() } });
    const call = client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught);
    await waitStarted;
    await client.close();
    // The wait the server asks for is 30 s: a call still in it after a third of that was not woken by close().
    const outcome = await Promise.race([
      call,
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000).unref()),
    ]);
    expect(outcome).toBeInstanceOf(SeaLinkError);
    // Ended by close() in the wait, not by a retry on the closed pool once the wait is over.
    expect((outcome as Error).message).toBe(
      "The client's connection pool is closed: the client was closed while the call waited to retry.",
    );
    expect(server.requests).toHaveLength(1);
  });

  it('leaves the waits of a client with a dispatcher of the caller alone, as that dispatcher stays open', async () => {
    let calls = 0;
    await using server = await startScriptedServer((_request, response) =>
      calls++ === 0
        ? sendJson(response, 503, {}, { 'retry-after-ms': '100' })
        : sendJson(response, 200, FIXED_RERANK_RESPONSE),
    );
    const dispatcher = new Agent();
    let waiting!: () => void;
    const waitStarted = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const client = new SeaLink({
      apiKey: null,
      baseURL: `${server.url}/v1`,
      dispatcher,
      logger: { debug: () => {}, info: () => waiting() },
    });
    const call = client.rerank(EXAMPLE_REQUEST);
    await waitStarted;
    await client.close();
    await expect(call).resolves.toMatchObject({ model: FIXED_RERANK_RESPONSE.model });
    await dispatcher.close();
  });
});
