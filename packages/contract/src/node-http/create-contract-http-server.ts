import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import { answerClientErrorObserved, answerConnectRequestObserved } from './answer-client-error.js';
import { answerMissingHost } from './answer-unroutable-request.js';
import type { ContractServerAnswerObserver } from './contract-server-answer.js';

/** Options of {@link createContractHttpServer}: Node's server options, and an observer of its own answers. */
export interface ContractHttpServerOptions extends ServerOptions {
  /**
   * Told of each answer the server gives itself, outside `listener` (malformed HTTP, a missing or repeated
   * `Host`, `CONNECT`), once it is written, so that an app can count them in its metrics; the requests the
   * listener answers are not reported. A request the listener already has whose body then breaks (bad
   * chunked framing) is answered here, and reported with that `request`: the listener, which sees its body
   * read fail, should count it instead, with this answer. An error it throws is ignored: the answer is
   * written all the same.
   */
  onAnswered?: ContractServerAnswerObserver | undefined;
}

/**
 * A `node:http` server whose every answer outside the app is in the contract's shape, so no input gets
 * Node's bare status line, an empty body or a dropped connection:
 * - requests Node's parser rejects get {@link answerClientError};
 * - an HTTP/1.1 request without `Host`, or any request with several, gets {@link answerMissingHost}
 *   (Node's own check is turned off, since it answers an empty 400, and Node takes the first of several);
 * - `CONNECT` gets {@link answerConnectRequest} (405; Node would drop it);
 * - an `Expect` other than `100-continue` is ignored and the request answered as usual (RFC 9110
 *   section 10.1.1 allows either; Node would answer an empty 417);
 * - `Expect: 100-continue` gets `100 Continue` only once the app reads the body, so a request refused
 *   from its headers alone is answered before the client uploads anything.
 * The server and the mock server both serve through it, so they answer malformed HTTP alike. Its own
 * answers are reported to `options.onAnswered`, so that they can be counted.
 */
export function createContractHttpServer(
  listener: RequestListener,
  options: ContractHttpServerOptions = {},
): Server {
  const { onAnswered: observer, ...serverOptions } = options;
  // The answer is written whatever the observer does: one that throws (a broken metric) would otherwise
  // leave the malformed request unanswered and, thrown from Node's event handlers, crash the process.
  const onAnswered: ContractServerAnswerObserver | undefined =
    observer === undefined
      ? undefined
      : (answer) => {
          try {
            observer(answer);
          } catch {
            // Ignored: counting an answer must not stop it.
          }
        };
  const guarded: RequestListener = (incoming, outgoing) => {
    if (!answerMissingHost(incoming, outgoing, onAnswered)) listener(incoming, outgoing);
  };
  const server = createServer({ ...serverOptions, requireHostHeader: false }, guarded);
  server.on('clientError', (error: Error, socket) => answerClientErrorObserved(error, socket, onAnswered));
  server.on('connect', (request: IncomingMessage, socket) =>
    answerConnectRequestObserved(request, socket, onAnswered),
  );
  server.on('checkExpectation', guarded);
  server.on('checkContinue', (incoming: IncomingMessage, outgoing: ServerResponse) => {
    inviteBodyWhenRead(incoming, outgoing);
    guarded(incoming, outgoing);
  });
  return server;
}

/**
 * Sends `100 Continue` once the app starts reading the body (it listens for `data` or `readable`), rather
 * than at once as Node does by default: an answer decided from the headers alone (a `Content-Length` over
 * the limit, a missing key, a wrong content type) then goes out before the client uploads the body for
 * nothing, as RFC 9110 section 10.1.1 intends.
 */
function inviteBodyWhenRead(incoming: IncomingMessage, outgoing: ServerResponse): void {
  const invite = (event: string | symbol) => {
    if (event !== 'data' && event !== 'readable') return;
    incoming.off('newListener', invite);
    if (!outgoing.headersSent && !outgoing.writableEnded) outgoing.writeContinue();
  };
  incoming.on('newListener', invite);
}
