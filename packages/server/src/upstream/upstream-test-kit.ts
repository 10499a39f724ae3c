import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
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

/**
 * A TEI backend on the one replica `url`, without health checks, whose breaker and Retry-After holds read
 * the time from `now`.
 */
export function createClockedBackend(url: string, now: () => number): UpstreamBackend & AsyncDisposable {
  return createDisposableBackend({
    type: 'tei',
    baseUrls: [url],
    model: 'm',
    breaker: { now },
    healthCheck: false,
  });
}

/** Calls `handle` with the `texts` of a TEI scoring request once its whole body has arrived. */
export function readTeiTexts(incoming: IncomingMessage, handle: (texts: string[]) => void): void {
  const chunks: Buffer[] = [];
  incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
  incoming.once('end', () => {
    const { texts } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { texts: string[] };
    handle(texts);
  });
}

/** Answers a TEI scoring request 200, every text scored 0 (a logit: 0.5 once mapped). */
export function answerTeiZeroScores(outgoing: ServerResponse, texts: readonly string[]): void {
  outgoing.writeHead(200, { 'content-type': 'application/json' });
  outgoing.end(JSON.stringify(texts.map((_, index) => ({ index, score: 0 }))));
}

/** One scripted answer of {@link startScriptedTei}: a status, its headers, and a body. */
export interface ScriptedAnswer {
  /** The HTTP status. */
  status: number;
  /** Headers besides `content-type: application/json`. */
  headers?: Record<string, string>;
  /** The body; a TEI-style overload error by default. */
  body?: string;
}

/**
 * A TEI-like engine on 127.0.0.1 that gives its scripted answers in turn (a function is called when the
 * request arrives, so a date can be made then), then scores every document 0 (a logit: 0.5). `requests()`
 * counts the scoring requests it received.
 */
export async function startScriptedTei(script: ReadonlyArray<ScriptedAnswer | (() => ScriptedAnswer)>) {
  let requests = 0;
  const engine = await serveEngine((incoming, outgoing) => {
    readTeiTexts(incoming, (texts) => {
      const scripted = script[requests];
      requests++;
      if (scripted !== undefined) {
        const answer = typeof scripted === 'function' ? scripted() : scripted;
        outgoing.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        outgoing.end(answer.body ?? '{"error":"scripted failure","error_type":"Overloaded"}');
        return;
      }
      answerTeiZeroScores(outgoing, texts);
    });
  });
  return { ...engine, requests: () => requests };
}
