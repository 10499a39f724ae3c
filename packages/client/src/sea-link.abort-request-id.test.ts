import { Agent, type Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { APIUserAbortError } from './api-user-abort-error.js';
import { SeaLink } from './sea-link.js';
import { testClient } from './testing/disposable-client.js';
import { EXAMPLE_REQUEST } from './testing/fixed-rerank-response.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

/**
 * A dispatcher that aborts `controller` once the client has taken the first chunk of an answer's body (on
 * the next turn of the loop, outside undici's callback): the caller gives up while the body is being read.
 * Not a timer started when the server writes: a loop that stalls 30 ms (a loaded machine) fired such a
 * timer before the client had read the answer's headers, and the abort then had no request id.
 */
function abortingOnFirstBodyChunk(controller: AbortController): Dispatcher & AsyncDisposable {
  const agent = new Agent();
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    let aborted = false;
    return dispatch(options, {
      onRequestStart: (requestController, context) => handler.onRequestStart?.(requestController, context),
      onResponseStart: (requestController, status, headers, message) =>
        handler.onResponseStart?.(requestController, status, headers, message),
      onResponseData: (requestController, chunk) => {
        handler.onResponseData?.(requestController, chunk);
        if (aborted) return;
        aborted = true;
        setImmediate(() => controller.abort());
      },
      onResponseEnd: (requestController, trailers) => handler.onResponseEnd?.(requestController, trailers),
      onResponseError: (requestController, error) => handler.onResponseError?.(requestController, error),
    });
  });
  return Object.assign(dispatcher, { [Symbol.asyncDispose]: () => agent.close() });
}

describe('the request id of an abort', () => {
  it('is the X-Request-Id of the answer whose body was being read when the signal aborted', async () => {
    const controller = new AbortController();
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': '1000',
        'x-request-id': 'req_aborted',
      });
      // The headers and a first part of the body are sent: the caller gives up once the client has them.
      response.write('{"id":"rerank-1",');
    });
    await using dispatcher = abortingOnFirstBodyChunk(controller);
    await using client = testClient(server.url, { maxRetries: 0, dispatcher });
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
      response.write('{"error":');
    });
    await using dispatcher = abortingOnFirstBodyChunk(controller);
    await using client = new SeaLink({
      apiKey: 'sk-echoed-secret',
      baseURL: `${server.url}/v1`,
      maxRetries: 0,
      dispatcher,
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
