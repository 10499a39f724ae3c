export {
  type BuildRerankResponseOptions,
  buildRerankResponse,
  createRerankId,
} from './build-rerank-response.js';
export { checkRerankResponse } from './check-rerank-response.js';
export {
  type CodeSample,
  EXAMPLE_RERANK_REQUEST,
  EXAMPLE_RERANK_RESPONSE_TEXT,
  getCodeSamples,
  PUBLIC_BASE_URL,
  PUBLIC_SERVER_URL,
  rerankCodeSamples,
} from './code-samples.js';
export { createErrorResponse, type ErrorAnswer, type ErrorDescription } from './create-error-response.js';
export { ERROR_EXAMPLES, errorExample } from './error-examples.js';
export { type ErrorDetail, ErrorResponse } from './error-response.js';
export {
  ERROR_TYPE_NAMES,
  ERROR_TYPES,
  type ErrorStatus,
  type ErrorType,
  ErrorTypeSchema,
  errorTypeOfStatus,
  statusOfErrorType,
} from './error-types.js';
export { formatJsonPath } from './json-path.js';
export * from './limits.js';
export { Model, ModelList } from './model.js';
export {
  documentText,
  type NormalizedRerankRequest,
  normalizeRerankRequest,
} from './normalize-rerank-request.js';
export { API_VERSION, createOpenApiDocument, type OpenApiDocumentOptions } from './openapi-document.js';
export {
  authenticationError,
  bearerTokenOf,
  bodyTooLargeError,
  checkContentEncoding,
  checkJsonContentType,
  checkTransferEncoding,
  createRequestId,
  invalidUtf8Error,
  isJsonContentType,
  type JsonBodyParse,
  methodNotAllowedError,
  modelNotFoundError,
  parseJsonBody,
  requestIdFor,
  requestReceiveTimeoutError,
  routeNotFoundError,
  sanitizeRequestId,
  tooManyDocumentsError,
} from './request-preflight.js';
export { RERANK_REQUEST_FIELDS, RerankDocument, RerankRequest } from './rerank-request.js';
export { RerankResponse, RerankResult, RerankUsage } from './rerank-response.js';
export {
  API_ROUTES,
  BEARER_SECURITY_SCHEME,
  listModelsRoute,
  ModelPathParams,
  rerankRoute,
  retrieveModelRoute,
} from './routes.js';
export { type RerankRequestValidation, validateRerankRequest } from './validate-rerank-request.js';
export {
  suggestField,
  type ZodErrorToErrorResponseOptions,
  zodErrorToErrorResponse,
} from './zod-error-to-error-response.js';
