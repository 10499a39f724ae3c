import {
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  type Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import {
  createContractHttpServer,
  unroutableRequestResponse,
  urlHost,
} from '@sealink/rerank-contract/node-http';
import type { Hono } from 'hono';
import type { Env } from 'hono/types';
import { nodeRouteOf } from './node-routes.js';
import { drainCutObserverOf, outsideAnswerObserverOf } from './outside-answer-observer.js';

/** Where a connection keeps the count of requests it has received and not yet answered (pipelined ones included). */
const PENDING_ANSWERS = Symbol('sealink.pendingAnswers');

/** The headers `writeHead` takes. */
type OutgoingHeaders = OutgoingHttpHeaders | OutgoingHttpHeader[];

/** A connection with its {@link PENDING_ANSWERS}. */
type CountedSocket = Socket & { [PENDING_ANSWERS]?: number };

/** Options of {@link serveRerankApp}. */
export interface ServeRerankAppOptions {
  /** The address to listen on; `127.0.0.1` by default (use `0.0.0.0` in a container). */
  hostname?: string | undefined;
  /** The port; `0` (any free port) by default. */
  port?: number | undefined;
  /** Called once when {@link RerankServer.close} starts draining, for example to abort the app's `drainSignal`. */
  onDrainStart?: (() => void) | undefined;
}

/** Options of {@link RerankServer.close}. */
export interface CloseRerankServerOptions {
  /** How long in-flight requests may take to finish before their connections are cut; 10 s by default. */
  drainTimeoutMs?: number | undefined;
}

/** A running HTTP server; `await using` closes it. */
export interface RerankServer extends AsyncDisposable {
  /** The base URL, for example `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Node's server. */
  readonly server: Server;
  /**
   * Stops accepting connections, lets in-flight requests finish within the drain deadline (answering
   * requests that still arrive on open connections through the app's drain state), then cuts what is
   * left (an app from `createRerankApp` counts and logs each request cut so as 503, not as a client gone).
   * Resolves `true` when everything finished within the deadline.
   */
  close(options?: CloseRerankServerOptions): Promise<boolean>;
}

const DRAIN_POLL_MS = 50;

/**
 * Serves a Hono app on Node's HTTP server, resolving once it listens. Routes the app registered with
 * `registerNodeRoutes` (the rerank routes of `createRerankApp`) are answered straight from `node:http`;
 * every other request goes to the app through `@hono/node-server`. Requests Node's own parser or the
 * adapter rejects (a broken request line, oversized headers, a target that is not a URL, no `Host`) are
 * answered with the contract's error body (`createContractHttpServer`, `unroutableRequestResponse`), and
 * counted in the metrics of an app from `createRerankApp`, under route `malformed`.
 */
export async function serveRerankApp<E extends Env>(
  app: Hono<E>,
  options: ServeRerankAppOptions = {},
): Promise<RerankServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  let closing: Promise<boolean> | undefined;
  /**
   * Node's response, but for one thing: an answer written during the drain says `Connection: close` (Node
   * would say keep-alive) so that Node closes the connection after it, unless a request pipelined behind
   * it is still to be answered there (its own drain answer says close). A client told keep-alive sends its
   * next request on a connection the drain cuts as soon as it is idle, and gets a reset without knowing
   * whether that request was served; told close, it opens a new connection, which the closed listener
   * refuses. A subclass (http's `ServerResponse` option) rather than a listener and a wrapped `writeHead`
   * per request, which cost the request hot path about 1.5 microseconds of CPU in the overhead benchmark.
   */
  class DrainAwareResponse extends ServerResponse {
    constructor(...args: ConstructorParameters<typeof ServerResponse>) {
      super(...args);
      const connection = this.req.socket as CountedSocket;
      connection[PENDING_ANSWERS] = (connection[PENDING_ANSWERS] ?? 0) + 1;
    }

    // Node writes every head through writeHead, an implicit one (a bare `end`) included.
    override writeHead(statusCode: number, statusMessage?: string, headers?: OutgoingHeaders): this;
    override writeHead(statusCode: number, headers?: OutgoingHeaders): this;
    override writeHead(
      statusCode: number,
      statusMessageOrHeaders?: string | OutgoingHeaders,
      headers?: OutgoingHeaders,
    ): this {
      if (closing !== undefined && !this.headersSent) {
        const connection = this.req.socket as CountedSocket;
        if ((connection[PENDING_ANSWERS] ?? 0) <= 1) this.setHeader('connection', 'close');
      }
      // Node takes the headers from the second argument when it is no status message.
      return super.writeHead(statusCode, statusMessageOrHeaders as string | undefined, headers);
    }

    // Node detaches the response from its connection once the answer is written.
    override detachSocket(socket: Socket): void {
      const connection = socket as CountedSocket;
      connection[PENDING_ANSWERS] = (connection[PENDING_ANSWERS] ?? 1) - 1;
      super.detachSocket(socket);
    }
  }
  // Typed as Node's class, which is generic in its request type; the server creates it with its own requests.
  const drainAware = DrainAwareResponse as typeof ServerResponse;
  // The authority of this server's URL: an IPv6 address in brackets and canonical, as a URL writes it.
  const host = urlHost(hostname);
  // Told of the requests answered here without the app (the rerank app counts them in its metrics).
  const answeredOutside = outsideAnswerObserverOf(app);
  const honoListener = getRequestListener(app.fetch, {
    // The host of requests that name none (HTTP/1.0, an empty `Host`). Bracketed: a bare IPv6 address
    // makes no URL, and such requests would get 400 on an IPv6 listener only.
    hostname: host,
    // A target the adapter cannot make into a URL (bad Host, backslash, `OPTIONS *`): the contract's 400.
    errorHandler:
      answeredOutside === undefined
        ? unroutableRequestResponse
        : (error: unknown) => {
            const response = unroutableRequestResponse(error);
            answeredOutside({
              status: response.status,
              requestId: response.headers.get('x-request-id') ?? undefined,
            });
            return response;
          },
  });
  // Malformed HTTP outside the app (parser errors, no Host, CONNECT, unknown Expect) is answered in the
  // contract's shape by the contract's server.
  const server = createContractHttpServer(
    (incoming: IncomingMessage, outgoing: ServerResponse): void => {
      const nodeRoute = nodeRouteOf(app, incoming);
      if (nodeRoute === undefined) void honoListener(incoming, outgoing);
      else nodeRoute(incoming, outgoing);
    },
    answeredOutside === undefined
      ? { ServerResponse: drainAware }
      : { ServerResponse: drainAware, onAnswered: answeredOutside },
  );
  server.listen(options.port ?? 0, hostname);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const close = (closeOptions: CloseRerankServerOptions = {}): Promise<boolean> => {
    closing ??= (async () => {
      options.onDrainStart?.();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections close at once; busy ones close when their answer is sent.
      const poll = setInterval(() => server.closeIdleConnections(), DRAIN_POLL_MS);
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), closeOptions.drainTimeoutMs ?? 10_000);
      });
      const drained = await Promise.race([closed.then(() => true as const), deadline]);
      clearInterval(poll);
      clearTimeout(timer);
      if (!drained) {
        // The app learns first that the requests still in flight are cut by the server, not by their clients.
        drainCutObserverOf(app)?.();
        server.closeAllConnections();
        await closed;
      }
      return drained;
    })();
    return closing;
  };

  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close,
    async [Symbol.asyncDispose]() {
      await close({ drainTimeoutMs: 1000 });
    },
  };
}
