import { z } from 'zod';

/**
 * The fixed table of error types and the HTTP status each one is sent with.
 * Every package (server, client, mock server, docs) takes statuses from here.
 */
export const ERROR_TYPES = {
  invalid_request_error: { status: 400, description: 'The request is malformed or a field is invalid.' },
  authentication_error: { status: 401, description: 'The API key is missing, malformed or wrong.' },
  permission_error: { status: 403, description: 'The API key may not use this model or route.' },
  not_found_error: { status: 404, description: 'The model or route does not exist.' },
  method_not_allowed: { status: 405, description: 'The route exists but not for this HTTP method.' },
  request_too_large: { status: 413, description: 'The request body is larger than the server accepts.' },
  unsupported_media_type: { status: 415, description: 'The body is not sent as application/json.' },
  rate_limit_error: { status: 429, description: 'Too many requests; retry after the time the server gives.' },
  internal_error: { status: 500, description: 'An unexpected error in the server.' },
  upstream_error: { status: 502, description: 'The inference engine behind the model failed.' },
  overloaded_error: { status: 503, description: 'The server or every replica is overloaded or draining.' },
  timeout_error: { status: 504, description: 'The request did not finish within its deadline.' },
} as const satisfies Record<string, { status: number; description: string }>;

/** The name of one error type of {@link ERROR_TYPES}. */
export type ErrorType = keyof typeof ERROR_TYPES;

/** The HTTP status of one error type. */
export type ErrorStatus = (typeof ERROR_TYPES)[ErrorType]['status'];

/** Every error type, in the table's order. */
export const ERROR_TYPE_NAMES = Object.keys(ERROR_TYPES) as [ErrorType, ...ErrorType[]];

/** The zod enum of error types. */
export const ErrorTypeSchema = z.enum(ERROR_TYPE_NAMES).meta({
  id: 'ErrorType',
  description: 'The kind of error; each type has one fixed HTTP status.',
});

/** The HTTP status an error type is sent with. */
export function statusOfErrorType(type: ErrorType): ErrorStatus {
  return ERROR_TYPES[type].status;
}

const typeByStatus = new Map<number, ErrorType>(
  ERROR_TYPE_NAMES.map((type) => [ERROR_TYPES[type].status, type] as const),
);

/** The error type for an HTTP status, or `undefined` when the table has none for it. */
export function errorTypeOfStatus(status: number): ErrorType | undefined {
  return typeByStatus.get(status);
}
