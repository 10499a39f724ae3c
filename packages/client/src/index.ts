export type {
  Model,
  ModelList,
  RerankDocument,
  RerankRequest,
  RerankResponse,
  RerankResult,
  RerankUsage,
} from '@sealink/rerank-contract';
export { APIConnectionError, APIConnectionTimeoutError, type TimeoutPhase } from './api-connection-error.js';
export {
  APIError,
  type APIErrorInit,
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
  UnexpectedStatusError,
  UnsupportedMediaTypeError,
  UpstreamError,
} from './api-error.js';
export { APIPromise, type APIResponse, type WithResponse } from './api-promise.js';
export { APIUserAbortError } from './api-user-abort-error.js';
export type {
  ClientOptions,
  HeaderOverrides,
  RequestOptions,
  SeaLinkDispatcher,
  SeaLinkLogger,
} from './client-options.js';
export { InvalidResponseError } from './invalid-response-error.js';
export {
  type MergeRerankResponsesInput,
  mergeRerankResponses,
  type RerankChunk,
} from './merge-rerank-responses.js';
export { Models } from './models.js';
export {
  DEFAULT_RERANK_ALL_CONCURRENCY,
  type RerankAllOptions,
  type RerankAllResponse,
} from './rerank-all.js';
export type {
  RerankResponseWithDocuments,
  RerankResponseWithoutDocuments,
  RerankResultDocument,
  RerankResultWithDocument,
  RerankResultWithoutDocument,
} from './rerank-response-types.js';
export {
  INITIAL_RETRY_DELAY_MS,
  MAX_RETRY_DELAY_MS,
  MAX_SERVER_RETRY_DELAY_MS,
  type RetryDelayInput,
  retryDelayMs,
  shouldRetryStatus,
} from './retry-policy.js';
export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, RETRY_COUNT_HEADER, SeaLink, VERSION } from './sea-link.js';
export { SeaLinkError } from './sea-link-error.js';
export { MAX_ERROR_BODY_BYTES, MAX_RESPONSE_BYTES } from './send-attempt.js';
export type { WithRequestId } from './with-request-id.js';
