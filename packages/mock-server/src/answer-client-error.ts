import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { createErrorResponse, createRequestId, type ErrorDescription } from '@sealink/rerank-contract';

/**
 * The answers to requests Node's parser rejects, by the parser's error code, with the same types and codes
 * as the real server (`answerClientError` of `@sealink/rerank-server`). Written again here because the mock
 * depends on the contract only, and the server package does not export its own. Any other code is
 * `malformed_http`.
 */
const PARSER_ERRORS: Readonly<Record<string, ErrorDescription>> = {
  HPE_HEADER_OVERFLOW: {
    type: 'invalid_request_error',
    code: 'headers_too_large',
    message: 'The request line and headers are larger than the mock accepts.',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    type: 'request_too_large',
    code: 'chunk_extensions_too_large',
    message: 'The chunk extensions of the chunked request body are larger than the mock accepts.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    type: 'invalid_request_error',
    code: 'request_receive_timeout',
    message: 'The request was not received in full in time; the connection is closed.',
  },
};

const MALFORMED_HTTP: ErrorDescription = {
  type: 'invalid_request_error',
  code: 'malformed_http',
  message: 'The request is not valid HTTP/1.1 and could not be parsed; the connection is closed.',
};

/** How long a rejected connection may take to flush its answer before it is cut. */
const FLUSH_GRACE_MS = 5000;

/**
 * A `clientError` listener for the mock's HTTP server: a request Node's parser rejects (a broken request
 * line, headers over the size limit, a request not received in time) gets the contract's error body with
 * a new request id (in `X-Request-Id` and the body) and `Connection: close`, instead of Node's bare status
 * line. When the peer is gone, or an answer on the socket has already started (Node keeps it in the
 * undocumented `_httpMessage` slot, which its own default listener reads too), it only destroys the socket.
 */
export function answerClientError(error: Error, socket: Duplex): void {
  const code = (error as NodeJS.ErrnoException).code;
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const known = code !== undefined && Object.hasOwn(PARSER_ERRORS, code) ? PARSER_ERRORS[code] : undefined;
  const requestId = createRequestId();
  const { status, body } = createErrorResponse(known ?? MALFORMED_HTTP, requestId);
  const text = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(text)}`,
    `x-request-id: ${requestId}`,
    'connection: close',
  ];
  const grace = setTimeout(() => socket.destroy(), FLUSH_GRACE_MS).unref();
  socket.once('close', () => clearTimeout(grace));
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`, () => socket.destroy());
}
