import type { IncomingMessage, ServerResponse } from 'node:http';
import { createErrorResponse, type ErrorAnswer, type ErrorDescription } from '../create-error-response.js';
import { createRequestId, requestIdFor } from '../request-preflight.js';
import type { ContractServerAnswerObserver } from './contract-server-answer.js';

/**
 * The contract's answer to `incoming` for an error found before any app saw it, with the request's own
 * `X-Request-Id` when it is safe to echo, else a fresh one.
 */
export function incomingErrorAnswer(
  incoming: IncomingMessage,
  description: ErrorDescription,
): { answer: ErrorAnswer; requestId: string } {
  const requestId = requestIdFor(incoming.headers['x-request-id']?.toString());
  return { answer: createErrorResponse(description, requestId), requestId };
}

/**
 * The description of a request whose target cannot be made into a URL: `@hono/node-server` rejects a
 * backslash in the path, a malformed `Host`, `OPTIONS *`, an absolute URL of another scheme, with a
 * `RequestError` whose message names the fault (a fixed text, never the request's own bytes).
 */
function unroutableRequestDescription(error: Error): ErrorDescription {
  const reason = error.message;
  return {
    type: 'invalid_request_error',
    code: 'invalid_request_target',
    message: `${reason}: the request target or Host header cannot be read as an http URL of this server.`,
  };
}

const isRequestError = (error: unknown): error is Error =>
  error instanceof Error && error.name === 'RequestError';

/**
 * The `errorHandler` of `@hono/node-server`'s request listener: a request it cannot turn into a web
 * `Request` gets the contract's 400 error body with a new request id, instead of an empty 400. Any other
 * error (the app's fetch handler failing, which its own error handler should prevent) is a 500
 * `internal_error` in the same shape.
 */
export function unroutableRequestResponse(error: unknown): Response {
  const requestId = createRequestId();
  const answer = createErrorResponse(
    isRequestError(error)
      ? unroutableRequestDescription(error)
      : { type: 'internal_error', code: 'internal_error', message: 'An unexpected error in the server.' },
    requestId,
  );
  return Response.json(answer.body, { status: answer.status, headers: { 'x-request-id': requestId } });
}

/** How many `Host` header lines a request carries (Node keeps only the first in `headers.host`). */
function hostLineCount(incoming: IncomingMessage): number {
  const { rawHeaders } = incoming;
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!;
    if (name.length === 4 && name.toLowerCase() === 'host') count++;
  }
  return count;
}

/** What is wrong with a request's `Host` lines (RFC 9112 section 3.2), or `undefined` when nothing is. */
function hostError(incoming: IncomingMessage): ErrorDescription | undefined {
  if (incoming.headers.host === undefined) {
    if (incoming.httpVersionMajor !== 1 || incoming.httpVersionMinor === 0) return undefined;
    return {
      type: 'invalid_request_error',
      code: 'missing_host',
      message: 'An HTTP/1.1 request must carry a Host header.',
    };
  }
  const lines = hostLineCount(incoming);
  if (lines < 2) return undefined;
  return {
    type: 'invalid_request_error',
    code: 'duplicate_host',
    message: `A request must carry one Host header; this one carries ${lines}.`,
  };
}

/**
 * Answers an HTTP/1.1 request without a `Host` header, and any request with more than one (RFC 9112
 * section 3.2: a server must answer both 400; Node keeps the first of several, as if it were the only
 * one), with the contract's error body, honouring a valid `X-Request-Id`, and closes the connection.
 * Node's own check (`requireHostHeader`) answers a missing Host with an empty body, so the server turns
 * it off and calls this instead; returns `false` when the request has one `Host` (or none and is
 * HTTP/1.0) and goes on. An answer it gives is reported to `onAnswered`, when given, once written.
 */
export function answerMissingHost(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  onAnswered?: ContractServerAnswerObserver | undefined,
): boolean {
  const description = hostError(incoming);
  if (description === undefined) return false;
  const { answer, requestId } = incomingErrorAnswer(incoming, description);
  const body = JSON.stringify(answer.body);
  incoming.resume();
  outgoing.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    connection: 'close',
  });
  // Reported once written: of pipelined requests without Host, Node writes only the first answer, which
  // closes the connection; the ones queued behind it are never sent, so never counted.
  if (onAnswered !== undefined) {
    outgoing.once('finish', () =>
      onAnswered({ status: answer.status, code: answer.body.error.code, requestId }),
    );
  }
  outgoing.end(body);
  return true;
}
