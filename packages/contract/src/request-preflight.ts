import { createErrorResponse, type ErrorAnswer } from './create-error-response.js';
import { randomHex } from './random-hex.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A fresh request id: `req_` and 20 random hexadecimal digits. */
export function createRequestId(): string {
  return `req_${randomHex(10)}`;
}

/**
 * The incoming `X-Request-Id`, when it is safe to echo and log: 1 to 128 characters of letters, digits,
 * `.`, `_`, `:` and `-`. Anything else is dropped, and the server makes its own id.
 */
export function sanitizeRequestId(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  const trimmed = header.trim();
  return REQUEST_ID_PATTERN.test(trimmed) ? trimmed : undefined;
}

/** The request id of a request: its `X-Request-Id` when {@link sanitizeRequestId} keeps it, else a fresh one. */
export function requestIdFor(header: string | null | undefined): string {
  return sanitizeRequestId(header) ?? createRequestId();
}

const BEARER_PATTERN = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * The key of an `Authorization: Bearer <key>` header; `undefined` for a missing or malformed header. The scheme
 * is case-insensitive and surrounding blanks are ignored (RFC 9110), so every spelling of one key gives one key.
 */
export function bearerTokenOf(authorizationHeader: string | null | undefined): string | undefined {
  if (authorizationHeader === null || authorizationHeader === undefined) return undefined;
  return BEARER_PATTERN.exec(authorizationHeader)?.[1];
}

/** Whether a `Content-Type` header names JSON: `application/json` or any `+json` type, any parameters. */
export function isJsonContentType(header: string | null | undefined): boolean {
  if (header === null || header === undefined) return false;
  // What nearly every client sends, answered without splitting or lower-casing a copy of the header.
  if (header === 'application/json') return true;
  const mediaType = header.split(';', 1)[0]!.trim().toLowerCase();
  return (
    mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'))
  );
}

const CHARSET_PARAMETER = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/**
 * The `charset` parameter of a `Content-Type` header, lower-cased, when it names one other than UTF-8;
 * `undefined` when there is none or it is UTF-8 (JSON is UTF-8, RFC 8259 section 8.1).
 */
function foreignCharsetOf(header: string): string | undefined {
  if (!header.includes(';')) return undefined;
  const charset = CHARSET_PARAMETER.exec(header)?.[1]?.toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8' ? undefined : charset;
}

/**
 * The 415 answer for a body that is not sent as JSON, or as JSON in a charset other than UTF-8;
 * `undefined` when the content type is JSON in UTF-8 (with or without a `charset` parameter).
 */
export function checkJsonContentType(
  header: string | null | undefined,
  requestId: string,
): ErrorAnswer | undefined {
  if (isJsonContentType(header)) {
    const charset = foreignCharsetOf(header!);
    if (charset === undefined) return undefined;
    return createErrorResponse(
      {
        type: 'unsupported_media_type',
        code: 'unsupported_charset',
        message: `The body was sent in charset '${charset}'; send JSON in UTF-8.`,
      },
      requestId,
    );
  }
  const sent =
    header === null || header === undefined || header === '' ? 'no Content-Type' : `Content-Type '${header}'`;
  return createErrorResponse(
    {
      type: 'unsupported_media_type',
      code: 'unsupported_media_type',
      message: `The body was sent with ${sent}; send it as application/json.`,
    },
    requestId,
  );
}

/**
 * The 415 answer for a body sent with a `Content-Encoding` (gzip, br, ...), which the API does not
 * decode (RFC 9110 section 8.4.1); `undefined` when there is none or it is `identity`. Bodies are
 * small JSON, so compression saves little and would let a small upload grow past the size limit.
 */
export function checkContentEncoding(
  header: string | null | undefined,
  requestId: string,
): ErrorAnswer | undefined {
  if (header === null || header === undefined) return undefined;
  const coding = header.trim().toLowerCase();
  if (coding === '' || coding === 'identity') return undefined;
  return createErrorResponse(
    {
      type: 'unsupported_media_type',
      code: 'unsupported_content_encoding',
      message: `The body was sent with Content-Encoding '${header.trim()}'; send it uncompressed (no Content-Encoding).`,
    },
    requestId,
  );
}

/**
 * The 415 answer for a body sent with a transfer coding other than `chunked` (such as
 * `Transfer-Encoding: gzip, chunked`), `undefined` for none or `chunked` alone. Node's parser takes the
 * chunks apart but leaves any other coding on the bytes, which would otherwise reach the JSON parser
 * still compressed. RFC 9112 would answer 501; a 415 says the same without blaming the server.
 */
