import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/**
 * A hand-written engine: `listener` served on 127.0.0.1, port 0. `await using` closes it, cutting open
 * connections.
 */
export async function serveEngine(listener: RequestListener): Promise<{ url: string } & AsyncDisposable> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
