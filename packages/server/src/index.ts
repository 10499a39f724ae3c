export type {
  ScoringBackend,
  ScoringBackendLimits,
  ScoringBackendV1,
  ScoringCallOptionsV1,
  ScoringResultV1,
  ScoringWarning,
} from './backend/scoring-backend-v1.js';
export { ScoringError, type ScoringErrorOptions } from './backend/scoring-error.js';
export {
  type RateLimitDecision,
  RequestRateLimiter,
  type RequestRateLimiterOptions,
  rateLimitHeaders,
} from './rate-limit/request-rate-limiter.js';
