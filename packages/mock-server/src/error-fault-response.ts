import { createErrorResponse, type ErrorType, errorTypeOfStatus } from '@sealink/rerank-contract';
import type { MockErrorFault } from './mock-fault.js';

const DEFAULT_CODES: Record<ErrorType, string> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'invalid_api_key',
  permission_error: 'model_not_permitted',
  not_found_error: 'model_not_found',
  method_not_allowed: 'method_not_allowed',
  request_too_large: 'body_too_large',
  unsupported_media_type: 'unsupported_media_type',
  rate_limit_error: 'rate_limited',
  internal_error: 'internal_error',
  upstream_error: 'upstream_status_error',
  overloaded_error: 'upstream_overloaded',
  timeout_error: 'request_timeout',
};

/** The `X-Request-Id` an error fault's `headers` give (whatever the case of its name), if any. */
export function errorFaultRequestId(fault: MockErrorFault): string | undefined {
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    if (name.toLowerCase() === 'x-request-id') return value;
  }
  return undefined;
}

/**
 * The answer of an error fault: the contract's error body (type from the status unless given), with
 * `Retry-After`, `retry-after-ms`, `x-should-retry` and `x-ratelimit-*-requests` headers as asked. `requestId`
 * is the body's `request_id`: the caller passes {@link errorFaultRequestId} when the fault gives one.
 */
export function errorFaultResponse(fault: MockErrorFault, requestId: string): Response {
  const type =
    fault.type ??
    errorTypeOfStatus(fault.status) ??
    (fault.status >= 500 ? 'internal_error' : 'invalid_request_error');
  const { body } = createErrorResponse(
    {
      type,
      code: fault.code ?? DEFAULT_CODES[type],
      message: fault.message ?? `The mock answered ${fault.status} ${type}, as a fault asked.`,
    },
    requestId,
  );
  const headers = new Headers(fault.headers);
  headers.set('content-type', 'application/json');
  if (fault.retryAfter !== undefined) headers.set('retry-after', fault.retryAfter);
  if (fault.retryAfterMs !== undefined) headers.set('retry-after-ms', String(fault.retryAfterMs));
  if (fault.shouldRetry !== undefined) headers.set('x-should-retry', String(fault.shouldRetry));
  if (fault.rateLimit !== undefined) {
    headers.set('x-ratelimit-limit-requests', String(fault.rateLimit.limit));
    headers.set('x-ratelimit-remaining-requests', String(fault.rateLimit.remaining));
    headers.set('x-ratelimit-reset-requests', String(fault.rateLimit.resetSeconds));
  }
  return new Response(JSON.stringify(body), { status: fault.status, headers });
}
