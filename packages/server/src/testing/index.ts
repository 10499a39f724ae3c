export { type CapturedLogger, captureLogger } from './capture-logger.js';
export { ConstantScoreBackend, type ConstantScoreBackendOptions } from './constant-score-backend.js';
export {
  type RecordedScoringCall,
  type ScoringScript,
  ScriptedBackend,
  type ScriptedBackendOptions,
  untilAborted,
  wordOverlapScore,
} from './scripted-backend.js';
