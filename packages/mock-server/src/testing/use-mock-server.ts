import { afterAll, beforeAll } from 'vitest';
import type { MockServerOptions } from '../mock-options.js';
import { type MockServer, startMockServer } from '../start-mock-server.js';

/**
 * One mock server on a real socket for the tests of the calling `describe` block (or file): started
 * before the first test, closed after the last. Returns the getter of the running server.
 */
export function useMockServer(options?: MockServerOptions): () => MockServer {
  let mock: MockServer | undefined;
  beforeAll(async () => {
    mock = await startMockServer(options);
  });
  afterAll(async () => {
    await mock?.close();
  });
  return () => {
    if (mock === undefined) throw new Error('the mock server is not started yet: call this inside a test');
    return mock;
  };
}
