import { type MockEngine, type MockEngineOptions, startMockEngine } from '@sealink/rerank-mock-server';
import { ScoringError } from '../backend/scoring-error.js';
import { UpstreamBackend, type UpstreamBackendOptions } from './upstream-backend.js';

/** An upstream backend as a disposable resource, for `await using` in tests and benchmarks. */
export function createDisposableBackend(options: UpstreamBackendOptions): UpstreamBackend & AsyncDisposable {
  const backend = new UpstreamBackend(options) as UpstreamBackend & AsyncDisposable;
  backend[Symbol.asyncDispose] = () => backend.close();
  return backend;
}

/** Starts `count` mock engines of one dialect (TEI by default), disposed together. */
export async function startMockEngines(
  count: number,
  options: Partial<MockEngineOptions> = {},
): Promise<MockEngine[] & AsyncDisposable> {
  const engines: MockEngine[] = [];
  for (let index = 0; index < count; index++)
    engines.push(await startMockEngine({ dialect: 'tei', ...options }));
  return Object.assign(engines, {
    [Symbol.asyncDispose]: async () => {
      await Promise.all(engines.map((engine) => engine.close()));
    },
  });
}

/** The {@link ScoringError} a call rejects with; fails when it resolves or rejects with anything else. */
export async function scoringErrorOf(promise: PromiseLike<unknown>): Promise<ScoringError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ScoringError) return error;
    throw error;
  }
  throw new Error('expected a ScoringError');
}
