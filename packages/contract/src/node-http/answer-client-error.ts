import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { createErrorResponse, type ErrorAnswer, type ErrorDescription } from '../create-error-response.js';
import { createRequestId, requestIdFor } from '../request-preflight.js';
import { incomingErrorAnswer } from './answer-unroutable-request.js';
import type { ContractServerAnswerObserver } from './contract-server-answer.js';

/**
 * The response in flight on a socket: the one Node writes now, in order of the requests (a pipelined
 * request's response waits in Node's queue until the ones before it finish, then takes this slot).
 */
interface InFlightResponse {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  /** Its request; `complete` once the parser has read the request in full, body included. */
  readonly req?: IncomingMessage | undefined;
  once(event: 'finish' | 'close', listener: () => void): unknown;
  off(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * Where Node's HTTP server keeps the response in flight on a socket. Node's own default `clientError`
 * answer reads this slot to decide whether a raw answer can still be written; there is no public API
 * for it.
 */
interface HttpServerSocket {
  _httpMessage?: InFlightResponse | null;
}

/**
 * Sockets whose raw answer is written or waiting for the responses before it. Node reports a parser error
 * again for every further chunk that arrives on the socket; the first report is the one answered.
 */
const answeredSockets = new WeakSet<Duplex>();

/**
 * How long a socket answered by {@link answerClientError} may take to flush its answer before it is cut,
 * and how long the responses in flight before that answer may take to finish.
 */
const CLOSE_GRACE_MS = 5000;

/** An error of Node's HTTP parser or server, with the code that names what went wrong. */
interface CodedError extends Error {
  code?: unknown;
}

/**
 * The contract's answer to a request Node's parser rejected before the app saw it. The contract's
 * error type fixes the status and it has none for 408 or 431, so a header overflow and a request not
 * received in time are 400 `invalid_request_error` with their own codes; an overflowing chunk
 * extension is 413 `request_too_large`, as Node answers it.
 */
export function describeClientError(error: Error): ErrorDescription {
  switch ((error as CodedError).code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        type: 'invalid_request_error',
        code: 'headers_too_large',
        message:
          'The request line and headers are larger than the server accepts; send fewer or shorter headers.',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        type: 'request_too_large',
        code: 'chunk_extensions_too_large',
        message: 'The chunk extensions of the chunked request body are larger than the server accepts.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        type: 'invalid_request_error',
        code: 'request_receive_timeout',
        message:
          'The request was not received in full within the time the server allows; the connection is closed.',
      };
    default:
      return {
        type: 'invalid_request_error',
        code: 'malformed_http',
        message: 'The request is not valid HTTP/1.1 and could not be parsed; the connection is closed.',
      };
  }
}

/**
 * A complete raw HTTP/1.1 answer carrying a contract error: its status, the JSON body, the request id
 * in `X-Request-Id`, any extra headers, and `Connection: close`. For sockets no `ServerResponse` owns.
 */
export function rawErrorResponse(
  answer: ErrorAnswer,
  requestId: string,
  headers: Readonly<Record<string, string>> = {},
): string {
  const body = JSON.stringify(answer.body);
  let extra = '';
  for (const [name, value] of Object.entries(headers)) extra += `${name}: ${value}\r\n`;
  return (
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `X-Request-Id: ${requestId}\r\n` +
    extra +
    'Connection: close\r\n' +
    '\r\n' +
    body
  );
}

/**
 * The raw HTTP/1.1 answer for a parser error: the contract's error body with a new request id, in
 * `X-Request-Id` and in the body, and `Connection: close`.
 */
export function clientErrorResponse(error: Error, requestId: string = createRequestId()): string {
  return rawErrorResponse(createErrorResponse(describeClientError(error), requestId), requestId);
}

/** Sends a raw answer on a socket, then closes it fully, at the latest after a grace period. */
function endWithRawAnswer(socket: Duplex, raw: string): void {
  // `end` flushes the answer first; the server's sockets allow half-open connections, so close it fully,
  // and at the latest after a grace period, should the peer never read the answer.
  const grace = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
  grace.unref();
  socket.once('close', () => clearTimeout(grace));
  socket.end(raw, () => socket.destroy());
}

/**
 * Sends a raw answer on a socket once the answers to the requests received before it are written, so that
 * pipelined requests before a malformed one (or a `CONNECT`) are answered in full and in order, as a
 * server that reads one request at a time (nginx) answers them; then closes the socket.
 *
 * A response in flight whose request was received in full, or that its app has already ended, is waited
 * for: its app answers it within its own deadline. One whose request is still incomplete is the request
 * the malformed bytes belong to: it will never get the rest of its body, so the raw answer goes out at
 * once when nothing of it was written yet, and the socket is only destroyed when part of it was (a raw
 * answer would corrupt it). The responses before it get {@link CLOSE_GRACE_MS} in all to finish; past it
 * the socket is destroyed, cutting the one in flight, as Node's own answer would have at once.
 */
function endAfterInFlight(
  socket: Duplex,
  raw: (request: IncomingMessage | undefined) => string,
  cut?: NodeJS.Timeout,
): void {
  if (socket.destroyed) {
    clearTimeout(cut);
    return;
  }
  const inFlight = (socket as Duplex & HttpServerSocket)._httpMessage;
  if (
    inFlight !== null &&
    inFlight !== undefined &&
    (inFlight.writableEnded || inFlight.req?.complete === true)
  ) {
    // The wait is bounded: a response that never ends, or that a peer never reads, must not keep a
    // connection that can carry nothing more open for good.
    const deadline = cut ?? setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    deadline.unref();
    const next = () => {
      inFlight.off('finish', next);
      inFlight.off('close', next);
      // Node hands the socket to the next pipelined response in its own `finish` listener, which ran first.
      endAfterInFlight(socket, raw, deadline);
    };
    inFlight.once('finish', next);
    inFlight.once('close', next);
    return;
  }
  clearTimeout(cut);
  if (inFlight === null || inFlight === undefined) {
    if (socket.writable) endWithRawAnswer(socket, raw(undefined));
    // Not writable: the last answer closed the connection (`Connection: close`), which Node is ending.
    return;
  }
  if (inFlight.headersSent) socket.destroy();
  else endWithRawAnswer(socket, raw(inFlight.req));
}

/**
 * A `connect` listener for Node's HTTP server: the server is not a proxy, so `CONNECT` gets 405
 * `method_not_allowed` in the contract's shape (Node would otherwise drop the connection unanswered).
 */
export function answerConnectRequest(request: IncomingMessage, socket: Duplex): void {
  answerConnectRequestObserved(request, socket, undefined);
}

/** {@link answerConnectRequest}, reporting its answer to `onAnswered` when it writes it. */
export function answerConnectRequestObserved(
  request: IncomingMessage,
  socket: Duplex,
  onAnswered: ContractServerAnswerObserver | undefined,
): void {
  // Node takes its own error listener off a CONNECT's socket: a peer resetting the connection (while the
  // responses before this answer are awaited, or while it flushes) would otherwise be an uncaught exception.
  socket.on('error', () => socket.destroy());
  const { answer, requestId } = incomingErrorAnswer(request, {
    type: 'method_not_allowed',
    code: 'method_not_allowed',
    message: 'CONNECT is not allowed: this server is not a proxy.',
  });
  endAfterInFlight(socket, () => {
    onAnswered?.({ status: answer.status, code: answer.body.error.code, requestId });
    return rawErrorResponse(answer, requestId, { Allow: 'GET, HEAD, POST' });
  });
}

/**
 * A `clientError` listener for Node's HTTP server (see https://nodejs.org/api/http.html#event-clienterror):
 * answers a request that Node's parser rejected (a broken request line, bytes after a lying
 * `Content-Length`, headers over the size limit, a request not received in time) with the contract's
 * error body instead of Node's bare status line, then closes the connection. Requests pipelined before
 * the malformed bytes are answered first, in full (see {@link endAfterInFlight}); Node's default would
 * drop their answers. When the peer is gone, or the malformed bytes belong to a request whose answer has
 * already started (a raw answer would corrupt it), it only destroys the socket, as Node's default does.
 */
export function answerClientError(error: Error, socket: Duplex): void {
  answerClientErrorObserved(error, socket, undefined);
}

/**
 * {@link answerClientError}, reporting its answer to `onAnswered` when it writes it: once per socket,
 * and not when it only destroys the socket.
 */
export function answerClientErrorObserved(
  error: Error,
  socket: Duplex,
  onAnswered: ContractServerAnswerObserver | undefined,
): void {
  if ((error as CodedError).code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (answeredSockets.has(socket)) return;
  answeredSockets.add(socket);
  endAfterInFlight(socket, (request) => {
    // The answer to a request the listener already has (its body broke) carries that request's own id.
    const requestId =
      request === undefined ? createRequestId() : requestIdFor(request.headers['x-request-id']?.toString());
    const answer = createErrorResponse(describeClientError(error), requestId);
    const { status } = answer;
    const code = answer.body.error.code;
    onAnswered?.(request === undefined ? { status, code, requestId } : { status, code, requestId, request });
    return rawErrorResponse(answer, requestId);
  });
}
