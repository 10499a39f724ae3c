import { z } from 'zod';

/** A model the server serves, with its limits. */
export const Model = z
  .object({
    /** The customer-visible model id, used as `model` in rerank requests. */
    id: z.string().meta({ description: 'The customer-visible model id.', examples: ['qwen3-rerank'] }),
    /** Always `model`. */
    object: z.literal('model').meta({ description: 'Always "model".' }),
    /** Unix time, in seconds, at which the model was registered. */
    created: z
      .int()
      .min(0)
      .meta({ description: 'Unix time, in seconds, at which the model was registered.' }),
    /** Who serves the model, for example `sealink`. */
    owned_by: z.string().meta({ description: 'Who serves the model.', examples: ['sealink'] }),
    /** The most documents one request to this model may carry. */
    max_documents: z
      .int()
      .min(1)
      .meta({ description: 'The most documents one request to this model may carry.' }),
    /** The most tokens the model reads of one query and document pair. */
    context_length: z
      .int()
      .min(1)
      .meta({ description: 'The most tokens the model reads of one query-document pair.' }),
    /** Whether the model follows the request's `instruction`. */
    supports_instruction: z
      .boolean()
      .meta({ description: "Whether the model follows the request's instruction." }),
    /** A sentence about the model. */
    description: z.string().optional().meta({ description: 'A sentence about the model.' }),
  })
  .meta({
    id: 'Model',
    description: 'A model the server serves, with its limits.',
    examples: [
      {
        id: 'bm25',
        object: 'model',
        created: 1_764_115_200,
        owned_by: 'sealink',
        max_documents: 1000,
        context_length: 32_768,
        supports_instruction: false,
        description: 'Embedded Okapi BM25: a lexical baseline that runs offline.',
      },
    ],
  });

/** A model the server serves. */
export type Model = z.infer<typeof Model>;

/** The body of `GET /v1/models`. */
export const ModelList = z
  .object({
    /** Always `list`. */
    object: z.literal('list').meta({ description: 'Always "list".' }),
    /** The models. */
    data: z.array(Model).meta({ description: 'The models.' }),
  })
  .meta({ id: 'ModelList', description: 'The models the server serves.' });

/** The body of `GET /v1/models`. */
export type ModelList = z.infer<typeof ModelList>;
