import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { getCodeSamples, rerankCodeSamples } from './code-samples.js';
import { ERROR_EXAMPLES } from './error-examples.js';
import { ErrorResponse } from './error-response.js';
import { ERROR_TYPES } from './error-types.js';
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

/**
 * The headers of an error answer of `status`: the request id, `Retry-After` where a retry may succeed, and
 * on `rateLimited` routes (the rerank route, whose answers come from a scoring backend) the `x-ratelimit-*`
 * headers and, but on a 429 (always worth retrying later), `x-should-retry`.
 */
function errorHeaders(status: number, rateLimited: boolean) {
  if (status === 429) {
    return z.object({
      'x-request-id': requestIdHeader,
      'retry-after': retryAfterHeader,
      ...rateLimitHeaders,
    });
  }
  const retryAfter = status === 503 ? { 'retry-after': retryAfterHeader } : {};
  return z.object({
    'x-request-id': requestIdHeader,
    ...retryAfter,
    ...(rateLimited ? { ...rateLimitHeaders, 'x-should-retry': shouldRetryHeader } : {}),
  });
}

/**
 * Every error status, each with the contract's error body, an example and its headers; `rateLimited`
 * routes (those a server's rate limit counts) also list the `x-ratelimit-*` headers on every answer.
 */
function errorResponses(rateLimited = false): RouteConfig['responses'] {
  const responses: RouteConfig['responses'] = {};
  for (const [type, example] of ERROR_EXAMPLES) {
    const { status, description } = ERROR_TYPES[type];
    responses[status] = {
      description: `${type}: ${description}`,
      headers: errorHeaders(status, rateLimited),
      content: { 'application/json': { schema: ErrorResponse, example } },
    };
  }
  return responses;
}

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
    ...errorResponses(true),
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
    200: { description: 'The models.', content: { 'application/json': { schema: ModelList } } },
    ...errorResponses(),
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
    200: { description: 'The model.', content: { 'application/json': { schema: Model } } },
    ...errorResponses(),
  },
  'x-codeSamples': getCodeSamples('/models/bm25'),
} satisfies RouteConfig;

/** Every route of the public API, in the order the spec lists them. */
export const API_ROUTES = [rerankRoute, listModelsRoute, retrieveModelRoute] as const;
