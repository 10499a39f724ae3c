import { describe, expect, it } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError } from './api-connection-error.js';
import { testClient } from './testing/disposable-client.js';
import { EXAMPLE_REQUEST } from './testing/fixed-rerank-response.js';
import { startScriptedServer } from './testing/start-scripted-server.js';

describe('the request id of a connection error', () => {
  it('is the X-Request-Id of an answer whose body broke off, of the last try', async () => {
    let tries = 0;
    await using server = await startScriptedServer((_request, response, socket) => {
      tries++;
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': '1000',
        'x-request-id': `req_broken_${tries}`,
      });
      response.write('{"id":"rerank-1","res', () => socket.destroy());
    });
    await using client = testClient(server.url, { maxRetries: 1 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as APIConnectionError;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toMatch(/while reading the response body/);
    expect(server.requests).toHaveLength(2);
    expect(error.request_id).toBe('req_broken_2');
  });

  it('is the X-Request-Id of an answer whose body hit the timeout, the first of two', async () => {
    await using server = await startScriptedServer((_request, response) => {
      response.setHeader('x-request-id', ['req_slow', 'req_proxy']);
      response.writeHead(503, { 'content-type': 'application/json' });
      response.write('{"error":');
    });
    // 1 s: the headers must reach the client before the timer fires, or the phase is 'headers' (a 150 ms
    // stall of the loop, as on a loaded machine, did that with the 100 ms it was).
    await using client = testClient(server.url, { maxRetries: 0, timeout: 1000 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as APIConnectionTimeoutError;
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.phase).toBe('body');
    expect(error.request_id).toBe('req_slow');
  });

  it('never repeats the API key that a proxy echoes in the X-Request-Id', async () => {
    await using server = await startScriptedServer((request, response, socket) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': '1000',
        'x-request-id': `req-${request.headers.authorization}`,
      });
      response.write('{"id":', () => socket.destroy());
    });
    await using client = testClient(server.url, { apiKey: 'sk-echoed-secret', maxRetries: 0 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as APIConnectionError;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.request_id).toBe('req-Bearer [redacted]');
  });

  it('is null when no answer arrived', async () => {
    await using server = await startScriptedServer((_request, _response, socket) => socket.destroy());
    await using client = testClient(server.url, { maxRetries: 0 });
    const reset = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as APIConnectionError;
    expect(reset).toBeInstanceOf(APIConnectionError);
    expect(reset.request_id).toBeNull();
    await using silent = await startScriptedServer(() => {});
    // 1 s: the request must be sent before the timer fires, or the phase is 'connect'.
    await using slowClient = testClient(silent.url, { maxRetries: 0, timeout: 1000 });
    const timedOut = (await slowClient.models
      .list()
      .catch((caught: unknown) => caught)) as APIConnectionTimeoutError;
    expect(timedOut.phase).toBe('headers');
    expect(timedOut.request_id).toBeNull();
    expect(new APIConnectionError().request_id).toBeNull();
    expect(new APIConnectionTimeoutError({ phase: 'connect' }).request_id).toBeNull();
  });
});
