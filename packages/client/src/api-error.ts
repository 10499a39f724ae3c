import type { ErrorDetail, ErrorType } from '@sealink/rerank-contract';
import { ErrorResponse } from '@sealink/rerank-contract';
import { ERROR_KIND, SeaLinkError } from './sea-link-error.js';
import { requestIdOf } from './with-request-id.js';

/** What an {@link APIError} is made of: one answer of the server with a status outside 2xx. */
export interface APIErrorInit {
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The response body, parsed as JSON when it is JSON, else the raw text (`undefined` when empty). */
  body: unknown;
}

/**
 * The server answered with a status outside 2xx. Subclasses name each status of the contract's error
 * table; other statuses give {@link UnexpectedStatusError}.
 */
export class APIError extends SeaLinkError {
  override name = 'APIError';
  static override readonly [ERROR_KIND]: string = 'APIError';
  /** The HTTP status. */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;
  /**
   * The request id, from the `X-Request-Id` response header or else the error body; quote it when
   * asking for support. `null` when the server sent none.
   */
  readonly request_id: string | null;
  /** The error detail when the body matches the contract's `ErrorResponse`, else `undefined`. */
  readonly error: ErrorDetail | undefined;
  /** The response body: parsed JSON when it is JSON, the raw text otherwise, `undefined` when empty. */
  readonly body: unknown;
  /** The contract's error type, for example `rate_limit_error`, when the body names one. */
  readonly type: ErrorType | undefined;
  /** The machine-readable error code, for example `model_not_found`, when the body names one. */
  readonly code: string | undefined;
  /** The JSON path of the offending request field, for example `documents[3]`, when one is at fault. */
  readonly param: string | undefined;

  constructor(init: APIErrorInit) {
    const parsed = ErrorResponse.safeParse(init.body);
    const error = parsed.success ? parsed.data.error : undefined;
    super(describeApiError(init.status, error, init.body));
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.error = error;
    this.type = error?.type;
    this.code = error?.code;
    this.param = error?.param;
    this.request_id = requestIdOf(init.headers) ?? error?.request_id ?? null;
  }
}

function describeApiError(status: number, error: ErrorDetail | undefined, body: unknown): string {
  if (error !== undefined) return `${status} ${error.type} (${error.code}): ${error.message}`;
  if (body === undefined) return `${status} status code (no body)`;
  const text = summarizeBody(body);
  return `${status} status code: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}

/**
 * One line of text for a body outside the contract: the message of another API's JSON error
 * (`{"error": {"message"}}`, `{"error": "..."}`, `{"message"}`), the JSON otherwise, and the text of an
 * HTML page (a proxy's 502) without its markup.
 */
function summarizeBody(body: unknown): string {
  if (typeof body === 'string') {
    // The start of the page is enough for a message; `[^<>]` keeps the scan linear on any input.
    const text = body.slice(0, 8192).replace(/<[^<>]*>/g, ' ');
    return text.replace(/\s+/g, ' ').trim() || JSON.stringify(body.slice(0, 200));
  }
  const record = (value: unknown): Record<string, unknown> | undefined =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  const nested = record(record(body)?.error)?.message ?? record(body)?.error ?? record(body)?.message;
  if (typeof nested === 'string' && nested.trim() !== '') return nested.replace(/\s+/g, ' ').trim();
  return JSON.stringify(body);
}

/** 400 `invalid_request_error`: the request is malformed or a field is invalid; see `param`. */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
  static override readonly [ERROR_KIND]: string = 'BadRequestError';
}
/** 401 `authentication_error`: the API key is missing, malformed or wrong. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
  static override readonly [ERROR_KIND]: string = 'AuthenticationError';
}
/** 403 `permission_error`: the API key may not use this model or route. */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
  static override readonly [ERROR_KIND]: string = 'PermissionDeniedError';
}
/** 404 `not_found_error`: the model or route does not exist. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
  static override readonly [ERROR_KIND]: string = 'NotFoundError';
}
/** 405 `method_not_allowed`: the route exists, but not for this method. */
export class MethodNotAllowedError extends APIError {
  override name = 'MethodNotAllowedError';
  static override readonly [ERROR_KIND]: string = 'MethodNotAllowedError';
}
/** 413 `request_too_large`: the body is larger than the server accepts; `rerankAll` splits large requests. */
export class RequestTooLargeError extends APIError {
  override name = 'RequestTooLargeError';
  static override readonly [ERROR_KIND]: string = 'RequestTooLargeError';
}
/** 415 `unsupported_media_type`: the body was not sent as JSON. */
export class UnsupportedMediaTypeError extends APIError {
  override name = 'UnsupportedMediaTypeError';
  static override readonly [ERROR_KIND]: string = 'UnsupportedMediaTypeError';
}
/** 429 `rate_limit_error`: too many requests; retried automatically after the time the server gives. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
  static override readonly [ERROR_KIND]: string = 'RateLimitError';
}
/** 500 `internal_error`: an unexpected error in the server; retried automatically. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
  static override readonly [ERROR_KIND]: string = 'InternalServerError';
}
/** 502 `upstream_error`: the inference engine behind the model failed; retried automatically. */
export class UpstreamError extends APIError {
  override name = 'UpstreamError';
  static override readonly [ERROR_KIND]: string = 'UpstreamError';
}
/** 503 `overloaded_error`: the server is overloaded or draining; retried automatically. */
export class OverloadedError extends APIError {
  override name = 'OverloadedError';
  static override readonly [ERROR_KIND]: string = 'OverloadedError';
}
/** 504 `timeout_error`: the request did not finish within the server's deadline; retried automatically. */
export class GatewayTimeoutError extends APIError {
  override name = 'GatewayTimeoutError';
  static override readonly [ERROR_KIND]: string = 'GatewayTimeoutError';
}
/** A status outside the contract's error table, for example 408, 409 or 501. */
export class UnexpectedStatusError extends APIError {
  override name = 'UnexpectedStatusError';
  static override readonly [ERROR_KIND]: string = 'UnexpectedStatusError';
}

const ERROR_CLASS_BY_STATUS: ReadonlyMap<number, new (init: APIErrorInit) => APIError> = new Map([
  [400, BadRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [405, MethodNotAllowedError],
  [413, RequestTooLargeError],
  [415, UnsupportedMediaTypeError],
  [429, RateLimitError],
  [500, InternalServerError],
  [502, UpstreamError],
  [503, OverloadedError],
  [504, GatewayTimeoutError],
]);

/** The {@link APIError} subclass for an answer's status. */
export function createApiError(init: APIErrorInit): APIError {
  const ErrorClass = ERROR_CLASS_BY_STATUS.get(init.status) ?? UnexpectedStatusError;
  return new ErrorClass(init);
}
