import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH } from './limits.js';
import { createOpenApiDocument } from './openapi-document.js';
import { validateRerankRequest } from './validate-rerank-request.js';

// Ajv comes with @apidevtools/swagger-parser (a dev dependency); its 2020-12 build reads OpenAPI 3.1 schemas.
const requireFromSwaggerParser = createRequire(
  createRequire(import.meta.url).resolve('@apidevtools/swagger-parser'),
);
type Validate = ((data: unknown) => boolean) & { errors?: unknown };
type AjvInstance = {
  addSchema(schema: object, key: string): void;
  compile(schema: object): Validate;
};
const Ajv2020 = (
  requireFromSwaggerParser('ajv/dist/2020') as { default: new (options: object) => AjvInstance }
).default;

/** An example in the spec and the JSON pointer of the schema it must satisfy. */
interface SpecExample {
  /** Where the example is, for the failure message. */
  at: string;
  /** The JSON pointer of its schema. */
  schema: string;
  /** The example. */
  value: unknown;
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
const NOT_SCHEMAS = new Set(['examples', 'example', 'enum', 'const', 'default', 'required', 'x-codeSamples']);

/** Every `examples` entry of every schema and every media type `example`, with the schema it belongs to. */
function collectExamples(node: unknown, pointer: string, inSchema: boolean, found: SpecExample[]): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) collectExamples(item, `${pointer}/${index}`, inSchema, found);
    return;
  }
  const record = node as Record<string, unknown>;
  if (inSchema && Array.isArray(record.examples)) {
    for (const [index, value] of record.examples.entries()) {
      found.push({ at: `${pointer}/examples/${index}`, schema: pointer, value });
    }
  }
  if ('schema' in record && 'example' in record) {
    found.push({ at: `${pointer}/example`, schema: `${pointer}/schema`, value: record.example });
  }
  for (const [key, child] of Object.entries(record)) {
    if (NOT_SCHEMAS.has(key)) continue;
    const childPointer = `${pointer}/${escapePointer(key)}`;
    const childInSchema = inSchema || key === 'schema' || pointer === '#/components/schemas';
    collectExamples(child, childPointer, childInSchema, found);
  }
}

function specValidator() {
  const document = structuredClone(createOpenApiDocument()) as unknown as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ ...document, $id: 'openapi' }, 'openapi');
  return {
    document,
    validate(schemaPointer: string, value: unknown) {
      const validate = ajv.compile({ $ref: `openapi${schemaPointer}` });
      return validate(value) ? undefined : validate.errors;
    },
  };
}

describe('OpenAPI spec examples', () => {
  it('every example validates against its own schema', () => {
    const { document, validate } = specValidator();
    const examples: SpecExample[] = [];
    collectExamples(document, '#', false, examples);
    // The request, response, error and model examples, and every error status's example body.
    expect(examples.length).toBeGreaterThan(30);
    for (const example of examples) {
      expect(
        validate(example.schema, example.value),
        `${example.at} against ${example.schema}`,
      ).toBeUndefined();
    }
  });

  it("the cURL sample's body validates against RerankRequest", () => {
    const { document, validate } = specValidator();
    const operation = (document.paths as Record<string, Record<string, Record<string, unknown>>>)[
      '/v1/rerank'
    ]!.post!;
    const samples = operation['x-codeSamples'] as { label: string; source: string }[];
    const curl = samples.find((sample) => sample.label === 'cURL')!.source;
    const body = JSON.parse(/-d '(.*)'$/s.exec(curl)![1]!);
    expect(validate('#/components/schemas/RerankRequest', body)).toBeUndefined();
  });

  it('rejects what the server rejects: an empty or blank query', () => {
    const { validate } = specValidator();
    const base = { model: 'qwen3-rerank', documents: ['a'] };
    expect(validate('#/components/schemas/RerankRequest', { ...base, query: 'q' })).toBeUndefined();
    expect(validate('#/components/schemas/RerankRequest', { ...base, query: '' })).toBeDefined();
    expect(validate('#/components/schemas/RerankRequest', { ...base, query: ' \n\t\u00a0' })).toBeDefined();
  });

  it('counts a length limit as the server does: in characters, an emoji being one (not two UTF-16 units)', () => {
    const { validate } = specValidator();
    const emoji = '\u{1F600}';
    const base = { model: 'qwen3-rerank', documents: ['a'] };
    for (const [query, accepted] of [
      [emoji.repeat(MAX_QUERY_LENGTH), true],
      [emoji.repeat(MAX_QUERY_LENGTH + 1), false],
    ] as const) {
      expect(validate('#/components/schemas/RerankRequest', { ...base, query }) === undefined).toBe(accepted);
      expect(validateRerankRequest({ ...base, query }, 'req_limit').success).toBe(accepted);
    }
  });

  it('agrees with the server on integers beyond 2^53 (top_n, max_tokens_per_doc): JSON Schema integers have no upper bound', () => {
    const { validate } = specValidator();
    const base = { model: 'qwen3-rerank', query: 'q', documents: ['a'] };
    for (const body of [
      { ...base, top_n: 2 ** 63 },
      { ...base, top_n: 1e300 },
      { ...base, max_tokens_per_doc: 2 ** 63 },
    ]) {
      expect(validate('#/components/schemas/RerankRequest', body), JSON.stringify(body)).toBeUndefined();
      expect(validateRerankRequest(body, 'req_limit').success, JSON.stringify(body)).toBe(true);
    }
    for (const body of [
      { ...base, top_n: 1.5 },
      { ...base, top_n: 0 },
      { ...base, max_tokens_per_doc: 2.5 },
    ]) {
      expect(validate('#/components/schemas/RerankRequest', body), JSON.stringify(body)).toBeDefined();
      expect(validateRerankRequest(body, 'req_limit').success, JSON.stringify(body)).toBe(false);
    }
  });

  it("states the request's defaults as JSON Schema defaults", () => {
    const { document } = specValidator();
    const schemas = (
      document.components as { schemas: Record<string, { properties: Record<string, unknown> }> }
    ).schemas;
    expect(schemas.RerankRequest!.properties.return_documents).toMatchObject({
      type: 'boolean',
      default: true,
    });
  });
});
