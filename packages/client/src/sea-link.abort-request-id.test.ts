import { describe, expect, it } from 'vitest';
import { APIUserAbortError } from './api-user-abort-error.js';
import { SeaLink } from './sea-link.js';
import { testClient } from './testing/disposable-client.js';
import { EXAMPLE_REQUEST } from './testing/fixed-rerank-response.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

describe('the request id of an abort', () => {
  it('is the X-Request-Id of the answer whose body was being read when the signal aborted', async () => {
    const controller = new AbortController();
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': '1000',
        'x-request-id': 'req_aborted',
      });
      // The headers and a first part of the body are on their way: the caller gives up shortly after.
      response.write('{"id":"rerank-1",', () => setTimeout(() => controller.abort(), 30));
    });
    await using client = testClient(server.url, { maxRetries: 0 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST, { signal: controller.signal })
      .catch((caught: unknown) => caught)) as APIUserAbortError;
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.request_id).toBe('req_aborted');
  });

  it('never repeats the API key that a proxy echoes in the X-Request-Id', async () => {
    const controller = new AbortController();
    await using server = await startScriptedServer((request, response) => {
      response.writeHead(503, { 'x-request-id': `req-${request.headers.authorization}` });
      response.write('{"error":', () => setTimeout(() => controller.abort(), 30));
    });
    await using client = new SeaLink({
      apiKey: 'sk-echoed-secret',
      baseURL: `${server.url}/v1`,
      maxRetries: 0,
    });
    const error = (await client
      .rerank(EXAMPLE_REQUEST, { signal: controller.signal })
      .catch((caught: unknown) => caught)) as APIUserAbortError;
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.request_id).toBe('req-Bearer [redacted]');
    await client.close();
  });

  it('is null when no answer had started: before the headers, before sending, or while waiting to retry', async () => {
    await using silent = await startScriptedServer(() => {});
    await using client = testClient(silent.url, { maxRetries: 0 });
    const beforeHeaders = (await client
      .rerank(EXAMPLE_REQUEST, { signal: AbortSignal.timeout(50) })
      .catch((caught: unknown) => caught)) as APIUserAbortError;
    expect(beforeHeaders).toBeInstanceOf(APIUserAbortError);
    expect(beforeHeaders.request_id).toBeNull();

    const alreadyAborted = (await client
      .rerank(EXAMPLE_REQUEST, { signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught)) as APIUserAbortError;
    expect(alreadyAborted).toBeInstanceOf(APIUserAbortError);
    expect(alreadyAborted.request_id).toBeNull();

    const controller = new AbortController();
    await using busy = await startScriptedServer((_request, response) =>
      sendJson(response, 503, {}, { 'retry-after': '30', 'x-request-id': 'req_busy' }),
    );
    await using retrying = testClient(busy.url, {
      logger: { debug: () => {}, info: () => controller.abort() },
    });
    const whileWaiting = (await retrying
      .rerank(EXAMPLE_REQUEST, { signal: controller.signal })
      .catch((caught: unknown) => caught)) as APIUserAbortError;
    expect(whileWaiting).toBeInstanceOf(APIUserAbortError);
    expect(whileWaiting.request_id).toBeNull();

    expect(new APIUserAbortError().request_id).toBeNull();
  });
});
