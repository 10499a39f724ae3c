import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH, renderOpenApiJson } from '../scripts/generate-openapi.js';
import { ERROR_TYPE_NAMES, ERROR_TYPES } from './error-types.js';
import { createOpenApiDocument } from './openapi-document.js';

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

  it('declares bearer auth, the page example, every error status and three code samples', () => {
    const document = createOpenApiDocument();
    expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const operation = document.paths?.['/v1/rerank']?.post;
    expect(operation?.security).toEqual([{ bearerAuth: [] }]);
    const statuses = Object.keys(operation?.responses ?? {});
    expect(statuses).toEqual(['200', ...ERROR_TYPE_NAMES.map((type) => String(ERROR_TYPES[type].status))]);
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
});
