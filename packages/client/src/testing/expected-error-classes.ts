import type { ErrorType } from '@sealink/rerank-contract';
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  GatewayTimeoutError,
  InternalServerError,
  MethodNotAllowedError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  UnsupportedMediaTypeError,
  UpstreamError,
} from '../api-error.js';

/** The class each contract error type must surface as, written out for tests. */
export const EXPECTED_ERROR_CLASSES: Record<ErrorType, abstract new (...args: never[]) => APIError> = {
  invalid_request_error: BadRequestError,
  authentication_error: AuthenticationError,
  permission_error: PermissionDeniedError,
  not_found_error: NotFoundError,
  method_not_allowed: MethodNotAllowedError,
  request_too_large: RequestTooLargeError,
  unsupported_media_type: UnsupportedMediaTypeError,
  rate_limit_error: RateLimitError,
  internal_error: InternalServerError,
  upstream_error: UpstreamError,
  overloaded_error: OverloadedError,
  timeout_error: GatewayTimeoutError,
};
