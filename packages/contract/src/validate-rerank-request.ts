import type { ErrorAnswer } from './create-error-response.js';
import { type NormalizedRerankRequest, normalizeRerankRequest } from './normalize-rerank-request.js';
import { RERANK_REQUEST_FIELDS, RerankRequest } from './rerank-request.js';
import { zodErrorToErrorResponse } from './zod-error-to-error-response.js';

/** The outcome of {@link validateRerankRequest}. */
export type RerankRequestValidation =
  | { success: true; request: NormalizedRerankRequest }
  | { success: false; error: ErrorAnswer };

/**
 * Validates a parsed JSON body against `RerankRequest`: the normalized request, or the contract's 400
 * error answer naming the offending field. Servers and mocks use this one function so they answer alike.
 */
export function validateRerankRequest(body: unknown, requestId: string): RerankRequestValidation {
  const parsed = RerankRequest.safeParse(body);
  if (parsed.success) return { success: true, request: normalizeRerankRequest(parsed.data) };
  return {
    success: false,
    error: zodErrorToErrorResponse(parsed.error, {
      requestId,
      input: body,
      allowedFields: RERANK_REQUEST_FIELDS,
    }),
  };
}
