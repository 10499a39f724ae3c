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
});
