import { MAX_QUERY_LENGTH, type Model, type ModelList } from '@sealink/rerank-contract';

/** The `created` time the mock reports for every model (2025-11-26, Unix seconds). */
export const MOCK_MODEL_CREATED = 1_764_115_200;

/** The model entries the mock reports in `GET /v1/models`. */
export function mockModelList(models: readonly string[], maxDocuments: number): ModelList {
  const data: Model[] = models.map((id) => ({
    id,
    object: 'model',
    created: MOCK_MODEL_CREATED,
    owned_by: 'sealink',
    max_documents: maxDocuments,
    context_length: MAX_QUERY_LENGTH,
    supports_instruction: id !== 'bm25',
    description: `A mock of ${id}: deterministic lexical scores from @sealink/rerank-mock-server.`,
  }));
  return { object: 'list', data };
}
