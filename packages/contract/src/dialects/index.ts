/**
 * Provider and engine dialects: zod schemas of each rerank API's request, answer and error body, pure
 * converters between them and the contract's canonical request and ranking, the per-engine score
 * mapping to [0, 1] (`DIALECTS`), the Qwen3-Reranker prompt and score, a checker for the
 * near-constant or near-random scores of a misconfigured engine, and the codecs that serve a rerank route
 * in the contract's shape or in a provider's (`NATIVE_RERANK_CODEC`, `dialectRerankCodec`).
 * @module
 */
export {
  CohereV1Document,
  CohereV1RerankRequest,
  CohereV1RerankResponse,
  CohereV1RerankResult,
  cohereV1Dialect,
} from './cohere-v1.js';
export {
  CohereErrorBody,
  CohereMeta,
  CohereV2RerankRequest,
  CohereV2RerankResponse,
  CohereV2RerankResult,
  cohereV2Dialect,
  describeCohereError,
} from './cohere-v2.js';
export {
  DashScopeErrorBody,
  DashScopeRerankRequest,
  DashScopeRerankResponse,
  DashScopeRerankResult,
  DashScopeUsage,
  dashScopeDialect,
  describeDashScopeError,
} from './dashscope.js';
export {
  DashScopeCompatibleErrorBody,
  DashScopeCompatibleRerankRequest,
  DashScopeCompatibleRerankResponse,
  dashScopeCompatibleDialect,
} from './dashscope-compatible.js';
export {
  type DegenerateScoreOptions,
  type DegenerateScoreReport,
  detectDegenerateScores,
  RELEVANCE_FIXTURE,
} from './detect-degenerate-scores.js';
export { DIALECT_NAMES, type DialectName } from './dialect-name.js';
export { DialectResponseError } from './dialect-response-error.js';
export { dialectResponseInputOf } from './dialect-response-input-of.js';
export { DIALECTS, type DialectInfo, type DialectTokenLimit } from './dialects.js';
export {
  DialectQuery,
  DialectTexts,
  type EchoedDocument,
  EngineDocument,
  EngineIndex,
  EngineScoreValue,
  engineDocumentText,
  NonNegativeInt,
  PositiveInt,
} from './engine-fields.js';
export {
  describeInfinityError,
  InfinityErrorBody,
  InfinityRerankRequest,
  InfinityRerankResponse,
  InfinityRerankResult,
  infinityDialect,
} from './infinity.js';
export {
  DetailErrorBody,
  describeDetailError,
  JinaRerankRequest,
  JinaRerankResponse,
  JinaRerankResult,
  jinaDialect,
} from './jina.js';
export {
  LlamaCppRerankRequest,
  LlamaCppRerankResponse,
  LlamaCppRerankResult,
  llamaCppDialect,
} from './llama-cpp.js';
export { describeOpenAiError, OpenAiErrorBody } from './openai-error-body.js';
export { parseDialectBody } from './parse-dialect-body.js';
export {
  formatQwen3RerankerBody,
  formatQwen3RerankerDocument,
  formatQwen3RerankerPrompt,
  formatQwen3RerankerQuery,
  parseQwen3RerankerDocument,
  parseQwen3RerankerQuery,
  QWEN3_RERANKER_DEFAULT_INSTRUCTION,
  QWEN3_RERANKER_PREFIX,
  QWEN3_RERANKER_SUFFIX,
  QWEN3_RERANKER_TOKEN_IDS,
  QWEN3_RERANKER_VLLM_HF_OVERRIDES,
  type Qwen3RerankerPair,
  qwen3RerankerScore,
} from './qwen3-reranker.js';
export { type EngineScore, readRankedScores, scoresInRequestOrder } from './read-ranked-scores.js';
export type {
  DialectErrorDescription,
  DialectRequestOptions,
  DialectResponseInput,
  FromDialectRequestOptions,
  ParseDialectResponseOptions,
  ParsedRerankScores,
  RankedScore,
  RerankDialect,
} from './rerank-dialect.js';
export {
  type DecodedRerankRequest,
  dialectRerankCodec,
  NATIVE_RERANK_CODEC,
  type RerankRouteCodec,
} from './rerank-route-codec.js';
export {
  logit,
  MAX_LOGIT,
  PROBABILITY_TOLERANCE,
  SCORE_MAPPINGS,
  type ScoreMapping,
  sigmoid,
  toEngineScore,
  toRelevanceScore,
} from './score-mapping.js';
export {
  describeTeiError,
  TeiErrorBody,
  TeiRank,
  TeiRerankRequest,
  TeiRerankResponse,
  TeiTruncationDirection,
  teiDialect,
} from './tei.js';
export { type EngineResult, toEngineScores } from './to-engine-scores.js';
export { type NormalizedRequestFields, toNormalizedRequest } from './to-normalized-request.js';
export {
  describeVllmError,
  VLLM_TRUNCATE_TO_MODEL_LENGTH,
  VllmErrorBody,
  VllmRerankRequest,
  VllmRerankResponse,
  VllmRerankResult,
  VllmTruncatePromptTokens,
  VllmUnauthorizedBody,
  VllmUsage,
  vllmCanonicalTexts,
  vllmQueryAndDocuments,
  vllmRerankDialect,
} from './vllm-rerank.js';
export { VllmScoreData, VllmScoreRequest, VllmScoreResponse, vllmScoreDialect } from './vllm-score.js';
export { VoyageRerankRequest, VoyageRerankResponse, VoyageRerankResult, voyageDialect } from './voyage.js';
