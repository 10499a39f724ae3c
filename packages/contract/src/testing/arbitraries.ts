import fc from 'fast-check';
import { MAX_DOCUMENT_LENGTH, MAX_DOCUMENTS, MAX_MODEL_ID_LENGTH, MAX_QUERY_LENGTH } from '../limits.js';
import { RERANK_REQUEST_FIELDS, type RerankDocument, type RerankRequest } from '../rerank-request.js';

const WORDS = [
  'rerank',
  'model',
  'query',
  'document',
  'gateway',
  'qwen',
  'api',
  'search',
  'retrieval',
  'quality',
  'the',
  'a',
  'of',
  'sourdough',
  'starter',
  'feeding',
  'protein',
  'cell',
  'cancer',
  'gene',
  'Straße',
  'données',
  '検索',
  'модель',
  '42',
  'x86_64',
  'RAG',
  'improve',
  'best',
  'for',
];

/** Text of every kind: words that overlap with queries, any Unicode, lone surrogates, white space. */
export const textArbitrary = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.array(fc.constantFrom(...WORDS), { maxLength: 30 }).map((words) => words.join(' ')),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t', '\u00a0') },
  );

/** A query that passes validation: at least one character that is not white space. */
export const queryArbitrary: fc.Arbitrary<string> = textArbitrary(100).filter(
  (query) => query.trim().length > 0,
);

/** A document as a string or as `{ text }`. */
export const documentArbitrary = (maxLength = 200): fc.Arbitrary<RerankDocument> =>
  fc.oneof(
    { weight: 3, arbitrary: textArbitrary(maxLength) },
    { weight: 1, arbitrary: textArbitrary(maxLength).map((text) => ({ text })) },
  );

/** Options of {@link rerankRequestArbitrary}. */
export interface RerankRequestArbitraryOptions {
  /** The model ids to draw from; any valid id when omitted. */
  models?: readonly string[];
  /** The most documents a request gets; 20 by default. */
  maxDocuments?: number;
}

/** A random request that passes `RerankRequest` validation. */
export function rerankRequestArbitrary(
  options: RerankRequestArbitraryOptions = {},
): fc.Arbitrary<RerankRequest> {
  const model =
    options.models === undefined
      ? fc.string({ minLength: 1, maxLength: 40 })
      : fc.constantFrom(...options.models);
  return fc
    .record(
      {
        model,
        query: queryArbitrary,
        documents: fc.array(documentArbitrary(), { minLength: 1, maxLength: options.maxDocuments ?? 20 }),
        top_n: fc.integer({ min: 1, max: 30 }),
        return_documents: fc.boolean(),
        instruction: textArbitrary(80),
        max_tokens_per_doc: fc.integer({ min: 1, max: 4096 }),
      },
      { requiredKeys: ['model', 'query', 'documents'] },
    )
    .map((request) => request as RerankRequest);
}

/** A request broken in one place, and the `param` the error must name. */
export interface InvalidRerankRequest {
  /** The broken body. */
  body: Record<string, unknown>;
  /** The JSON path that the error's `param` must name. */
  param: string;
}

const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
const notAnInteger = fc.oneof(fc.double({ noInteger: true }), fc.string(), fc.boolean(), fc.constant(null));
const notABoolean = fc.oneof(fc.integer(), fc.string(), fc.constant(null));

/** A random request with exactly one thing wrong, and the field the error must name. */
export function invalidRerankRequestArbitrary(): fc.Arbitrary<InvalidRerankRequest> {
  const base = rerankRequestArbitrary({ maxDocuments: 5 }).map(
    (request) => ({ ...request }) as Record<string, unknown>,
  );
  const withDocuments = (body: Record<string, unknown>) => body.documents as unknown[];
  return fc.oneof(
    base.map((body) => {
      const { model: _model, ...rest } = body;
      return { body: rest, param: 'model' };
    }),
    fc
      .tuple(base, fc.oneof(notAString, fc.constant(''), fc.constant('m'.repeat(MAX_MODEL_ID_LENGTH + 1))))
      .map(([body, model]) => ({ body: { ...body, model }, param: 'model' })),
    fc
      .tuple(base, fc.oneof(notAString, fc.constantFrom('', ' ', '\n\t ', 'q'.repeat(MAX_QUERY_LENGTH + 1))))
      .map(([body, query]) => ({ body: { ...body, query }, param: 'query' })),
    fc
      .tuple(
        base,
        fc.oneof(
          notAString.filter((value) => !Array.isArray(value)),
          fc.constant([]),
        ),
      )
      .map(([body, documents]) => ({ body: { ...body, documents }, param: 'documents' })),
    base.map((body) => ({
      body: { ...body, documents: Array.from({ length: MAX_DOCUMENTS + 1 }, () => 'd') },
      param: 'documents',
    })),
    fc
      .tuple(
        base,
        fc.nat(),
        fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })),
      )
      .map(([body, position, document]) => {
        const documents = [...withDocuments(body)];
        const index = position % documents.length;
        documents[index] = document;
        return { body: { ...body, documents }, param: `documents[${index}]` };
      }),
    fc
      .tuple(base, fc.nat(), fc.oneof(notAString, fc.constant('x'.repeat(MAX_DOCUMENT_LENGTH + 1))))
      .map(([body, position, text]) => {
        const documents = [...withDocuments(body)];
        const index = position % documents.length;
        documents[index] = typeof text === 'string' ? text : { text };
        return {
          body: { ...body, documents },
          param: typeof text === 'string' ? `documents[${index}]` : `documents[${index}].text`,
        };
      }),
    fc.tuple(base, fc.nat()).map(([body, position]) => {
      const documents = [...withDocuments(body)];
      const index = position % documents.length;
      documents[index] = { text: 'a document', title: 'extra' };
      return { body: { ...body, documents }, param: `documents[${index}].title` };
    }),
    fc.tuple(base, fc.oneof(notAnInteger, fc.integer({ max: 0 }))).map(([body, top_n]) => ({
      body: { ...body, top_n },
      param: 'top_n',
    })),
    fc.tuple(base, notABoolean).map(([body, return_documents]) => ({
      body: { ...body, return_documents },
      param: 'return_documents',
    })),
    fc
      .tuple(base, notAString)
      .map(([body, instruction]) => ({ body: { ...body, instruction }, param: 'instruction' })),
    fc.tuple(base, fc.oneof(notAnInteger, fc.integer({ max: 0 }))).map(([body, max_tokens_per_doc]) => ({
      body: { ...body, max_tokens_per_doc },
      param: 'max_tokens_per_doc',
    })),
    fc
      .tuple(
        base,
        fc
          .string({ minLength: 1, maxLength: 20 })
          .filter((key) => !(RERANK_REQUEST_FIELDS as string[]).includes(key) && key !== '__proto__'),
        fc.jsonValue(),
      )
      .map(([body, key, value]) => ({ body: { ...body, [key]: value }, param: key })),
  );
}

/** Random bodies of any kind: JSON values of every type, broken JSON text, bytes that are not UTF-8. */
export const junkBodyArbitrary: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    '{',
    '{"model":',
    '[]',
    'null',
    '{"model":"bm25","query":"q","documents":["a"],}',
    '\u0000',
  ),
  fc.uint8Array({ maxLength: 64 }),
  invalidRerankRequestArbitrary().map(({ body }) => JSON.stringify(body)),
);
