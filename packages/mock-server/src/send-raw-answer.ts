import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { MockConnectionResetError } from './mock-connection-reset-error.js';

/** An answer written by hand, chunk by chunk, for the faults that play with the connection. */
export interface RawAnswer {
  /** The status. */
  status: number;
  /** The headers, names in lower case. */
  headers: Record<string, string>;
  /** The body's chunks, in order. */
  chunks: readonly Uint8Array[];
  /** The pause before each chunk after the first, in milliseconds. */
  intervalMs: number;
  /** `end` finishes the answer; `reset` destroys the connection after the last chunk. */
  ending: 'end' | 'reset';
}

/** Waits `ms` milliseconds; resolves `false` at once when `signal` aborts first. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The Node request and response behind a Hono context, or `undefined` in process (`app.request`). */
export function nodeBindings(env: unknown): HttpBindings | undefined {
  const bindings = env as Partial<HttpBindings> | undefined;
  return bindings?.incoming !== undefined && bindings.outgoing !== undefined
    ? (bindings as HttpBindings)
    : undefined;
}

/** Why an in-process request fails when the mock closes before it answered (not a fault's reset). */
export const MOCK_CLOSED_MESSAGE =
  'The mock was closed (close() or the end of its `await using` block) before it answered.';

/**
 * Destroys the connection of a Node request without an answer; in process, throws as `fetch` would,
 * with `message` (a fault's reset by default).
 */
export function resetConnection(env: unknown, message?: string): Response {
  const node = nodeBindings(env);
  if (node === undefined) throw new MockConnectionResetError(message);
  node.incoming.socket.resetAndDestroy();
  return RESPONSE_ALREADY_SENT;
}

/**
 * Waits until the client gives up or `signal` aborts (the mock closes), then drops the connection
 * without an answer. In process, the wait ends with the request's own signal.
 */
export async function hangUntilAbandoned(
  env: unknown,
  request: Request,
  signal: AbortSignal,
): Promise<Response> {
  const node = nodeBindings(env);
  if (signal.aborted) return resetConnection(env, MOCK_CLOSED_MESSAGE);
  if (request.signal.aborted) return resetConnection(env);
  await new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      request.signal.removeEventListener('abort', done);
      node?.outgoing.off('close', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    request.signal.addEventListener('abort', done, { once: true });
    node?.outgoing.once('close', done);
  });
  return resetConnection(env, signal.aborted ? MOCK_CLOSED_MESSAGE : undefined);
}

/**
 * Writes a {@link RawAnswer}. On Node it writes to the socket itself (so a reset really cuts the body)
 * and returns the marker that tells `@hono/node-server` the answer is sent; in process it returns a
 * `Response` whose body stream plays the same chunks and fails with {@link MockConnectionResetError}.
 */
export function sendRawAnswer(
  env: unknown,
  answer: RawAnswer,
  signal: AbortSignal,
): Response | Promise<Response> {
  const node = nodeBindings(env);
  if (node === undefined) return streamedAnswer(answer, signal);
  return writeToSocket(node, answer, signal);
}

async function writeToSocket(node: HttpBindings, answer: RawAnswer, signal: AbortSignal): Promise<Response> {
  const { outgoing, incoming } = node;
  outgoing.writeHead(answer.status, answer.headers);
  outgoing.flushHeaders();
  for (const [index, chunk] of answer.chunks.entries()) {
    if (index > 0 && !(await pause(answer.intervalMs, signal))) {
      incoming.socket.destroy();
      return RESPONSE_ALREADY_SENT;
    }
    if (outgoing.destroyed) return RESPONSE_ALREADY_SENT;
    await new Promise<void>((resolve) => outgoing.write(chunk, () => resolve()));
  }
  if (answer.ending === 'reset') incoming.socket.resetAndDestroy();
  else outgoing.end();
  return RESPONSE_ALREADY_SENT;
}

function streamedAnswer(answer: RawAnswer, signal: AbortSignal): Response {
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index > 0 && !(await pause(answer.intervalMs, signal))) {
        controller.error(
          new MockConnectionResetError(
            'The mock was closed (close() or the end of its `await using` block) during a dribbled answer.',
          ),
        );
        return;
      }
      const chunk = answer.chunks[index++];
      if (chunk !== undefined) controller.enqueue(chunk);
      if (index >= answer.chunks.length) {
        if (answer.ending === 'reset') controller.error(new MockConnectionResetError());
        else controller.close();
      }
    },
  });
  return new Response(body, { status: answer.status, headers: answer.headers });
}
