import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ResponseObject } from 'openapi3-ts/oas31';
import { z } from 'zod';
import { getCodeSamples, rerankCodeSamples } from './code-samples.js';
import { ERROR_EXAMPLES, errorExample } from './error-examples.js';
import { ErrorResponse } from './error-response.js';
import { ERROR_TYPES, type ErrorType } from './error-types.js';
import { MAX_MODEL_ID_LENGTH } from './limits.js';
import { Model, ModelList } from './model.js';
import { RerankRequest } from './rerank-request.js';
import { RerankResponse } from './rerank-response.js';

/** The name of the bearer security scheme in the spec. */
export const BEARER_SECURITY_SCHEME = 'bearerAuth';

const requestIdHeader = z.string().meta({ description: 'The id of the request; also in every error body.' });

const retryAfterHeader = z.string().optional().meta({
  description: 'Whole seconds to wait before retrying (sent when the server knows when a retry may succeed).',
});

/**
 * The headers of a server that enforces a rate limit, on every answer of a counted request: optional,
 * since a server without a rate limit sends none.
 */
const rateLimitHeaders = {
  'x-ratelimit-limit-requests': z.string().optional().meta({
    description: 'The requests the API key may make per window, when the server enforces a rate limit.',
  }),
  'x-ratelimit-remaining-requests': z
    .string()
    .optional()
    .meta({ description: 'The requests left in the current window, when the server enforces a rate limit.' }),
  'x-ratelimit-reset-requests': z
    .string()
    .optional()
    .meta({ description: 'Whole seconds until the window resets, when the server enforces a rate limit.' }),
};

/**
 * `x-should-retry`, which a route whose answers come from a scoring backend may send on an error: for
 * example `false` on the 502 of an engine that refuses the input itself, which fails the same way each time.
 */
const shouldRetryHeader = z.enum(['true', 'false']).optional().meta({
  description:
    'Whether retrying the same request may succeed, when the server knows; it overrides the rule by status (sent as false when an inference engine refuses the input itself).',
});

/** What a route's error answers may carry besides `x-request-id`, by status. */
interface ErrorHeaderOptions {
  /** The statuses whose answers may carry `Retry-After` (429 always may). */
  retryAfter?: readonly number[];
  /** The statuses of answers to requests a rate limit has counted: they may carry the `x-ratelimit-*` headers (429 always may). */
  rateLimited?: readonly number[];
  /** The statuses whose answers may carry `x-should-retry` (a scoring backend's word on a retry). */
  shouldRetry?: readonly number[];
}

/**
 * The headers of an error answer of `status`: the request id, and the optional headers `options` allow
 * for the status. A 429 may always carry `Retry-After` and the `x-ratelimit-*` headers.
 */
function errorHeaders(status: number, options: ErrorHeaderOptions) {
  const has = (statuses: readonly number[] | undefined) =>
    status === 429 || (statuses ?? []).includes(status);
  return z.object({
    'x-request-id': requestIdHeader,
    ...(has(options.retryAfter) ? { 'retry-after': retryAfterHeader } : {}),
    ...(has(options.rateLimited) ? rateLimitHeaders : {}),
    ...(status !== 429 && (options.shouldRetry ?? []).includes(status)
      ? { 'x-should-retry': shouldRetryHeader }
      : {}),
  });
}

/**
 * The error types that only a hosting layer in front of the server answers (the server and the mock never
 * do), with why: the spec lists them since the hosted API may.
 */
const HOSTING_LAYER_NOTES: Partial<Record<ErrorType, string>> = {
  permission_error: 'sent by a hosting layer that scopes API keys; this server never sends it',
};

/**
 * The error answers of a route: the listed `types` only, in the error table's order, each with the
 * contract's error body, an example and its headers.
 */
function errorResponses(
  types: readonly ErrorType[],
  options: ErrorHeaderOptions = {},
): RouteConfig['responses'] {
  const responses: RouteConfig['responses'] = {};
  for (const [type, example] of ERROR_EXAMPLES) {
    if (!types.includes(type)) continue;
    const { status, description } = ERROR_TYPES[type];
    const note = HOSTING_LAYER_NOTES[type];
    responses[status] = {
      description: `${type}: ${description}${note === undefined ? '' : ` (${note}.)`}`,
      headers: errorHeaders(status, options),
      content: { 'application/json': { schema: ErrorResponse, example } },
    };
  }
  return responses;
}

/**
 * The error types that any route may answer: malformed HTTP (400, answered before routing), a key that is
 * missing or wrong (401), a key the hosting layer does not let use the route (403), a rate limit (429: the
 * server counts only the rerank route, a hosting layer may count every route), an unexpected failure (500)
 * and a server draining (503).
 */
const EVERY_ROUTE_ERRORS = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'rate_limit_error',
  'internal_error',
  'overloaded_error',
] as const satisfies readonly ErrorType[];

/**
 * The error types of the rerank route: every route's, the model (404), the body (413, 415) and the scoring
 * backend's failures (502, 504).
 */
