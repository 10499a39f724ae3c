import type { ErrorResponse } from './error-response.js';
import { ERROR_TYPE_NAMES, type ErrorType } from './error-types.js';

const exampleDetails: Record<ErrorType, Omit<ErrorResponse['error'], 'type' | 'request_id'>> = {
  invalid_request_error: {
    code: 'unknown_field',
    message:
      "Unknown field 'top_k'. Did you mean 'top_n'? Allowed fields: model, query, documents, top_n, return_documents, instruction, max_tokens_per_doc.",
    param: 'top_k',
  },
  authentication_error: {
    code: 'invalid_api_key',
    message: 'A valid API key is required: send it as "Authorization: Bearer <key>".',
  },
  permission_error: {
    code: 'model_not_permitted',
    message: 'This API key may not use the model qwen3-rerank.',
  },
  not_found_error: {
    code: 'model_not_found',
    message: "The model 'qwen3-reranker' does not exist. Available models: bm25, qwen3-rerank.",
    param: 'model',
  },
  method_not_allowed: {
    code: 'method_not_allowed',
    message: 'GET is not allowed on /v1/rerank. Allowed: POST.',
  },
  request_too_large: {
    code: 'body_too_large',
    message: 'The request body is larger than the limit of 10485760 bytes.',
  },
  unsupported_media_type: {
    code: 'unsupported_media_type',
    message: "The body was sent with Content-Type 'text/plain'; send it as application/json.",
  },
  rate_limit_error: {
    code: 'rate_limited',
    message: 'Too many requests: at most 600 in this window; retry after 2 seconds.',
  },
  internal_error: {
    code: 'internal_error',
    message:
      "An unexpected error happened in the server; the request id req_4f9c2a7e1b3d5f60 identifies it in the server's logs.",
  },
  upstream_error: {
    code: 'upstream_status_error',
    message: 'the vllm upstream answered 500: CUDA out of memory.',
  },
  overloaded_error: {
    code: 'upstream_overloaded',
    message: 'every replica of the vllm upstream asked to slow down (429 or 503); retry after 1 s',
  },
  timeout_error: {
    code: 'request_timeout',
    message: "The request did not finish within the server's deadline of 30000 ms.",
  },
};

/**
 * An example error body for each error type, as the docs and the spec show them: codes and messages as the
 * server sends them (`permission_error` is the one type this server never sends; a hosting layer may).
 */
export function errorExample(type: ErrorType): ErrorResponse {
  return { error: { type, ...exampleDetails[type], request_id: 'req_4f9c2a7e1b3d5f60' } };
}

/** Every error type with its example body. */
export const ERROR_EXAMPLES: ReadonlyArray<readonly [ErrorType, ErrorResponse]> = ERROR_TYPE_NAMES.map(
  (type) => [type, errorExample(type)] as const,
);
