export { breakContract } from './break-contract.js';
export { createMockApp, type MockApp, type MockControls, type MockEnv } from './create-mock-app.js';
export type { MockEngineOptions, MockQwen3Mode } from './engines/mock-engine-options.js';
export { type MockEngine, startMockEngine } from './engines/start-mock-engine.js';
export { countTokens, lexicalScore, tokenize } from './lexical-score.js';
export { MockConnectionResetError } from './mock-connection-reset-error.js';
export {
  checkMockFault,
  InvalidMockFaultError,
  type MockErrorFault,
  type MockFault,
  type MockFaultKind,
  MockFaultSchema,
  type MockLatencyFault,
  type MockRateLimit,
  type MockResetFault,
  parseMockFault,
} from './mock-fault.js';
export {
  type MockFaultMatcher,
  type MockFaultRule,
  type MockFaultRuleOptions,
  MockFaults,
} from './mock-faults.js';
export {
  DEFAULT_MOCK_MODELS,
  type FixedResponse,
  type MockAppOptions,
  type MockLatency,
  type MockProxyOptions,
  type MockServerOptions,
} from './mock-options.js';
export {
  DEFAULT_JOURNAL_LIMIT,
  type JournalEntry,
  REDACTED,
  REDACTED_HEADERS,
  REDACTED_QUERY_PARAMETERS,
} from './request-journal.js';
export { type MockServer, startMockServer } from './start-mock-server.js';
