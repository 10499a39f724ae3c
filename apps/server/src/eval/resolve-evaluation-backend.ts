import { Bm25Backend, type Bm25BackendOptions, type ScoringBackend } from '@sealink/rerank-server';
import { createBackend } from '../backends/create-backend.js';
import { loadServerConfig } from '../config/load-server-config.js';
import { EvaluationUsageError } from './evaluation-usage-error.js';

/** Options of {@link resolveEvaluationBackend}. */
export interface ResolveEvaluationBackendOptions {
  /** The environment the server configuration is read from (`SEALINK_MODELS_FILE`, `SEALINK_CONFIG`...). */
  env: Readonly<Record<string, string | undefined>>;
  /** A server configuration file. */
  configPath?: string | undefined;
  /** For BM25 models: how many documents to keep analysed across queries (the corpus size). */
  documentCacheSize?: number | undefined;
}

/**
 * The backend of a model id, looked up in the server's model registry as the server would build it from
 * the same environment and configuration file (by default: the embedded `bm25` model). A BM25 model gets a
 * document cache as large as the corpus, so each corpus document is analysed once for all queries; its
 * scores are the same as without. Throws an {@link EvaluationUsageError} naming the known ids otherwise.
 */
export function resolveEvaluationBackend(
  modelId: string,
  options: ResolveEvaluationBackendOptions,
): ScoringBackend {
  const config = loadServerConfig({ env: options.env, configPath: options.configPath });
  const model = config.models.find((candidate) => candidate.id === modelId);
  if (model === undefined) {
    const known = config.models.map((candidate) => candidate.id).join(', ');
    throw new EvaluationUsageError(`unknown model "${modelId}"; the model registry has: ${known}`);
  }
  if (model.backend.type === 'bm25') {
    const settings = Object.fromEntries(
      Object.entries(model.backend.options ?? {}).filter(([, value]) => value !== undefined),
    ) as Bm25BackendOptions;
    return new Bm25Backend({
      ...settings,
      ...(options.documentCacheSize === undefined ? {} : { documentCacheSize: options.documentCacheSize }),
    });
  }
  return createBackend(model.backend);
}
