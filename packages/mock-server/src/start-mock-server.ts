import { once } from 'node:events';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import {
  createContractHttpServer,
  unroutableRequestResponse,
  urlHost,
} from '@sealink/rerank-contract/node-http';
import { createMockApp, type MockApp, type MockControls } from './create-mock-app.js';
import type { MockFaults } from './mock-faults.js';
import { type MockServerOptions, splitMockServerOptions } from './mock-options.js';
import type { JournalEntry } from './request-journal.js';

/** A running mock server; `await using` closes it. */
export interface MockServer extends MockControls, AsyncDisposable {
  /** The base URL, for example `http://127.0.0.1:41234` (no trailing slash, no `/v1`). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The Hono app it serves. */
  readonly app: MockApp;
  /**
   * Stops listening, ends every open connection (hangs included) and waits until the server is closed.
   * Afterwards `faults.enqueue()`, `enqueueAll()` and `when()` throw; `requests` and `clear()` still work.
   */
  close(): Promise<void>;
}

/**
 * Starts the mock on a real socket (port 0 and 127.0.0.1 by default).
 *
 * ```ts
 * await using mock = await startMockServer({ apiKeys: ['test-key'] });
 * mock.faults.enqueue({ kind: 'error', status: 429, retryAfter: '1' });
 * const answer = await fetch(`${mock.url}/v1/rerank`, ...);
 * ```
 * @throws RangeError or TypeError for an option out of range; the listen error (for example `EADDRINUSE`).
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const app = createMockApp(splitMockServerOptions(options));
  const host = options.host ?? '127.0.0.1';
  // Made once the port is known: no request arrives before the server listens.
  let listener: RequestListener | undefined;
  // Malformed HTTP (parser errors, a target that is not a URL, no Host, CONNECT) gets the contract's error
  // body, through the same server the real one uses.
  const server = createContractHttpServer((incoming, outgoing) => listener?.(incoming, outgoing));
  server.listen(options.port ?? 0, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  listener = getRequestListener(app.fetch, {
    overrideGlobalObjects: options.overrideGlobalObjects ?? false,
    errorHandler: unroutableRequestResponse,
    // The authority of requests that name none (HTTP/1.0 without Host, an empty Host), as the server
    // answers them, instead of a 400; `/openapi.json` then names this server.
    hostname: `${urlHost(host)}:${port}`,
  });
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      server.closeAllConnections();
      await serverClosed;
    })();
    return closed;
  };
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    app,
    get requests(): readonly JournalEntry[] {
      return app.requests;
    },
    get unmatchedRequests(): readonly JournalEntry[] {
      return app.unmatchedRequests;
    },
    get faults(): MockFaults {
      return app.faults;
    },
    clear: () => app.clear(),
    close,
    [Symbol.asyncDispose]: close,
  };
}