export const RERANK_ERROR_TYPES: readonly ErrorType[] = [
  ...EVERY_ROUTE_ERRORS,
  'not_found_error',
  'request_too_large',
  'unsupported_media_type',
  'upstream_error',
  'timeout_error',
];

/** The error types of `GET /v1/models`: every route's. */
export const LIST_MODELS_ERROR_TYPES: readonly ErrorType[] = [...EVERY_ROUTE_ERRORS];

/** The error types of `GET /v1/models/{model}`: every route's and the model (404). */
export const RETRIEVE_MODEL_ERROR_TYPES: readonly ErrorType[] = [...EVERY_ROUTE_ERRORS, 'not_found_error'];

/** The error answers of a GET route (no rate limit counted by this server, no scoring backend): `Retry-After` on 503 (draining). */
const GET_ROUTE_HEADERS: ErrorHeaderOptions = { retryAfter: [503] };

/** The name of the 405 response component. */
export const METHOD_NOT_ALLOWED_RESPONSE_NAME = 'MethodNotAllowed';

/**
 * The 405 of a path asked with a method it is not served with, `Allow` naming the methods it is. No
 * operation of the spec answers it (a POST to `/v1/rerank` never gets 405), so it is a response component
 * of its own rather than a response of each operation.
 */
export const METHOD_NOT_ALLOWED_RESPONSE = {
  description: `method_not_allowed: ${ERROR_TYPES.method_not_allowed.description} Sent for a method that the path is not served with.`,
  headers: {
    allow: {
      description: 'The methods the path is served with, comma-separated (a GET route also answers HEAD).',
      required: true,
      schema: { type: 'string', examples: ['POST'] },
    },
    'x-request-id': {
      description: 'The id of the request; also in every error body.',
      required: true,
      schema: { type: 'string' },
    },
  },
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/ErrorResponse' },
      example: errorExample('method_not_allowed'),
    },
  },
} as const satisfies ResponseObject;

/** `POST /v1/rerank`: rank documents against a query. */
export const rerankRoute = {
  method: 'post',
  path: '/v1/rerank',
  operationId: 'rerank',
  summary: 'Rerank documents',
  description:
    'Rank candidate documents against a query for RAG, enterprise search, and retrieval refinement.',
  tags: ['Rerank'],
  security: [{ [BEARER_SECURITY_SCHEME]: [] }],
  request: {
    body: { required: true, content: { 'application/json': { schema: RerankRequest } } },
  },
  responses: {
    200: {
      description: 'The documents ranked against the query, best first.',
      headers: z.object({ 'x-request-id': requestIdHeader, ...rateLimitHeaders }),
      content: { 'application/json': { schema: RerankResponse } },
    },
    ...errorResponses(RERANK_ERROR_TYPES, {
      // Every answer after the rate limit (the key comes first: a 401 is never counted); 503 and 429 may
      // say when to retry; the scoring backend's failures may say whether a retry can succeed.
      rateLimited: [400, 404, 413, 415, 500, 502, 503, 504],
      retryAfter: [503],
      shouldRetry: [500, 502, 503, 504],
    }),
  },
  'x-codeSamples': rerankCodeSamples(),
} satisfies RouteConfig;

/** The path parameters of `GET /v1/models/{model}`. */
export const ModelPathParams = z.object({
  /** The customer-visible model id. */
  model: z
    .string()
    .min(1)
    .max(MAX_MODEL_ID_LENGTH)
    .meta({ param: { name: 'model', in: 'path' }, description: 'The model id.', examples: ['bm25'] }),
});

/** `GET /v1/models`: the models the server serves. */
export const listModelsRoute = {
  method: 'get',
  path: '/v1/models',
  operationId: 'listModels',
  summary: 'List models',
  description: 'The models this server serves, with their limits.',
  tags: ['Models'],
  security: [{ [BEARER_SECURITY_SCHEME]: [] }],
  responses: {
    200: {
      description: 'The models.',
      headers: z.object({ 'x-request-id': requestIdHeader }),
      content: { 'application/json': { schema: ModelList } },
    },
    ...errorResponses(LIST_MODELS_ERROR_TYPES, GET_ROUTE_HEADERS),
  },
  'x-codeSamples': getCodeSamples('/models'),
} satisfies RouteConfig;

/** `GET /v1/models/{model}`: one model and its limits. */
export const retrieveModelRoute = {
  method: 'get',
  path: '/v1/models/{model}',
  operationId: 'retrieveModel',
  summary: 'Retrieve a model',
  description: 'One model and its limits.',
  tags: ['Models'],
  security: [{ [BEARER_SECURITY_SCHEME]: [] }],
  request: { params: ModelPathParams },
  responses: {
    200: {
      description: 'The model.',
      headers: z.object({ 'x-request-id': requestIdHeader }),
      content: { 'application/json': { schema: Model } },
    },
    ...errorResponses(RETRIEVE_MODEL_ERROR_TYPES, GET_ROUTE_HEADERS),
  },
  'x-codeSamples': getCodeSamples('/models/bm25'),
} satisfies RouteConfig;

/** Every route of the public API, in the order the spec lists them. */
export const API_ROUTES = [rerankRoute, listModelsRoute, retrieveModelRoute] as const;
