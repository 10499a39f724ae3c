import {
  Bm25Backend,
  type Bm25BackendOptions,
  createUpstreamBackendFromConfig,
  type ScoringBackend,
} from '@sealink/rerank-server';
import type { BackendConfig } from '../config/model-config.js';

/** The options without the keys a configuration leaves undefined. */
function definedOptions<T extends object>(
  options: T | undefined,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  if (options === undefined) return {};
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Creates the backend instance a model's configuration describes; one `case` per backend type. */
export function createBackend(config: BackendConfig): ScoringBackend {
  switch (config.type) {
    case 'bm25': {
      const options: Bm25BackendOptions = definedOptions(config.options);
      return new Bm25Backend(options);
    }
    default:
      // Every other type is an upstream engine or provider; its API key comes from the environment.
      return createUpstreamBackendFromConfig(config);
  }
}
