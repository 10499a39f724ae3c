import { describe, expect, it } from 'vitest';
import { ERROR_EXAMPLES, errorExample } from './error-examples.js';
import { ErrorResponse } from './error-response.js';
import { ERROR_TYPE_NAMES, errorTypeOfStatus, statusOfErrorType } from './error-types.js';
import {
  authenticationError,
  bodyTooLargeError,
  checkJsonContentType,
  methodNotAllowedError,
  modelNotFoundError,
} from './request-preflight.js';
import { validateRerankRequest } from './validate-rerank-request.js';

/** The answer to a request that sends `top_k`. */
function unknownFieldAnswer(requestId: string) {
  const outcome = validateRerankRequest(
    { model: 'qwen3-rerank', query: 'q', documents: ['a'], top_k: 2 },
    requestId,
  );
  if (outcome.success) throw new Error('expected top_k to be refused');
  return outcome.error;
}

describe('error table', () => {
  it('maps each type to its fixed status and back', () => {
    expect(Object.fromEntries(ERROR_TYPE_NAMES.map((type) => [type, statusOfErrorType(type)]))).toEqual({
      invalid_request_error: 400,
      authentication_error: 401,
      permission_error: 403,
      not_found_error: 404,
      method_not_allowed: 405,
      request_too_large: 413,
      unsupported_media_type: 415,
      rate_limit_error: 429,
      internal_error: 500,
      upstream_error: 502,
      overloaded_error: 503,
      timeout_error: 504,
    });
    for (const type of ERROR_TYPE_NAMES) expect(errorTypeOfStatus(statusOfErrorType(type))).toBe(type);
    expect(errorTypeOfStatus(418)).toBeUndefined();
  });

  it('has an example body of the contract shape for every type', () => {
    expect(ERROR_EXAMPLES.map(([type]) => type)).toEqual(ERROR_TYPE_NAMES);
    for (const [type, example] of ERROR_EXAMPLES) {
      expect(ErrorResponse.parse(example).error.type).toBe(type);
    }
  });

  it('shows, for the errors the contract itself builds, the body its helpers really send', () => {
    const id = errorExample('invalid_request_error').error.request_id;
    const sent = {
      invalid_request_error: unknownFieldAnswer(id),
      authentication_error: authenticationError(id),
      not_found_error: modelNotFoundError('qwen3-reranker', ['bm25', 'qwen3-rerank'], id),
      method_not_allowed: methodNotAllowedError('GET', '/v1/rerank', ['POST'], id),
      request_too_large: bodyTooLargeError(10 * 1024 * 1024, id),
      unsupported_media_type: checkJsonContentType('text/plain', id),
    } as const;
    for (const [type, answer] of Object.entries(sent)) {
      expect(answer?.body, type).toEqual(errorExample(type as keyof typeof sent));
    }
    // The schema's own example is the invalid_request_error one.
    expect(ErrorResponse.meta()?.examples).toEqual([errorExample('invalid_request_error')]);
  });
});
