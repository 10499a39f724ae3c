import { describe, expect, it } from 'vitest';
import { ERROR_EXAMPLES } from './error-examples.js';
import { ErrorResponse } from './error-response.js';
import { ERROR_TYPE_NAMES, errorTypeOfStatus, statusOfErrorType } from './error-types.js';

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
});
