import { MAX_DOCUMENTS, MAX_INSTRUCTION_LENGTH, MAX_MODEL_ID_LENGTH } from '@sealink/rerank-contract';
import { UpstreamBackendConfig } from '@sealink/rerank-server';
import { z } from 'zod';

/** The options of the embedded BM25 backend, as `Bm25Backend` takes them. */
export const Bm25BackendOptionsConfig = z
  .strictObject({
    k1: z.number().min(0).max(10).optional().meta({ description: 'Term frequency saturation. Default 1.2.' }),
    b: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .meta({ description: 'Length normalisation, 0 (none) to 1 (full). Default 0.75.' }),
    saturation: z
      .number()
      .positive()
      .optional()
      .meta({ description: 'The raw BM25 score that maps to a relevance score of 0.5. Default 10.' }),
    stopWords: z.boolean().optional().meta({ description: 'Drop English stop words. Default true.' }),
    stemming: z
      .boolean()
      .optional()
      .meta({ description: 'Reduce English words to their Porter stem. Default true.' }),
    maxDocumentsPerCall: z
      .int()
      .min(1)
      .optional()
      .meta({ description: 'The most documents one call may carry.' }),
    contextLength: z
      .int()
      .min(1)
      .optional()
      .meta({ description: 'The most tokens read of the query and of each document.' }),
  })
  .meta({ description: 'Options of the embedded BM25 backend.' });

/** A backend of type `bm25`: the embedded Okapi BM25 model, pure TypeScript, offline. */
export const Bm25BackendConfig = z
  .strictObject({
    type: z.literal('bm25').meta({ description: 'The embedded Okapi BM25 model.' }),
    options: Bm25BackendOptionsConfig.optional(),
  })
  .meta({ description: 'The embedded Okapi BM25 backend.' });

/**
 * The backend of a model, told apart by `type`: the embedded `bm25`, or an upstream inference engine or
 * hosted rerank API (`tei`, `vllm`, `vllm-score`, `infinity`, `llama-cpp`, `cohere`, `jina`, `voyage`,
 * `dashscope`, ...; see `UpstreamBackendConfig`). New kinds join this union as new members, so existing
 * configuration files stay valid.
 */
export const BackendConfig = z
  .discriminatedUnion('type', [Bm25BackendConfig, UpstreamBackendConfig])
  .meta({ description: 'The backend that scores for a model, by type.' });

/** The backend of a model. */
export type BackendConfig = z.infer<typeof BackendConfig>;

/** One model of the registry: a customer-visible id and its backend, limits and listing. */
export const ModelConfig = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(MAX_MODEL_ID_LENGTH)
      .regex(/^[A-Za-z0-9._:/-]+$/, { error: 'a model id may only have letters, digits and . _ : / -' })
      .meta({ description: 'The customer-visible model id, as sent in `model`.' }),
    backend: BackendConfig,
    default_instruction: z
      .string()
      .max(MAX_INSTRUCTION_LENGTH)
      .optional()
      .meta({ description: 'The instruction sent to the backend when a request has none.' }),
    max_documents: z
      .int()
      .min(1)
      .max(MAX_DOCUMENTS)
      .optional()
      .meta({ description: `The most documents one request may carry. Default ${MAX_DOCUMENTS}.` }),
    max_concurrent_calls: z
      .int()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: 'Backend calls one split request may run at once. Default 4.' }),
    owned_by: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Who serves the model, as listed. Default `sealink`.' }),
    description: z.string().optional().meta({ description: 'A sentence about the model, as listed.' }),
  })
  .meta({ description: 'One model of the registry.' });

/** One model of the registry. */
export type ModelConfig = z.infer<typeof ModelConfig>;

/** The models of the registry: at least one, ids unique. */
export const ModelsConfig = z
  .array(ModelConfig)
  .min(1, { error: 'the registry needs at least one model' })
  .superRefine((models, context) => {
    const seen = new Set<string>();
    models.forEach((model, index) => {
      if (seen.has(model.id)) {
        context.addIssue({
          code: 'custom',
          message: `the model id '${model.id}' appears twice`,
          path: [index, 'id'],
        });
      }
      seen.add(model.id);
    });
  })
  .meta({ description: 'The models the server serves.' });

/** The default registry: the embedded BM25 model only. */
export const DEFAULT_MODELS: ModelConfig[] = [
  {
    id: 'bm25',
    backend: { type: 'bm25' },
    description: 'Embedded Okapi BM25: a strong lexical baseline that runs offline, not a neural model.',
  },
];