export function checkTransferEncoding(
  header: string | null | undefined,
  requestId: string,
): ErrorAnswer | undefined {
  if (header === null || header === undefined) return undefined;
  const codings = header.trim().toLowerCase();
  if (codings === 'chunked' || codings === '') return undefined;
  return createErrorResponse(
    {
      type: 'unsupported_media_type',
      code: 'unsupported_transfer_encoding',
      message: `The body was sent with Transfer-Encoding '${header.trim()}'; send it uncompressed, with Content-Length or Transfer-Encoding: chunked alone.`,
    },
    requestId,
  );
}

/** The 400 answer for a body whose bytes are not valid UTF-8. */
export function invalidUtf8Error(requestId: string): ErrorAnswer {
  return createErrorResponse(
    {
      type: 'invalid_request_error',
      code: 'invalid_utf8',
      message: 'The body is not valid UTF-8; send JSON encoded as UTF-8.',
    },
    requestId,
  );
}

/** The outcome of {@link parseJsonBody}. */
export type JsonBodyParse = { success: true; value: unknown } | { success: false; error: ErrorAnswer };

/** Parses a request body as JSON: the value, or the 400 answer `invalid_json` that says where it broke. */
export function parseJsonBody(text: string, requestId: string): JsonBodyParse {
  try {
    return { success: true, value: JSON.parse(text) };
  } catch (error) {
    const reason = text.trim() === '' ? 'the body is empty' : (error as Error).message;
    return {
      success: false,
      error: createErrorResponse(
        {
          type: 'invalid_request_error',
          code: 'invalid_json',
          message: `The body is not valid JSON: ${reason}.`,
        },
        requestId,
      ),
    };
  }
}

/** The 413 answer for a body over the limit. */
export function bodyTooLargeError(maxBodyBytes: number, requestId: string): ErrorAnswer {
  return createErrorResponse(
    {
      type: 'request_too_large',
      code: 'body_too_large',
      message: `The request body is larger than the limit of ${maxBodyBytes} bytes.`,
    },
    requestId,
  );
}

/**
 * The 400 answer for a body that did not arrive in full within the server's deadline (shorter than its
 * `Content-Length`, a stalled upload); send it with `Connection: close`, since the rest is left unread.
 */
export function requestReceiveTimeoutError(timeoutMs: number, requestId: string): ErrorAnswer {
  return createErrorResponse(
    {
      type: 'invalid_request_error',
      code: 'request_receive_timeout',
      message: `The request body was not received in full within the server's deadline of ${timeoutMs} ms; the connection is closed.`,
    },
    requestId,
  );
}

/** The 404 answer for a model the server does not serve; it lists the ones it does. */
export function modelNotFoundError(
  model: string,
  availableModels: readonly string[],
  requestId: string,
  hint = '',
): ErrorAnswer {
  const available = availableModels.length === 0 ? 'none' : availableModels.join(', ');
  return createErrorResponse(
    {
      type: 'not_found_error',
      code: 'model_not_found',
      message: `The model '${model}' does not exist. Available models: ${available}.${hint === '' ? '' : ` ${hint}`}`,
      param: 'model',
    },
    requestId,
  );
}

/** The 400 answer for a request with more documents than the model takes per request (`param` documents). */
export function tooManyDocumentsError(
  model: string,
  maxDocuments: number,
  documentCount: number,
  requestId: string,
): ErrorAnswer {
  return createErrorResponse(
    {
      type: 'invalid_request_error',
      code: 'too_many_documents',
      message: `The model '${model}' takes at most ${maxDocuments} documents per request; the request has ${documentCount}.`,
      param: 'documents',
    },
    requestId,
  );
}

/** The 404 answer for a route that does not exist. */
export function routeNotFoundError(method: string, path: string, requestId: string): ErrorAnswer {
  return createErrorResponse(
    { type: 'not_found_error', code: 'route_not_found', message: `There is no route ${method} ${path}.` },
    requestId,
  );
}

/** The 405 answer for a route that exists but not for this method. */
export function methodNotAllowedError(
  method: string,
  path: string,
  allowedMethods: readonly string[],
  requestId: string,
): ErrorAnswer {
  return createErrorResponse(
    {
      type: 'method_not_allowed',
      code: 'method_not_allowed',
      message: `${method} is not allowed on ${path}. Allowed: ${allowedMethods.join(', ')}.`,
    },
    requestId,
  );
}

/** The 401 answer, the same for a missing, malformed or wrong key. */
export function authenticationError(requestId: string): ErrorAnswer {
  return createErrorResponse(
    {
      type: 'authentication_error',
      code: 'invalid_api_key',
      message: 'A valid API key is required: send it as "Authorization: Bearer <key>".',
    },
    requestId,
  );
}
