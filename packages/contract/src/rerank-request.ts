import { z } from 'zod';
import { EXAMPLE_RERANK_REQUEST } from './code-samples.js';
import {
  MAX_DOCUMENT_LENGTH,
  MAX_DOCUMENTS,
  MAX_INSTRUCTION_LENGTH,
  MAX_MODEL_ID_LENGTH,
  MAX_QUERY_LENGTH,
} from './limits.js';

const isProvided = (input: unknown) => input !== undefined;

/** A candidate document: a plain string, or an object with its text. Both mean the same text. */
export const RerankDocument = z
  .union(
    [
      z.string().max(MAX_DOCUMENT_LENGTH, {
        error: `a document may have at most ${MAX_DOCUMENT_LENGTH} characters`,
      }),
      z
        .strictObject(
          {
            /** The text of the document. */
            text: z
              .string({
                error: (issue) => (isProvided(issue.input) ? 'text must be a string' : 'text is required'),
              })
              .max(MAX_DOCUMENT_LENGTH, {
                error: `a document may have at most ${MAX_DOCUMENT_LENGTH} characters`,
              }),
          },
          { error: 'a document object may only have the field text' },
        )
        .meta({ id: 'RerankDocumentObject', description: 'A document given as an object with its text.' }),
    ],
    { error: 'a document must be a string or an object { "text": string }' },
  )
  .meta({
    id: 'RerankDocument',
    description: `A candidate document: a string, or { "text": string }. At most ${MAX_DOCUMENT_LENGTH} characters; empty text is allowed and scores like any document.`,
  });

/** A candidate document: a plain string, or an object with its text. */
export type RerankDocument = z.infer<typeof RerankDocument>;

/**
 * An integer of 1 or more, as JSON Schema's `integer` means it: any number without a fraction, those beyond
 * 2^53 too (`z.int()` refuses them), so that a `top_n` of Python's `sys.maxsize` means "all", as the spec
 * allows. The JSON Schema of the field is stated in its `meta` (`type: integer, minimum: 1`), as the
 * spec generator would otherwise call it a number.
 */
function positiveInteger(field: string) {
  return z
    .number({ error: `${field} must be an integer` })
    .refine(Number.isInteger, { error: `${field} must be an integer`, abort: true })
    .min(1, { error: `${field} must be at least 1` });
}

/** The body of `POST /v1/rerank`. */
export const RerankRequest = z
  .strictObject({
    /** The customer-visible model id, for example `qwen3-rerank` or `bm25`. */
    model: z
      .string({
        error: (issue) => (isProvided(issue.input) ? 'model must be a string' : 'model is required'),
      })
      .min(1, { error: 'model must not be empty' })
      .max(MAX_MODEL_ID_LENGTH, { error: `model may have at most ${MAX_MODEL_ID_LENGTH} characters` })
      .meta({ description: 'The customer-visible model id.', examples: ['qwen3-rerank'] }),
    /** The query to rank the documents against. Not empty and not only white space. */
    query: z
      .string({
        error: (issue) => (isProvided(issue.input) ? 'query must be a string' : 'query is required'),
      })
      .max(MAX_QUERY_LENGTH, { error: `query may have at most ${MAX_QUERY_LENGTH} characters` })
      // A pattern rather than a refinement, so that the spec says it too (`pattern: \S`, as String#trim's white space).
      .regex(/\S/, { error: 'query must not be empty or only white space' })
      .meta({
        description: `The query to rank the documents against; not empty, at most ${MAX_QUERY_LENGTH} characters.`,
        examples: ['best API gateway for Qwen models'],
      }),
    /** The candidate documents, 1 to {@link MAX_DOCUMENTS} of them. */
    documents: z
      .array(RerankDocument, {
        error: (issue) => (isProvided(issue.input) ? 'documents must be an array' : 'documents is required'),
      })
      .min(1, { error: 'documents must have at least 1 item' })
      .max(MAX_DOCUMENTS, { error: `documents may have at most ${MAX_DOCUMENTS} items` })
      .meta({ description: `The candidate documents, 1 to ${MAX_DOCUMENTS} of them.` }),
    /** How many results to return, best first. Omitted means all; more than the number of documents means all. */
    top_n: positiveInteger('top_n')
      .optional()
      .meta({
        type: 'integer',
        minimum: 1,
        description:
          'How many results to return, best first. Omit to return all; a value above the number of documents returns all.',
        examples: [2],
      }),
    /** Whether each result carries `document.text`. Defaults to `true`. */
    return_documents: z
      .boolean({ error: 'return_documents must be a boolean' })
      .default(true)
      .meta({ description: 'Whether each result carries document.text. Defaults to true.' }),
    /** A task instruction for instruction-following rerankers such as Qwen3-Reranker. */
    instruction: z
      .string({ error: 'instruction must be a string' })
      .max(MAX_INSTRUCTION_LENGTH, {
        error: `instruction may have at most ${MAX_INSTRUCTION_LENGTH} characters`,
      })
      .optional()
      .meta({
        description:
          'A task instruction for instruction-following rerankers such as Qwen3-Reranker; models that take none ignore it.',
        examples: ['Given a web search query, retrieve relevant passages that answer the query'],
      }),
    /**
     * Each document is truncated to this many tokens before scoring where the backend supports it (the
     * embedded BM25, Cohere v2); engines such as TEI and vLLM only cut each pair to the model's length.
     */
    max_tokens_per_doc: positiveInteger('max_tokens_per_doc').optional().meta({
      type: 'integer',
      minimum: 1,
      description:
        "Each document is truncated to this many tokens before scoring, where the model's backend supports it (the embedded BM25, Cohere v2); engines such as TEI and vLLM only cut each query-document pair to the model's length.",
    }),
  })
  .meta({
    id: 'RerankRequest',
    description: 'Rank candidate documents against a query.',
    examples: [EXAMPLE_RERANK_REQUEST],
  });

/**
 * The body of `POST /v1/rerank`, as sent. `documents` may be a readonly array (`as const`, `ReadonlyArray`):
 * nothing that sends a request changes it.
 */
export type RerankRequest = Omit<z.input<typeof RerankRequest>, 'documents'> & {
  /** The candidate documents, as strings or `{ text }` objects. */
  documents: readonly z.input<typeof RerankDocument>[];
};

/** The field names a rerank request may have. */
export const RERANK_REQUEST_FIELDS = Object.keys(RerankRequest.shape) as (keyof RerankRequest)[];
