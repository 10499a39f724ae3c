import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH, renderOpenApiJson } from '../scripts/generate-openapi.js';
import { ERROR_TYPES } from './error-types.js';
import { createOpenApiDocument } from './openapi-document.js';
import { RERANK_ERROR_TYPES } from './routes.js';

describe('OpenAPI spec', () => {
  it('is committed exactly as the contract generates it', () => {
    const committed = readFileSync(OPENAPI_PATH, 'utf8');
    expect(
      committed === renderOpenApiJson(),
      'packages/contract/openapi.json is stale: run `pnpm --filter @sealink/rerank-contract generate` and commit it',
    ).toBe(true);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const document = structuredClone(createOpenApiDocument());
    const validated = (await SwaggerParser.validate(document as never)) as { openapi?: string };
    expect(validated.openapi).toBe('3.1.0');
  });

  it("declares bearer auth, the page example, the rerank route's error statuses and three code samples", () => {
    const document = createOpenApiDocument();
    expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const operation = document.paths?.['/v1/rerank']?.post;
    expect(operation?.security).toEqual([{ bearerAuth: [] }]);
    const statuses = Object.keys(operation?.responses ?? {});
    expect(statuses).toEqual([
      '200',
      ...RERANK_ERROR_TYPES.map((type) => String(ERROR_TYPES[type].status)).sort(),
    ]);
    const samples = (operation as Record<string, unknown>)['x-codeSamples'] as {
      label: string;
      source: string;
    }[];
    expect(samples.map((sample) => sample.label)).toEqual(['cURL', 'Python', 'Node.js']);
    for (const sample of samples) expect(sample.source).toContain('best API gateway for Qwen models');
    const json = JSON.stringify(document);
    expect(json).toContain('A sourdough starter needs regular feeding.');
    expect(json).toContain('"top_n":2');
    expect(document.paths?.['/v1/models']?.get).toBeDefined();
    expect(document.paths?.['/v1/models/{model}']?.get?.parameters).toEqual([
      expect.objectContaining({ name: 'model', in: 'path', required: true }),
    ]);
  });

  describe('lists per route only the statuses and headers that route can answer', () => {
    const document = createOpenApiDocument();
    /** Each status of an operation with its headers, `name` for a required one and `name?` for an optional one. */
    const answers = (path: string, method: 'get' | 'post') =>
      Object.fromEntries(
        Object.entries(document.paths?.[path]?.[method]?.responses ?? {}).map(([status, response]) => [
          status,
          Object.entries(
            (response as { headers?: Record<string, { required?: boolean }> }).headers ?? {},
          ).map(([name, header]) => (header.required === true ? name : `${name}?`)),
        ]),
      );
    const RATE = [
      'x-ratelimit-limit-requests?',
      'x-ratelimit-remaining-requests?',
      'x-ratelimit-reset-requests?',
    ];
    const ID = 'x-request-id';
    const HOSTED_429 = [ID, 'retry-after?', ...RATE];

    it('POST /v1/rerank: no 405; the x-ratelimit headers on every answer after the rate limit, never on a 401', () => {
      expect(answers('/v1/rerank', 'post')).toEqual({
        200: [ID, ...RATE],
        400: [ID, ...RATE],
        401: [ID],
        403: [ID],
        404: [ID, ...RATE],
        413: [ID, ...RATE],
        415: [ID, ...RATE],
        429: HOSTED_429,
        500: [ID, ...RATE, 'x-should-retry?'],
        502: [ID, ...RATE, 'x-should-retry?'],
        503: [ID, 'retry-after?', ...RATE, 'x-should-retry?'],
        504: [ID, ...RATE, 'x-should-retry?'],
      });
    });

    it('GET /v1/models: no body errors (413, 415), no 404, 405, 502 or 504', () => {
      expect(answers('/v1/models', 'get')).toEqual({
        200: [ID],
        400: [ID],
        401: [ID],
        403: [ID],
        429: HOSTED_429,
        500: [ID],
        503: [ID, 'retry-after?'],
      });
    });

    it('GET /v1/models/{model}: as the list, and 404 for a model it does not serve', () => {
      expect(answers('/v1/models/{model}', 'get')).toEqual({
        200: [ID],
        400: [ID],
        401: [ID],
        403: [ID],
        404: [ID],
        429: HOSTED_429,
        500: [ID],
        503: [ID, 'retry-after?'],
      });
    });

    it('documents the 405 of a method a path is not served with, and its Allow header, as a response component', () => {
      const methodNotAllowed = document.components?.responses?.MethodNotAllowed as {
        headers: Record<string, { required?: boolean }>;
        content: Record<string, { example: { error: { type: string } } }>;
      };
      expect(
        Object.entries(methodNotAllowed.headers).map(([name, header]) => [name, header.required]),
      ).toEqual([
        ['allow', true],
        [ID, true],
      ]);
      expect(methodNotAllowed.content['application/json']?.example.error.type).toBe('method_not_allowed');
      expect(document.info.description).toContain(
        '- 405 method_not_allowed: The route exists but not for this HTTP method. Sent for a method that the path is not served with. Its `Allow` header',
      );
    });
  });
});
