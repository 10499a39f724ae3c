export { ApiKeyVerifier, type ApiKeyVerifierOptions, digestApiKey } from './auth/api-key-verifier.js';
export type {
  ReplicaCounts,
  ScoringBackend,
  ScoringBackendLimits,
  ScoringBackendV1,
  ScoringCallOptionsV1,
  ScoringResultV1,
  ScoringWarning,
} from './backend/scoring-backend-v1.js';
export { ScoringError, type ScoringErrorOptions } from './backend/scoring-error.js';
export { type AnalyzeTextOptions, analyzeText } from './bm25/analyze-text.js';
export {
  Bm25Backend,
  type Bm25BackendOptions,
  type Bm25Settings,
} from './bm25/bm25-backend.js';
export {
  type Bm25TermFrequencyInput,
  bm25InverseDocumentFrequency,
  bm25RelevanceScore,
  bm25TermFrequencyWeight,
} from './bm25/bm25-formula.js';
export { ENGLISH_STOP_WORDS } from './bm25/english-word-analysis.js';
export {
  createRerankApp,
  DEFAULT_MODEL_HINTS,
  type RerankApp,
  type RerankAppAuth,
  type RerankAppEnv,
  type RerankAppOptions,
} from './create-rerank-app.js';
export { BeirFormatError } from './evaluation/beir-format-error.js';
export {
  beirDocumentText,
  type EvaluateRankingOptions,
  type EvaluationMetrics,
  type EvaluationScorer,
  evaluateRanking,
} from './evaluation/evaluate-ranking.js';
export {
  ndcgAtK,
  type RelevanceJudgements,
  recallAtK,
  reciprocalRankAtK,
} from './evaluation/ranking-metrics.js';
export {
  type BeirDataset,
  type BeirDocument,
  type BeirQuery,
  type ReadBeirDatasetOptions,
  readBeirDataset,
} from './evaluation/read-beir-dataset.js';
export {
  allowedMethodsOf,
  OPERATIONAL_ROUTES,
  PUBLIC_API_ROUTES,
  type ServedRoute,
  toHonoPath,
} from './http/api-routes.js';
export { type CorsOptions, CorsPolicy, isCorsOrigin } from './http/cors-policy.js';
export { DeadlineSweeper, type SweptDeadline } from './http/deadline-sweeper.js';
export {
  type ReadRequestBodyOptions,
  RequestBodyAbortedError,
  type RequestBodyRead,
  readRequestBody,
} from './http/read-request-body.js';
export { ClientDisconnectedError, RequestDeadlineError } from './http/request-abort-reasons.js';
export { RequestDeadline } from './http/request-deadline.js';
export {
  createLogDestination,
  LineBatchingDestination,
  type LineBatchingOptions,
  type LineBatchTarget,
} from './logging/line-batching-destination.js';
export {
  type ModelReplicaCounts,
  ServerMetrics,
  type ServerMetricsOptions,
} from './metrics/server-metrics.js';
export {
  type RateLimitDecision,
  RequestRateLimiter,
  type RequestRateLimiterOptions,
  rateLimitHeaders,
} from './rate-limit/request-rate-limiter.js';
export { type ModelLoadState, ModelRegistrationError, ModelRegistry } from './registry/model-registry.js';
export type { ModelRegistration, RegisteredModel } from './registry/registered-model.js';
export {
  BackendContractError,
  type ScoreDocumentsInput,
  type ScoredDocuments,
  type ScoringAbort,
  scoreDocuments,
  scoringAbortFromSignal,
} from './scoring/score-documents.js';
export {
  type CloseRerankServerOptions,
  type RerankServer,
  type ServeRerankAppOptions,
  serveRerankApp,
} from './serve/serve-rerank-app.js';
export { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './upstream/circuit-breaker.js';
export {
  type ActiveHealthCheckOptions,
  ReplicaPool,
  type ReplicaPoolOptions,
} from './upstream/replica-pool.js';
export { type DocumentBatch, splitIntoBatches } from './upstream/split-into-batches.js';
export {
  UpstreamBackend,
  type UpstreamBackendOptions,
  type UpstreamPromptTemplate,
} from './upstream/upstream-backend.js';
export {
  createUpstreamBackendFromConfig,
  UpstreamBackendConfig,
  UpstreamConfigError,
} from './upstream/upstream-backend-config.js';
export { UpstreamConformanceError } from './upstream/upstream-conformance-error.js';
export {
  UPSTREAM_TYPE_DIALECTS,
  UPSTREAM_TYPES,
  type UpstreamEngine,
  type UpstreamType,
  upstreamEngine,
} from './upstream/upstream-engines.js';
export { UpstreamReplica, type UpstreamReplicaOptions } from './upstream/upstream-replica.js';
export type {
  UpstreamReplicaEvent,
  UpstreamReplicaEventListener,
} from './upstream/upstream-replica-event.js';
