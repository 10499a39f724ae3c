export {
  type BeirFolderContent,
  SMALL_BEIR_FOLDER,
  type TemporaryBeirFolder,
  writeBeirFolder,
} from '../evaluation/write-beir-folder.js';
export { type RedisServerHandle, startRedisServer } from '../rate-limit/start-redis-server.js';
export { type CapturedLogger, captureLogger } from './capture-logger.js';
export { ConstantScoreBackend, type ConstantScoreBackendOptions } from './constant-score-backend.js';
export {
  gatedBackend,
  type RecordedScoringCall,
  type ScoringScript,
  ScriptedBackend,
  type ScriptedBackendOptions,
  untilAborted,
  wordOverlapScore,
} from './scripted-backend.js';
