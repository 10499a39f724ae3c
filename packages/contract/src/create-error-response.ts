import type { ErrorResponse } from './error-response.js';
import { type ErrorStatus, type ErrorType, statusOfErrorType } from './error-types.js';

/** What an error answer says, before it gets a request id. */
export interface ErrorDescription {
  /** The kind of error; it fixes the HTTP status. */
  type: ErrorType;
  /** A stable, machine-readable code in snake case. */
  code: string;
  /** What is wrong and what is allowed. */
  message: string;
  /** The JSON path of the offending field, when one field is at fault. */
  param?: string | undefined;
}

/** An error answer: its HTTP status and its body. */
export interface ErrorAnswer {
  /** The HTTP status, fixed by the error type. */
  status: ErrorStatus;
  /** The body, in the contract's error shape. */
  body: ErrorResponse;
}

/** Builds the body and status of an error answer in the contract's shape. */
export function createErrorResponse(description: ErrorDescription, requestId: string): ErrorAnswer {
  const error: ErrorResponse['error'] = {
    type: description.type,
    code: description.code,
    message: description.message,
    request_id: requestId,
  };
  if (description.param !== undefined) error.param = description.param;
  return { status: statusOfErrorType(description.type), body: { error } };
}
