import { z } from 'zod';

/** One ranked document. */
export const RerankResult = z
  .object({
    /** The position of the document in the request's `documents`. */
    index: z.int().min(0).meta({ description: "The position of the document in the request's documents." }),
    /** The document, present unless the request set `return_documents: false`. */
    document: z
      .object({
        /** The text of the document, as sent. */
        text: z.string().meta({ description: 'The text of the document, as sent.' }),
      })
      .optional()
      .meta({ description: 'The document; omitted when the request set return_documents to false.' }),
    /** How relevant the document is to the query, from 0 to 1; higher is more relevant. */
    relevance_score: z.number().min(0).max(1).meta({
      description: 'How relevant the document is to the query, from 0 to 1; higher is more relevant.',
    }),
  })
  .meta({ id: 'RerankResult', description: 'One ranked document.' });

/** One ranked document. */
export type RerankResult = z.infer<typeof RerankResult>;

/** Token usage of one rerank request. */
export const RerankUsage = z
  .object({
    /** The tokens the backend counted for the query and documents; some backends estimate it. */
    total_tokens: z.int().min(0).meta({
      description: 'Tokens counted for the query and documents. Backends without a tokenizer estimate it.',
    }),
  })
  .meta({
    id: 'RerankUsage',
    description:
      "Token usage of the request. This server always sends it; the public API page's response example has none, so clients treat it as optional.",
  });

/** Token usage of one rerank request. */
export type RerankUsage = z.infer<typeof RerankUsage>;

/**
 * The body of a successful `POST /v1/rerank`. Response schemas accept and drop unknown fields, so the API
 * can add fields without breaking released clients; request schemas reject them.
 */
export const RerankResponse = z
  .object({
    /** The id of this ranking: `rerank-` followed by hexadecimal digits. */
    id: z
      .string()
      .regex(/^rerank-[0-9a-f]+$/)
      .meta({
        description: 'The id of this ranking: rerank- and hexadecimal digits.',
        examples: ['rerank-b1a2c3d4'],
      }),
    /** The model, as requested. */
    model: z.string().meta({ description: 'The model, as requested.', examples: ['qwen3-rerank'] }),
    /** The ranked documents, by `relevance_score` descending, ties by `index` ascending. */
    results: z
      .array(RerankResult)
      .meta({ description: 'The ranked documents, by relevance_score descending, ties by index ascending.' }),
    /**
     * Token usage. This server and the mock always send it; the public API page's response example has
     * none, so a client must not require it.
     */
    usage: RerankUsage.optional(),
  })
  .meta({
    id: 'RerankResponse',
    description: 'The documents ranked against the query.',
    examples: [
      {
        id: 'rerank-b1a2c3d4',
        model: 'qwen3-rerank',
        results: [
          {
            index: 2,
            document: { text: 'Rerank models improve retrieval quality for RAG.' },
            relevance_score: 0.95,
          },
          {
            index: 0,
            document: { text: 'SeaLink exposes one rerank API with customer-visible model IDs.' },
            relevance_score: 0.82,
          },
        ],
        usage: { total_tokens: 41 },
      },
    ],
  });

/** The body of a successful `POST /v1/rerank`. */
export type RerankResponse = z.infer<typeof RerankResponse>;
