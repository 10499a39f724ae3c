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

/** Every error status, each with the contract's error body and an example. */
function errorResponses(): RouteConfig['responses'] {
  const responses: RouteConfig['responses'] = {};
  for (const [type, example] of ERROR_EXAMPLES) {
    responses[ERROR_TYPES[type].status] = {
      description: `${type}: ${ERROR_TYPES[type].description}`,
      content: { 'application/json': { schema: ErrorResponse, example } },
    };
  }
  return responses;
}

const requestIdHeader = z.string().meta({ description: 'The id of the request; also in every error body.' });

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
      headers: z.object({ 'x-request-id': requestIdHeader }),
      content: { 'application/json': { schema: RerankResponse } },
    },
    ...errorResponses(),
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
