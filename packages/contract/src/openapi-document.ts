import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { PUBLIC_SERVER_URL } from './code-samples.js';
import { ERROR_TYPE_NAMES, ERROR_TYPES } from './error-types.js';
import {
  API_ROUTES,
  BEARER_SECURITY_SCHEME,
  METHOD_NOT_ALLOWED_RESPONSE,
  METHOD_NOT_ALLOWED_RESPONSE_NAME,
} from './routes.js';

/** The version of the API that the spec describes. */
export const API_VERSION = '1.0.0';

/** Options of {@link createOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  /** The servers the spec lists; the public server by default. */
  servers?: { url: string; description?: string }[];
}

const errorTable = ERROR_TYPE_NAMES.map(
  (type) => `| \`${type}\` | ${ERROR_TYPES[type].status} | ${ERROR_TYPES[type].description} |`,
).join('\n');

/** Generates the OpenAPI 3.1 document of the API from the contract's routes and schemas. */
export function createOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenAPIObject {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER_SECURITY_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key, sent as `Authorization: Bearer <key>`.',
  });
  registry.registerComponent('responses', METHOD_NOT_ALLOWED_RESPONSE_NAME, METHOD_NOT_ALLOWED_RESPONSE);
  for (const route of API_ROUTES) registry.registerPath(route);
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'SeaLink Rerank API',
      version: API_VERSION,
      description: [
        'Rank candidate documents against a query for RAG, enterprise search, and retrieval refinement.',
        '',
        'Every error answer has the body `{ "error": { "type", "code", "message", "param?", "request_id" } }`; the type fixes the HTTP status:',
        '',
        '| type | status | meaning |',
        '|---|---|---|',
        errorTable,
        '',
        'Each operation lists the statuses it can answer. `permission_error` (403) is sent only by a hosting layer that scopes API keys. Two answers belong to no operation:',
        '',
        `- 405 ${METHOD_NOT_ALLOWED_RESPONSE.description} Its \`Allow\` header names the methods the path is served with (a GET route also answers HEAD): the \`${METHOD_NOT_ALLOWED_RESPONSE_NAME}\` response.`,
        '- 404 `route_not_found`: a path the API does not have.',
      ].join('\n'),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: options.servers ?? [{ url: PUBLIC_SERVER_URL, description: 'SeaLink' }],
    tags: [
      { name: 'Rerank', description: 'Rank documents against a query.' },
      { name: 'Models', description: 'The models a server serves.' },
    ],
  });
}
