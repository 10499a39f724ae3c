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
  /** The directory relative paths (`SEALINK_MODELS_FILE`, `SEALINK_CONFIG`) are read from; the working directory by default. */
  cwd?: string | undefined;
  /**
   * How many documents each query ranks (the corpus size). A BM25 model keeps that many analysed across
   * queries and takes that many in one call, so the whole corpus is scored with one set of document
   * frequencies.
   */
  corpusSize?: number | undefined;
}

/**
 * The backend of a model id, looked up in the server's model registry as the server would build it from
 * the same environment and configuration file (by default: the embedded `bm25` model). A BM25 model gets a
 * document cache as large as the corpus, so each corpus document is analysed once for all queries (its
 * scores are the same as without), and a per-call limit of at least the corpus size, whatever its
 * configured `maxDocumentsPerCall`: BM25's document frequencies are those of the documents of one call, so
 * scoring the corpus in slices would give each slice its own IDF and the evaluation would no longer be full
 * retrieval. Throws an {@link EvaluationUsageError} naming the known ids otherwise.
 */
export function resolveEvaluationBackend(
  modelId: string,
  options: ResolveEvaluationBackendOptions,
): ScoringBackend {
  // The evaluation serves nothing, so the server's rule that production needs API keys does not apply
  // (the Docker image sets NODE_ENV=production and runs the evaluation too).
  const config = loadServerConfig({
    env: options.env,
    configPath: options.configPath,
    cwd: options.cwd,
    requireKeysInProduction: false,
  });
  const model = config.models.find((candidate) => candidate.id === modelId);
  if (model === undefined) {
    const known = config.models.map((candidate) => candidate.id).join(', ');
    throw new EvaluationUsageError(`unknown model "${modelId}"; the model registry has: ${known}`);
  }
  if (model.backend.type === 'bm25') {
    const settings = Object.fromEntries(
      Object.entries(model.backend.options ?? {}).filter(([, value]) => value !== undefined),
    ) as Bm25BackendOptions;
    const { corpusSize } = options;
    if (corpusSize === undefined) return new Bm25Backend(settings);
    return new Bm25Backend({
      ...settings,
      documentCacheSize: corpusSize,
      maxDocumentsPerCall: Math.max(1, corpusSize, settings.maxDocumentsPerCall ?? 0),
    });
  }
  return createBackend(model.backend);
}
