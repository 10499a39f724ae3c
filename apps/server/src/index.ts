export { createBackend } from './backends/create-backend.js';
export type { ConfigReferenceEntry } from './config/config-reference-entry.js';
export { ConfigError, type LoadServerConfigOptions, loadServerConfig } from './config/load-server-config.js';
export {
  BackendConfig,
  Bm25BackendConfig,
  Bm25BackendOptionsConfig,
  DEFAULT_MODELS,
  ModelConfig,
  ModelsConfig,
} from './config/model-config.js';
export { CONFIG_REFERENCE, ServerConfig, type ServerConfigInput } from './config/server-config.js';
export {
  APP_MODEL_HINTS,
  type ConfiguredServer,
  type CreateServerFromConfigOptions,
  createModelRegistry,
  createServerFromConfig,
} from './create-server-from-config.js';
