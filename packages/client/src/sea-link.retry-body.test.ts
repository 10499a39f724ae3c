import type { Socket } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { APIConnectionTimeoutError } from './api-connection-error.js';
import { type APIError, OverloadedError } from './api-error.js';
import { testClient } from './testing/disposable-client.js';
import { EXAMPLE_REQUEST, FIXED_RERANK_RESPONSE } from './testing/fixed-rerank-response.js';
import { type ScriptedHandler, sendJson, startScriptedServer } from './testing/start-scripted-server.js';

/** A 503 whose headers (with `headers`) arrive and whose body starts, then stalls; its socket goes to `sockets`. */
const stalled503 =
  (sockets: Socket[], headers: Record<string, string>): ScriptedHandler =>
  (_request, response, socket) => {
    sockets.push(socket);
    response.writeHead(503, { 'content-type': 'application/json', 'content-length': '1000', ...headers });
    response.write('{"error":{"type":"overloaded_error",');
  };

const answerOk: ScriptedHandler = (_request, response) =>
  sendJson(response, 200, FIXED_RERANK_RESPONSE, { 'x-request-id': 'req_ok' });

/** A handler that plays `steps` in order, then answers 200. */
function script(...steps: ScriptedHandler[]): ScriptedHandler {
  let call = 0;
  return (request, response, socket) => (steps[call++] ?? answerOk)(request, response, socket);
}

function retryLog() {
  const retries: Record<string, unknown>[] = [];
  return {
    retries,
    logger: {
      debug: () => {},
      info: (_message: string, details: Record<string, unknown>) => retries.push(details),
    },
  };
}

/** Resolves once `socket` is closed, or rejects after `ms`. */
function closedWithin(socket: Socket, ms: number): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('the body of an answer that will be retried', () => {
  it('is not waited for: a stalled 503 body is retried after its retry-after-ms, not after the timeout', async () => {
    const sockets: Socket[] = [];
    await using server = await startScriptedServer(
      script(stalled503(sockets, { 'retry-after-ms': '20', 'x-request-id': 'req_stalled' })),
    );
    const log = retryLog();
    // A 10 s timeout and a 5 s bound (not 3 s and 2 s): the call took up to 0.95 s on a loaded two-core
    // machine, half the old bound; one that waited for the body would still take the whole timeout.
    await using client = testClient(server.url, { maxRetries: 1, timeout: 10_000, logger: log.logger });
    const started = performance.now();
    const response = await client.rerank(EXAMPLE_REQUEST);
    const elapsed = performance.now() - started;
    expect(response.request_id).toBe('req_ok');
    // Before: the first try waited the whole timeout for the body, then backed off 0.5 s at random.
    expect(elapsed).toBeLessThan(5_000);
    expect(log.retries.map((retry) => retry.delayMs)).toEqual([20]);
    // The retried answer's request id is logged with the retry, as its body is no longer read.
    expect(log.retries.map((retry) => retry.requestId)).toEqual(['req_stalled']);
    expect(log.retries[0]?.reason).toBe('503 status code (the body was not read, as the call is retried)');
    expect(server.requests).toHaveLength(2);
    // The unread body's connection is closed, not left in the pool or hanging.
    await closedWithin(sockets[0]!, 2_000);
  });

  it('does not hold a connection of the pool: a one-connection Agent serves the retries', async () => {
    const sockets: Socket[] = [];
    const stalled = stalled503(sockets, { 'retry-after-ms': '1' });
    await using server = await startScriptedServer(
      script(stalled, stalled, answerOk, stalled, answerOk, stalled, stalled),
    );
    const agent = new Agent({ connections: 1 });
    try {
      await using client = testClient(server.url, { dispatcher: agent, maxRetries: 2, timeout: 1_000 });
      const started = performance.now();
      for (let call = 0; call < 3; call++) {
        expect((await client.rerank(EXAMPLE_REQUEST)).request_id).toBe('req_ok');
      }
      expect(performance.now() - started).toBeLessThan(2_500);
      expect(server.requests).toHaveLength(8);
      for (const socket of sockets) await closedWithin(socket, 2_000);
    } finally {
      await agent.close();
    }
  });

  it('keeps the keep-alive connection when the whole small body arrives with the headers', async () => {
    const fail503: ScriptedHandler = (_request, response) =>
      sendJson(
        response,
        503,
        { error: { type: 'overloaded_error', code: 'busy', message: 'busy', request_id: 'req_busy' } },
        {
          'retry-after-ms': '1',
          'x-request-id': 'req_busy',
        },
      );
    await using server = await startScriptedServer(script(fail503, fail503));
    const log = retryLog();
    await using client = testClient(server.url, { logger: log.logger });
    expect((await client.rerank(EXAMPLE_REQUEST)).request_id).toBe('req_ok');
    expect(log.retries.map((retry) => retry.requestId)).toEqual(['req_busy', 'req_busy']);
    expect(server.requests).toHaveLength(3);
    expect(server.connections()).toBe(1);
  });

  it('is read on the last try, to build the typed error from it', async () => {
    const sockets: Socket[] = [];
    await using server = await startScriptedServer(
      script(stalled503(sockets, { 'retry-after-ms': '1', 'x-request-id': 'req_stalled' }), (_r, response) =>
        sendJson(
          response,
          503,
          {
            error: {
              type: 'overloaded_error',
              code: 'draining',
              message: 'server is draining',
              request_id: 'req_last',
            },
          },
          { 'x-request-id': 'req_last' },
        ),
      ),
    );
    await using client = testClient(server.url, { maxRetries: 1, timeout: 3_000 });
    const error = (await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error.code).toBe('draining');
    expect(error.message).toBe('503 overloaded_error (draining): server is draining');
    expect(error.request_id).toBe('req_last');
    expect(server.requests).toHaveLength(2);
  });

  it('is still waited for when the answer is not retried (x-should-retry: false, or no retries left)', async () => {
    const sockets: Socket[] = [];
    await using server = await startScriptedServer(
      stalled503(sockets, { 'x-should-retry': 'false', 'x-request-id': 'req_final' }),
    );
    // 1 s: each try's headers must reach the client before its timer fires, or the phase is 'headers'.
    await using client = testClient(server.url, { maxRetries: 2, timeout: 1000 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as APIConnectionTimeoutError;
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.phase).toBe('body');
    expect(error.request_id).toBe('req_final');
    // Each try waited for its body until the timeout; the timeouts were retried as connection errors.
    expect(server.requests).toHaveLength(3);
  });
});
