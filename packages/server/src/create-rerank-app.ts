import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import {
  authenticationError,
  bearerTokenOf,
  bodyTooLargeError,
  buildRerankResponse,
  checkContentEncoding,
  checkJsonContentType,
  checkTransferEncoding,
  createErrorResponse,
  createOpenApiDocument,
  createRequestId,
  DEFAULT_MAX_BODY_BYTES,
  type ErrorAnswer,
  invalidUtf8Error,
  type ModelList,
  methodNotAllowedError,
  modelNotFoundError,
  parseJsonBody,
  requestIdFor,
  requestReceiveTimeoutError,
  routeNotFoundError,
  tooManyDocumentsError,
} from '@sealink/rerank-contract';
import {
  dialectRerankCodec,
  NATIVE_RERANK_CODEC,
  type RerankRouteCodec,
} from '@sealink/rerank-contract/dialects';
import { type Context, Hono } from 'hono';
import type { NotFoundHandler } from 'hono/types';
import { type Logger, pino } from 'pino';
import { ApiKeyVerifier, digestApiKey } from './auth/api-key-verifier.js';
import { ScoringError } from './backend/scoring-error.js';
import {
  allowedMethodsOf,
  COMPATIBILITY_ROUTES,
  OPERATIONAL_ROUTES,
  PUBLIC_API_ROUTES,
  routePatternOf,
} from './http/api-routes.js';
import { type CorsOptions, CorsPolicy } from './http/cors-policy.js';
import { DeadlineSweeper } from './http/deadline-sweeper.js';
import { DISCARD_TIMEOUT_MS, discardUnreadBody } from './http/discard-unread-body.js';
import { nodeHeaderValue } from './http/node-header-value.js';
import { RequestBodyAbortedError, readRequestBody } from './http/read-request-body.js';
import { ClientDisconnectedError, RequestDeadlineError } from './http/request-abort-reasons.js';
import { RequestDeadline } from './http/request-deadline.js';
import { settleUnreadBody, type UnreadBodyLimits } from './http/settle-unread-body.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import {
  type RateLimitDecision,
  type RequestRateLimiter,
  rateLimitHeaders,
} from './rate-limit/request-rate-limiter.js';
import type { ModelRegistry } from './registry/model-registry.js';
import { scoreDocuments } from './scoring/score-documents.js';
import { registerNodeRoutes } from './serve/node-routes.js';
import {
  type OutsideAnswer,
  registerDrainCutObserver,
  registerOutsideAnswerObserver,
} from './serve/outside-answer-observer.js';

/** Hints for model ids that a server commonly lacks, sent with their 404. */
export const DEFAULT_MODEL_HINTS: Readonly<Record<string, string>> = {
  'qwen3-rerank':
    "'qwen3-rerank' is served once a Qwen3-Reranker backend (an upstream engine or a local model) is registered under that id in the server's model registry.",
};

/** How the app authenticates API requests. */
export type RerankAppAuth =
  | {
      /** API keys in clear text; only their SHA-256 digests are kept. */
      apiKeys?: readonly string[] | undefined;
      /** SHA-256 digests of API keys (64 hexadecimal digits each). */
      apiKeyDigests?: readonly string[] | undefined;
    }
  | {
      /** Turns authentication off, for local development only; the app logs a warning when it starts. */
      disabled: true;
    };

/** Options of {@link createRerankApp}. */
export interface RerankAppOptions {
  /** The models the app serves. The caller loads and closes it; requests to a model not yet loaded get 503. */
  registry: ModelRegistry;
  /** API keys, or authentication explicitly off. At least one key is required unless it is off. */
  auth: RerankAppAuth;
  /** Where structured JSON logs go; a pino logger to stdout by default. Logs never hold keys or document text. */
  logger?: Logger | undefined;
  /** The Prometheus metrics; a fresh registry of this app's own by default. */
  metrics?: ServerMetrics | undefined;
  /** The largest request body, in bytes, enforced while streaming; the contract's 10 MiB by default. */
  maxBodyBytes?: number | undefined;
  /**
   * The deadline of a rerank request, in milliseconds, from its arrival (its headers read) to its answer:
   * the wait for the rate limiter's decision, the body's upload and the backend all count against it; 30 s
   * by default.
   */
  requestTimeoutMs?: number | undefined;
  /** Aborted when the server starts draining: new requests then get 503 `overloaded_error` and `Retry-After`. */
  drainSignal?: AbortSignal | undefined;
  /** The `Retry-After` seconds sent with 503 answers while draining or loading; 5 by default. */
  retryAfterSeconds?: number | undefined;
  /** Extra sentences for the 404 of model ids the server lacks, by id; {@link DEFAULT_MODEL_HINTS} by default. */
  modelHints?: Readonly<Record<string, string>> | undefined;
  /** The `servers` of `GET /openapi.json`; the server itself (`/`) by default. */
  openApiServers?: { url: string; description?: string }[] | undefined;
  /**
   * The model of compatibility requests that name none (TEI's `POST /rerank`); the first registered
   * model by default.
   */
  defaultModel?: string | undefined;
  /**
   * A per-key request budget for the rerank routes (`RequestRateLimiter`, in memory or shared through Redis).
   * The budget is per API key (a digest of the bearer token, however the header spells its scheme), or per client address when auth is off. Over the
   * budget: 429 `rate_limit_error` with `Retry-After`; every answer of a counted request carries the
   * `x-ratelimit-*` headers. The wait for its decision counts against `requestTimeoutMs`: a request still
   * waiting at its deadline gets 504 `request_timeout`, without those headers. Off by default.
   */
  rateLimiter?: RequestRateLimiter | undefined;
  /**
   * Cross-origin access for browser pages (`CorsPolicy`): the origins allowed to call the API. Their
   * requests' answers, errors included, carry `Access-Control-Allow-Origin`, and their preflights get 204.
   * Off by default: browsers then refuse cross-origin calls (API keys rarely belong in a browser page).
   */
  cors?: CorsOptions | undefined;
}

/** The Hono environment of the rerank app: Node's request and response when served by `@hono/node-server`. */
export interface RerankAppEnv {
  /** Node's `IncomingMessage` and `ServerResponse`; absent in-process and on other runtimes. */
  Bindings: Partial<HttpBindings>;
}

/** The Hono app that {@link createRerankApp} returns. */
export type RerankApp = Hono<RerankAppEnv>;

type RerankContext = Context<RerankAppEnv>;

/** The paths of the operational routes, logged at debug level. */
const OPERATIONAL_PATHS: ReadonlySet<string> = new Set(
  Object.values(OPERATIONAL_ROUTES).map((route) => route.path),
);

/** What one request's log line and metrics say, filled in as the request is handled. */
interface RequestRecord {
  /**
   * The request id, sanitised from `X-Request-Id` or generated; the one the server's own answer carried
   * when it answered the request instead of the app ({@link ServerAnswer}).
   */
  requestId: string;
  /** The route pattern that answered (for a 405, the pattern of the path's route); `unmatched` for 404s. */
  readonly route: string;
  /** The registered model the request used; empty otherwise. */
  model: string;
  /** The documents the request carried. */
  documentCount: number;
  /** What the request's one log line says beyond the usual fields, when anything; `undefined` for most. */
  note: LogNote | undefined;
}

/**
 * What a request's log line adds for the operator: why its backend failed or what failed unexpectedly
 * (with the line's message and at least the line's level), or its backend's warnings. Carried by the
 * request's own line rather than a line of its own, so that each request has exactly one.
 */
interface LogNote {
  /** The line's message. */
  readonly msg?: string;
  /** The least level of the line: a backend that is only unavailable (a 503) is still worth a warning. */
  readonly level?: 'warn' | 'error';
  /** Fields added to the line. */
  readonly fields: Record<string, unknown>;
}

/**
 * A request as the runtime-neutral handlers see it, whether it came through Hono (in-process
 * `app.request`, other runtimes, or Node through `@hono/node-server`) or straight from `node:http`.
 */
interface RequestInput {
  /** The HTTP method. */
  readonly method: string;
  /** A request header by lower-case name; repeated headers joined with `, `. */
  header(name: string): string | undefined;
  /** Where the body comes from: Node's request when served on Node, a web stream otherwise. */
  readonly body: IncomingMessage | ReadableStream<Uint8Array> | null;
  /** The client's address, when known. */
  readonly remoteAddress: string | undefined;
  /** Node's request, when served on Node. */
  readonly incoming: IncomingMessage | undefined;
  /**
   * Calls `onGone` once if the client disconnects before its answer is sent (at once when it already
   * has); the returned function stops watching. Called at most once, and only when a backend needs it.
   */
  watchClient(onGone: () => void): () => void;
}

/** What the server answered itself to a request the app had: its status and request id. */
interface ServerAnswer {
  readonly status: number;
  readonly requestId: string | undefined;
}

/** An answer before it is written: status, plain-object headers and body (`null` for none). */
interface PlainAnswer {
  /** The HTTP status. */
  readonly status: number;
  /** The response headers, lower-case names. */
  readonly headers: Record<string, string>;
  /** The body text, or `null`. */
  readonly body: string | null;
}

/** A route handler: the request, and the record it fills in for the log line and metrics. */
type RecordedHandler = (
  c: RerankContext,
  record: RequestRecord,
  input: RequestInput,
) => PlainAnswer | Promise<PlainAnswer>;

/**
 * The request of a Hono context. On Node it reads Node's request headers (`nodeHeaderValue`): going
 * through `c.req.header` would build a web `Headers` object per request for the same answer.
 */
function honoRequestInput(c: RerankContext): RequestInput {
  const incoming = c.env?.incoming;
  const outgoing = c.env?.outgoing;
  return {
    method: c.req.method,
    header: incoming === undefined ? (name) => c.req.header(name) : (name) => nodeHeaderValue(incoming, name),
    body: incoming ?? c.req.raw.body,
    remoteAddress: incoming?.socket.remoteAddress,
    incoming,
    watchClient: (onGone) => {
      // On Node, the connection itself: the request's signal misses a connection that closes while the
      // request's answer waits behind another's (pipelined).
      if (incoming !== undefined && outgoing !== undefined)
        return watchNodeClient(incoming, outgoing, onGone);
      const signal = c.req.raw.signal;
      if (signal.aborted) {
        onGone();
        return () => {};
      }
      signal.addEventListener('abort', onGone, { once: true });
      return () => signal.removeEventListener('abort', onGone);
    },
  };
}

/** The request of Node's `IncomingMessage`, served straight from `node:http`. */
function nodeRequestInput(incoming: IncomingMessage, outgoing: ServerResponse): RequestInput {
  return {
    method: incoming.method ?? 'POST',
    header: (name) => nodeHeaderValue(incoming, name),
    body: incoming,
    remoteAddress: incoming.socket.remoteAddress,
    incoming,
    watchClient: (onGone) => watchNodeClient(incoming, outgoing, onGone),
  };
}

/**
 * What runs when a connection closes, by connection: one `close` listener per connection, however many of
 * its requests (pipelined) are watching it.
 */
const connectionCloseCallbacks = new WeakMap<Socket, Set<() => void>>();

/** Calls `callback` when `socket` closes; the returned function stops that. */
function onConnectionClose(socket: Socket, callback: () => void): () => void {
  let callbacks = connectionCloseCallbacks.get(socket);
  if (callbacks === undefined) {
    const created = new Set<() => void>();
    callbacks = created;
    connectionCloseCallbacks.set(socket, created);
    socket.once('close', () => {
      for (const call of created) call();
      created.clear();
    });
  }
  callbacks.add(callback);
  const registered = callbacks;
  return () => registered.delete(callback);
}

/**
 * Calls `onGone` once the client of a request served on Node goes away before its answer is written (at
 * once when it already has); the returned function stops watching. It watches the connection as well as
 * the response: Node tells a response that waits behind another's (a pipelined request) nothing when the
 * connection closes. Listeners rather than an AbortSignal of its own: creating an AbortSignal costs about
 * 6 microseconds on Node 20.
 */
function watchNodeClient(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  onGone: () => void,
): () => void {
  if (incoming.socket.destroyed && !outgoing.writableFinished) {
    onGone();
    return () => {};
  }
  const onClose = () => {
    if (!outgoing.writableFinished || incoming.errored !== null) onGone();
  };
  outgoing.once('close', onClose);
  const stopWatchingConnection = onConnectionClose(incoming.socket, onClose);
  return () => {
    outgoing.off('close', onClose);
    stopWatchingConnection();
  };
}

/** The web `Response` of an answer, for Hono. */
function toResponse(answer: PlainAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/**
 * The bounds within which the rest of a body an answer does not need is read before that answer is
 * written: up to 256 KiB (as Go's net/http reads) arriving within the time `@hono/node-server` gives its
 * own discard. Past them the answer says `Connection: close` rather than promising a connection that
 * is cut while the client still sends its body.
 */
const UNREAD_BODY_LIMITS: UnreadBodyLimits = { maxBytes: 256 * 1024, timeoutMs: DISCARD_TIMEOUT_MS };

/**
 * `answer`, once the request body it left unread is read to its end (within {@link UNREAD_BODY_LIMITS}), so
 * the connection can carry the next request; with `Connection: close` when the body does not end within
 * them. At once for a request whose body was read (every ranked request), that has none, or whose answer
 * closes the connection anyway.
 */
function settleAnswer(incoming: IncomingMessage, answer: PlainAnswer): PlainAnswer | Promise<PlainAnswer> {
  if (answer.headers.connection === 'close') return answer;
  const settled = settleUnreadBody(incoming, UNREAD_BODY_LIMITS);
  if (settled === true) return answer;
  return settled.then((ended) => {
    if (ended) return answer;
    // The client went away before the end of its body: nobody reads the answer (499, as for a rerank
    // request whose body read was cut). Otherwise the body went over a bound: the answer closes the connection.
    if (incoming.socket.destroyed) return clientClosedResponse();
    answer.headers.connection = 'close';
    return answer;
  });
}

/**
 * A handler's answer on Node, once the body it left unread (a 404 or 405 to a POST, a 401 or 415 refused
 * from the headers) is settled ({@link settleAnswer}): before the request is logged and counted, so that
 * its line and count say what the client got when the body breaks or the client goes away meanwhile.
 */
function settledAnswer(
  incoming: IncomingMessage,
  answer: PlainAnswer | Promise<PlainAnswer>,
): PlainAnswer | Promise<PlainAnswer> {
  return answer instanceof Promise
    ? answer.then((ready) => settleAnswer(incoming, ready))
    : settleAnswer(incoming, answer);
}

/**
 * Writes an answer to Node's response, one `writeHead` and one `end`, its unread body settled first
 * ({@link settleAnswer}); after an answer that closes the connection, throws away what is left of the body
 * (within bounds) while the answer goes out.
 */
function writeSettledAnswer(incoming: IncomingMessage, outgoing: ServerResponse, answer: PlainAnswer): void {
  if (outgoing.headersSent || outgoing.destroyed) return;
  const { body, headers } = answer;
  // The whole body is known here, so it goes out with a Content-Length: after an explicit `writeHead`, Node
  // would otherwise frame it in chunks, which tells clients and proxies less and costs a few bytes more.
  if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
  outgoing.writeHead(answer.status, headers);
  outgoing.end(body ?? undefined);
  if (!incoming.readableEnded) outgoing.once('finish', () => discardUnreadBody(incoming));
}

/** An answer with `X-Request-Id` always among its headers. */
function respond(
  record: RequestRecord,
  status: number,
  body: string,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): PlainAnswer {
  return {
    status,
    headers: { 'content-type': contentType, 'x-request-id': record.requestId, ...headers },
    body,
  };
}

function errorResponse(
  record: RequestRecord,
  answer: ErrorAnswer,
  headers: Record<string, string> = {},
): PlainAnswer {
  return respond(record, answer.status, JSON.stringify(answer.body), headers);
}

/**
 * A `Retry-After` value for a hint in seconds: whole seconds, rounded up, at least `floor`; `undefined` for a
 * hint that is not a number of seconds.
 */
function retryAfterValue(hint: number | undefined, floor: number): string | undefined {
  return hint === undefined || !Number.isFinite(hint) ? undefined : String(Math.max(floor, Math.ceil(hint)));
}

/** Status 499 (as nginx logs it): the client closed the connection; nobody reads this answer. */
function clientClosedResponse(): PlainAnswer {
  return { status: 499, headers: {}, body: null };
}

/**
 * Creates the SeaLink Rerank HTTP app: `POST /v1/rerank`, `GET /v1/models`, `GET /v1/models/{model}`,
 * `GET /openapi.json`, `GET /healthz`, `GET /readyz` and `GET /metrics`.
 *
 * The public routes are registered from the contract's route objects (`rerankRoute`, `listModelsRoute`,
 * `retrieveModelRoute`), the same objects `createOpenApiDocument` turns into the spec that
 * `/openapi.json` serves, so paths and spec cannot drift. Validation is not delegated to
 * `@hono/zod-openapi`'s validator middleware: that reads the body through `Request.json()` (about 25
 * times slower than `JSON.parse` on a 4 KB body) with no streaming size limit. Instead the handler
 * reads the body straight from Node's request with the limit enforced while streaming, parses it with
 * `JSON.parse`, and validates it with the contract's `validateRerankRequest`, which uses the very zod
 * schema the route object carries.
 *
 * The hot path is kept lean on purpose (see `bench/` of the server app): no Hono middleware (each
 * handler is wrapped by one plain function that keeps the request id, log line and metrics), headers
 * read from Node's parsed headers, responses with plain-object headers, deadlines on one shared timer.
 *
 * @throws TypeError when `auth` is missing, or no API key is given and auth is not explicitly off.
 * @throws RangeError when `maxBodyBytes` or `requestTimeoutMs` is not a positive number,
 * `retryAfterSeconds` is not a whole number of seconds, or `defaultModel` is not registered.
 */
export function createRerankApp(options: RerankAppOptions): RerankApp {
  const { registry } = options;
  const logger = options.logger ?? pino();
  const metrics = options.metrics ?? new ServerMetrics();
  metrics.watchReplicas(function* () {
    for (const id of registry.ids()) {
      const counts = registry.get(id)?.backend.replicaCounts?.();
      if (counts !== undefined) yield { model: id, ...counts };
    }
  });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  // A NaN limit (`Number(process.env.UNSET)`) would turn the body limit or the deadline off without a word.
  for (const [name, value] of [
    ['maxBodyBytes', maxBodyBytes],
    ['requestTimeoutMs', requestTimeoutMs],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`${name} must be a positive number, got ${value}`);
    }
  }
  if (
    options.retryAfterSeconds !== undefined &&
    !(Number.isSafeInteger(options.retryAfterSeconds) && options.retryAfterSeconds >= 0)
  ) {
    throw new RangeError(
      `retryAfterSeconds must be a whole number of seconds, 0 or more, got ${options.retryAfterSeconds}`,
    );
  }
  // A default model the registry lacks would answer every TEI request with a 404 for a model it never named.
  if (options.defaultModel !== undefined && registry.get(options.defaultModel) === undefined) {
    throw new RangeError(
      `defaultModel '${options.defaultModel}' is not a registered model (registered: ${registry.ids().join(', ') || 'none'})`,
    );
  }
  const cors = options.cors === undefined ? undefined : new CorsPolicy(options.cors);
  /** Whether a request is a CORS preflight (only with CORS configured). */
  const isCorsPreflight = (input: RequestInput): boolean =>
    cors !== undefined &&
    input.method === 'OPTIONS' &&
    input.header('access-control-request-method') !== undefined;
  const sweeper = new DeadlineSweeper(Math.min(50, Math.max(5, requestTimeoutMs / 10)));
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  const configuredHints = options.modelHints ?? DEFAULT_MODEL_HINTS;
  /** The hint for an unknown model id; own entries only, so `constructor` or `__proto__` find nothing. */
  const modelHintOf = (id: string): string | undefined =>
    Object.hasOwn(configuredHints, id) ? configuredHints[id] : undefined;
  const drainSignal = options.drainSignal;

  // Checked for JavaScript callers too: only `disabled: true` itself turns auth off, never a truthy stand-in.
  const authOption: unknown = options.auth;
  if (typeof authOption !== 'object' || authOption === null) {
    throw new TypeError(
      'createRerankApp needs `auth`: { apiKeys: [...] }, { apiKeyDigests: [...] }, or { disabled: true } for local development.',
    );
  }
  const authDisabled = 'disabled' in authOption && authOption.disabled === true;
  let verifier: ApiKeyVerifier | undefined;
  if (authDisabled) {
    logger.warn(
      'authentication is disabled: anyone who can reach this server can use it; configure API keys before exposing it',
    );
  } else {
    const auth = options.auth as Exclude<RerankAppAuth, { disabled: true }>;
    verifier = new ApiKeyVerifier({ apiKeys: auth.apiKeys, apiKeyDigests: auth.apiKeyDigests });
    if (verifier.size === 0) {
      throw new TypeError(
        'No API key is configured: give at least one key, or turn authentication off explicitly.',
      );
    }
  }
  const isAuthorized = (input: RequestInput): boolean =>
    verifier === undefined || verifier.verify(input.header('authorization'));

  const { rateLimiter } = options;
  /**
   * Counts a request against its budget: per API key (a digest of the bearer token, so `bearer  k` and
   * `Bearer k` share one), or per client address when auth is off. Over the budget: 429 with `Retry-After`;
   * within it, `handle`'s answer with the budget's `x-ratelimit-*` headers.
   */
  const rateLimited = (
    limiter: RequestRateLimiter,
    input: RequestInput,
    record: RequestRecord,
    deadline: RequestDeadline,
    handle: () => Promise<PlainAnswer>,
  ): Promise<PlainAnswer> =>
    // Disposed of however the request ends (`handle` disposes of it too; twice does nothing).
    rateLimitedAnswer(limiter, input, record, deadline, handle).finally(() => deadline[Symbol.dispose]());

  /** {@link rateLimited}'s answer, before its deadline is disposed of. */
  const rateLimitedAnswer = async (
    limiter: RequestRateLimiter,
    input: RequestInput,
    record: RequestRecord,
    deadline: RequestDeadline,
    handle: () => Promise<PlainAnswer>,
  ): Promise<PlainAnswer> => {
    let decision: RateLimitDecision;
    try {
      const token = verifier === undefined ? undefined : bearerTokenOf(input.header('authorization'));
      const key =
        token === undefined
          ? `address:${input.remoteAddress ?? 'unknown'}`
          : `key:${digestApiKey(token).slice(0, 32)}`;
      // The wait for the decision (a shared limiter's Redis round trip) is part of the request's deadline.
      decision = await deadline.race(limiter.consume(key));
    } catch (error) {
      // The limiter never decided in time: no budget to report.
      if (deadline.reason instanceof RequestDeadlineError) {
        const answer = requestTimeoutResponse(record);
        // A body still on its way is not waited for (to keep the connection): the answer goes out at the
        // deadline and closes the connection.
        if (input.incoming !== undefined && !input.incoming.complete) answer.headers.connection = 'close';
        return answer;
      }
      throw error;
    }
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      return errorResponse(
        record,
        createErrorResponse(
          {
            type: 'rate_limit_error',
            code: 'rate_limited',
            message: `Too many requests: at most ${decision.limit} in this window; retry after ${headers['retry-after']} seconds.`,
          },
          record.requestId,
        ),
        headers,
      );
    }
    // Every answer of a counted request says what is left of the budget, a 500 for a thrown error included.
    let answer: PlainAnswer;
    try {
      answer = await handle();
    } catch (error) {
      answer = internalError(record, error);
    }
    Object.assign(answer.headers, headers);
    return answer;
  };

  /** The 504 of a request that its deadline cut. */
  const requestTimeoutResponse = (record: RequestRecord): PlainAnswer =>
    errorResponse(
      record,
      createErrorResponse(
        {
          type: 'timeout_error',
          code: 'request_timeout',
          message: `The request did not finish within the server's deadline of ${requestTimeoutMs} ms.`,
        },
        record.requestId,
      ),
    );

  const internalError = (record: RequestRecord, error: unknown): PlainAnswer => {
    record.note = { msg: 'unexpected error', level: 'error', fields: { err: error } };
    return errorResponse(
      record,
      createErrorResponse(
        {
          type: 'internal_error',
          code: 'internal_error',
          message: `An unexpected error happened in the server; the request id ${record.requestId} identifies it in the server's logs.`,
        },
        record.requestId,
      ),
    );
  };

  /**
   * Child loggers that carry a request line's method, route and model as pino bindings, which pino
   * serialises once per child instead of once per line (measured: 1.7 against 2.5 microseconds a line).
   * The keys are bounded: Node's parser admits only known methods, routes are the app's own patterns or
   * `unmatched`, and models are registered ids; the cap is a second guard.
   */
  const requestLoggers = new Map<string, Logger>();
  const requestLogger = (method: string, route: string, model: string): Logger => {
    const key = `${method} ${route} ${model}`;
    let child = requestLoggers.get(key);
    if (child === undefined) {
      child = logger.child(model === '' ? { method, route } : { method, route, model });
      if (requestLoggers.size < 1024) requestLoggers.set(key, child);
    }
    return child;
  };

  const finish = (
    method: string,
    record: RequestRecord,
    started: number,
    response: PlainAnswer,
  ): PlainAnswer => {
    const { status } = response;
    const { route, model } = record;
    const latencySeconds = (performance.now() - started) / 1000;
    metrics.requestFinished(route, model, status, latencySeconds);
    const isOperational = route !== 'unmatched' && OPERATIONAL_PATHS.has(route);
    const { note } = record;
    const level =
      (status >= 500 && status !== 503) || note?.level === 'error'
        ? 'error'
        : note?.level === 'warn'
          ? 'warn'
          : isOperational
            ? 'debug'
            : 'info';
    if (logger.isLevelEnabled(level)) {
      const line = {
        request_id: record.requestId,
        status,
        latency_ms: Math.round(latencySeconds * 1e6) / 1e3,
        documents: record.documentCount || undefined,
      };
      const child = requestLogger(method, route, model);
      if (note === undefined) child[level](line);
      else if (note.msg === undefined) child[level]({ ...line, ...note.fields });
      else child[level]({ ...line, ...note.fields }, note.msg);
    }
    return response;
  };

  /**
   * The answers `serveRerankApp` wrote itself to requests the app had, whose body broke mid-way (bad
   * chunked framing, a connection ended mid-body): by request, told by its outside-answer observer before
   * the app sees the body read fail.
   */
  const serverAnswers = new WeakMap<IncomingMessage, ServerAnswer>();
  // What `serveRerankApp` answers without the app (malformed HTTP, CONNECT, ...) still shows in the metrics;
  // an answer to a request the app has is the app's to count and log, once, with the server's status.
  const observeOutsideAnswer = (answer: OutsideAnswer): void => {
    if (answer.request === undefined) metrics.countMalformedRequest(answer.status);
    else serverAnswers.set(answer.request, { status: answer.status, requestId: answer.requestId });
  };

  /**
   * The answer the server wrote in the app's place, when it did (a request whose body broke while it was
   * read or settled: it never completes), with `record` taking its request id, for the one log line and
   * count of the request to say what the client got; `undefined` for every other request.
   */
  const answeredByServer = (input: RequestInput, record: RequestRecord): PlainAnswer | undefined => {
    const { incoming } = input;
    if (incoming === undefined || incoming.complete) return undefined;
    const answer = serverAnswers.get(incoming);
    if (answer === undefined) return undefined;
    if (answer.requestId !== undefined) record.requestId = answer.requestId;
    // Nobody writes it: the server's answer is out and the connection closed.
    return { status: answer.status, headers: { connection: 'close' }, body: null };
  };

  /**
   * Whether `serveRerankApp` has cut the connections still open at its drain deadline: a request that
   * then ends as if its client had gone away (499) was cut by the server, and is a 503 with a warning.
   */
  let cutAtDrainDeadline = false;
  /** A request's 499, or its 503 when the server cut it at its drain deadline. */
  const clientGoneOrCut = (record: RequestRecord, response: PlainAnswer): PlainAnswer => {
    if (!cutAtDrainDeadline || response.status !== 499) return response;
    record.note = { msg: 'cut at the drain deadline', level: 'warn', fields: {} };
    return { status: 503, headers: {}, body: null };
  };

  const drainingAnswers = (route: string) =>
    drainSignal !== undefined &&
    route !== OPERATIONAL_ROUTES.health.path &&
    route !== OPERATIONAL_ROUTES.metrics.path;

  /**
   * Runs a handler with what every request shares: request id, drain answer, in-flight gauge, metrics,
   * log line, and a 500 for anything thrown. A plain function rather than Hono middleware, which would
   * add an async layer per request; runtime-neutral, so that Hono's routes and the `node:http` routes of
   * `serveRerankApp` share it.
   */
  const runRecorded = <T>(
    route: string,
    input: RequestInput,
    handler: (record: RequestRecord) => PlainAnswer | Promise<PlainAnswer>,
    deliver: (answer: PlainAnswer) => T,
  ): T | Promise<T> => {
    const started = performance.now();
    const record: RequestRecord = {
      requestId: requestIdFor(input.header('x-request-id')),
      route,
      model: '',
      documentCount: 0,
      note: undefined,
    };
    const { method } = input;
    metrics.requestStarted();
    // An allowed browser origin can read every answer, errors included; the others' answers vary on Origin.
    const corsHeaders =
      cors === undefined
        ? undefined
        : (cors.answerHeaders(input.header('origin')) ?? cors.otherOriginHeaders());
    // Every answer is built with a headers object of its own, so the CORS headers are added in place, as
    // `writeAnswer` adds Content-Length.
    const send =
      corsHeaders === undefined
        ? deliver
        : (answer: PlainAnswer) => {
            Object.assign(answer.headers, corsHeaders);
            return deliver(answer);
          };
    // A preflight is answered while draining too: a 503 to it would hide the drain answer of the request
    // itself (its status and Retry-After) from the page behind a CORS failure.
    if (drainSignal?.aborted === true && drainingAnswers(record.route) && !isCorsPreflight(input)) {
      const answer = createErrorResponse(
        {
          type: 'overloaded_error',
          code: 'server_draining',
          message:
            'The server is shutting down; retry the request, another replica or this one after a restart will take it.',
        },
        record.requestId,
      );
      return send(
        finish(
          method,
          record,
          started,
          errorResponse(record, answer, { 'retry-after': retryAfter, connection: 'close' }),
        ),
      );
    }
    let result: PlainAnswer | Promise<PlainAnswer>;
    try {
      result = handler(record);
    } catch (error) {
      result = internalError(record, error);
    }
    const conclude = (response: PlainAnswer) =>
      send(
        finish(method, record, started, answeredByServer(input, record) ?? clientGoneOrCut(record, response)),
      );
    if (result instanceof Promise) {
      return result.then(conclude, (error: unknown) => conclude(internalError(record, error)));
    }
    return conclude(result);
  };

  /** A Hono handler that runs `handler` through {@link runRecorded}. */
  const recorded =
    (route: string | ((c: RerankContext) => string), handler: RecordedHandler) =>
    (c: RerankContext): Response | Promise<Response> => {
      const input = honoRequestInput(c);
      const incoming = c.env?.incoming;
      const run =
        incoming === undefined
          ? (record: RequestRecord) => handler(c, record, input)
          : (record: RequestRecord) => settledAnswer(incoming, handler(c, record, input));
      return runRecorded(typeof route === 'string' ? route : route(c), input, run, toResponse);
    };

  let openApiText: string | undefined;
  const modelList: ModelList = { object: 'list', data: [...registry.list()] };

  /**
   * Handles a rerank request on one route: the key, then the rate limit (whose `x-ratelimit-*` headers
   * every answer of a counted request carries, as hosted APIs send them), then {@link handleAdmitted}.
   * The request's one deadline starts here, as the request arrives (the key check is synchronous): the
   * wait for the rate limit's decision, the body read and the backend all count against it. It is disposed
   * of once the request ends, by {@link handleAdmitted} and, with a rate limit, by `rateLimited` whatever
   * the limiter decided (disposing twice does nothing).
   */
  const handleRerank = (
    input: RequestInput,
    record: RequestRecord,
    codec: RerankRouteCodec,
  ): PlainAnswer | Promise<PlainAnswer> => {
    if (!isAuthorized(input)) return errorResponse(record, authenticationError(record.requestId));
    // The client going away aborts the backend.
    const deadline = new RequestDeadline(requestTimeoutMs, sweeper, input.watchClient);
    if (rateLimiter === undefined) return handleAdmitted(input, record, codec, deadline);
    return rateLimited(rateLimiter, input, record, deadline, () =>
      handleAdmitted(input, record, codec, deadline),
    );
  };

  /**
   * Handles an authorised request that the rate limit let through, within its `deadline`, which it disposes
   * of: the route's codec reads the request and writes the answer in its shape.
   */
  const handleAdmitted = async (
    input: RequestInput,
    record: RequestRecord,
    codec: RerankRouteCodec,
    deadline: RequestDeadline,
  ): Promise<PlainAnswer> => {
    const { requestId } = record;
    let bodyReceived = false;
    try {
      const contentTypeError =
        checkJsonContentType(input.header('content-type'), requestId) ??
        checkContentEncoding(input.header('content-encoding'), requestId) ??
        checkTransferEncoding(input.header('transfer-encoding'), requestId);
      if (contentTypeError !== undefined) return errorResponse(record, contentTypeError);
      const body = await deadline.race(
        readRequestBody(input.body, {
          maxBytes: maxBodyBytes,
          contentLength: input.header('content-length'),
        }),
      );
      bodyReceived = true;
      if (body.status === 'too_large') {
        // The rest of the body is not read: close the connection instead of draining it.
        return errorResponse(record, bodyTooLargeError(maxBodyBytes, requestId), { connection: 'close' });
      }
      if (body.status === 'invalid_utf8') return errorResponse(record, invalidUtf8Error(requestId));
      const parsed = parseJsonBody(body.text, requestId);
      if (!parsed.success) return errorResponse(record, parsed.error);
      const validation = codec.decode(parsed.value, requestId);
      if (!validation.success) return errorResponse(record, validation.error);
      const request = validation.request;
      record.documentCount = request.documents.length;
      const model = registry.get(request.model);
      if (model === undefined) {
        return errorResponse(
          record,
          modelNotFoundError(request.model, registry.ids(), requestId, modelHintOf(request.model)),
        );
      }
      record.model = model.id;
      if (request.documents.length > model.maxDocuments) {
        const tooMany = tooManyDocumentsError(
          model.id,
          model.maxDocuments,
          request.documents.length,
          requestId,
        );
        // Named as the route's requests name the documents (TEI's `texts`).
        return errorResponse(record, {
          status: tooMany.status,
          body: { error: { ...tooMany.body.error, param: codec.documentsField } },
        });
      }
      if (!registry.isModelReady(model.id)) {
        // A loaded backend that is not ready (every upstream replica down) may know when it will be again.
        const loadState = registry.loadState(model.id);
        const hint = loadState === 'loaded' ? model.backend.retryAfterSeconds?.() : undefined;
        return errorResponse(
          record,
          createErrorResponse(
            {
              type: 'overloaded_error',
              code: 'model_not_ready',
              message:
                loadState === 'closed'
                  ? `The model '${model.id}' is closed: the server is shutting down; retry the request, another replica or this one after a restart will take it.`
                  : `The model '${model.id}' is not ready yet (loading or unavailable); retry shortly.`,
            },
            requestId,
          ),
          { 'retry-after': retryAfterValue(hint, 1) ?? retryAfter },
        );
      }
      const backendStarted = performance.now();
      let scored: Awaited<ReturnType<typeof scoreDocuments>>;
      try {
        scored = await scoreDocuments(model, {
          query: request.query,
          documents: request.documents,
          instruction: request.instruction,
          maxTokensPerDocument: request.maxTokensPerDocument,
          abort: deadline,
        });
      } catch (error) {
        const outcome = deadline.reason === undefined ? 'error' : 'aborted';
        metrics.recordBackendCall(model.id, outcome, (performance.now() - backendStarted) / 1000);
        throw error;
      }
      metrics.recordBackendCall(model.id, 'ok', (performance.now() - backendStarted) / 1000);
      metrics.countDocuments(model.id, request.documents.length);
      // The backend's warnings go on the request's line when the log level is debug.
      if (scored.warnings.length > 0 && logger.isLevelEnabled('debug')) {
        record.note = { fields: { warnings: scored.warnings } };
      }
      const response = buildRerankResponse({
        model: request.model,
        documents: request.documents,
        scores: scored.scores,
        topN: request.topN,
        returnDocuments: request.returnDocuments,
        totalTokens: scored.tokens,
      });
      return respond(record, 200, JSON.stringify(validation.encode(response)));
    } catch (error) {
      const reason = deadline.reason;
      if (reason instanceof ClientDisconnectedError || error instanceof RequestBodyAbortedError) {
        return clientClosedResponse();
      }
      if (reason instanceof RequestDeadlineError && !bodyReceived) {
        // The client never sent the body it announced (a short `Content-Length`, a stalled upload): its fault,
        // answered as Node answers a request not received in time; the rest of the body is not waited for.
        return errorResponse(record, requestReceiveTimeoutError(requestTimeoutMs, requestId), {
          connection: 'close',
        });
      }
      if (reason instanceof RequestDeadlineError) return requestTimeoutResponse(record);
      if (error instanceof ScoringError) {
        // Every backend failure that is not the request's fault is logged for the operator, on the request's
        // line, at warn level at least, with the log message rather than the client's: the one may name
        // replica addresses, the other quote documents.
        if (error.type !== 'invalid_request_error') {
          record.note = {
            msg: 'backend failed',
            level: 'warn',
            fields: { error_type: error.type, error_code: error.code, reason: error.logMessage },
          };
        }
        // Retry-After takes whole seconds, never negative; a hint that is not a number of seconds is left out.
        const retryAfterHint = retryAfterValue(error.retryAfterSeconds, 0);
        const headers: Record<string, string> =
          retryAfterHint === undefined ? {} : { 'retry-after': retryAfterHint };
        // The backend's word on whether the same request can succeed (an engine refusing the input cannot).
        if (error.shouldRetry !== undefined) headers['x-should-retry'] = String(error.shouldRetry);
        return errorResponse(
          record,
          createErrorResponse({ type: error.type, code: error.code, message: error.message }, requestId),
          headers,
        );
      }
      throw error;
    } finally {
      deadline[Symbol.dispose]();
    }
  };

  const app = new Hono<RerankAppEnv>();

  // The native route, and compatibility routes so that Cohere and TEI clients switch by changing only
  // their base URL. Each is served by Hono, and straight from `node:http` by `serveRerankApp`.
  const defaultModel = options.defaultModel ?? registry.ids()[0] ?? '';
  const rerankRoutes = [
    { route: PUBLIC_API_ROUTES.rerank, codec: NATIVE_RERANK_CODEC },
    ...(
      [
        [COMPATIBILITY_ROUTES.cohereRerank, 'cohere-v2'],
        [COMPATIBILITY_ROUTES.teiRerank, 'tei'],
      ] as const
    ).map(([route, dialect]) => ({ route, codec: dialectRerankCodec(route.path, dialect, defaultModel) })),
  ];
  const nodeRoutes = new Map<string, (incoming: IncomingMessage, outgoing: ServerResponse) => void>();
  for (const { route, codec } of rerankRoutes) {
    app.post(
      route.honoPath,
      recorded(route.path, (_c, record, input) => handleRerank(input, record, codec)),
    );
    nodeRoutes.set(route.path, (incoming, outgoing) => {
      const input = nodeRequestInput(incoming, outgoing);
      const written = runRecorded(
        route.path,
        input,
        (record) => settledAnswer(incoming, handleRerank(input, record, codec)),
        (answer) => writeSettledAnswer(incoming, outgoing, answer),
      );
      if (written instanceof Promise) {
        written.catch((error: unknown) => outgoing.destroy(error instanceof Error ? error : undefined));
      }
    });
  }
  registerNodeRoutes(app, { method: 'POST', handlers: nodeRoutes });
  registerOutsideAnswerObserver(app, observeOutsideAnswer);
  registerDrainCutObserver(app, () => {
    cutAtDrainDeadline = true;
  });

  app.get(
    PUBLIC_API_ROUTES.listModels.honoPath,
    recorded(PUBLIC_API_ROUTES.listModels.path, (_c, record, input) => {
      if (!isAuthorized(input)) return errorResponse(record, authenticationError(record.requestId));
      return respond(record, 200, JSON.stringify(modelList));
    }),
  );

  app.get(
    PUBLIC_API_ROUTES.retrieveModel.honoPath,
    recorded(PUBLIC_API_ROUTES.retrieveModel.path, (c, record, input) => {
      const { requestId } = record;
      if (!isAuthorized(input)) return errorResponse(record, authenticationError(requestId));
      const id = c.req.param('model') ?? '';
      const model = registry.get(id);
      if (model === undefined) {
        return errorResponse(record, modelNotFoundError(id, registry.ids(), requestId, modelHintOf(id)));
      }
      record.model = model.id;
      return respond(record, 200, JSON.stringify(model.listing));
    }),
  );

  app.get(
    OPERATIONAL_ROUTES.openApi.honoPath,
    recorded(OPERATIONAL_ROUTES.openApi.path, (_c, record) => {
      openApiText ??= JSON.stringify(
        createOpenApiDocument({
          servers: options.openApiServers ?? [{ url: '/', description: 'This server' }],
        }),
      );
      return respond(record, 200, openApiText);
    }),
  );

  app.get(
    OPERATIONAL_ROUTES.health.honoPath,
    recorded(OPERATIONAL_ROUTES.health.path, (_c, record) => respond(record, 200, '{"status":"ok"}')),
  );

  app.get(
    OPERATIONAL_ROUTES.ready.honoPath,
    recorded(OPERATIONAL_ROUTES.ready.path, (_c, record) => {
      // Per model: ready, or why not: pending, loading, failed, closed (the registry was closed), or unavailable
      // (loaded, but its backend says it cannot serve now, as an upstream with every replica down or its
      // circuit open).
      const stateOf = (id: string): string => {
        if (registry.isModelReady(id)) return 'ready';
        const loadState = registry.loadState(id) ?? 'pending';
        return loadState === 'loaded' ? 'unavailable' : loadState;
      };
      const models = Object.fromEntries(registry.ids().map((id) => [id, stateOf(id)]));
      const ready = registry.isReady();
      return respond(
        record,
        ready ? 200 : 503,
        JSON.stringify({ status: ready ? 'ready' : 'not_ready', models }),
      );
    }),
  );

  app.get(
    OPERATIONAL_ROUTES.metrics.honoPath,
    recorded(OPERATIONAL_ROUTES.metrics.path, async (_c, record) =>
      respond(record, 200, await metrics.registry.metrics(), {}, metrics.registry.contentType),
    ),
  );

  const notFound: NotFoundHandler<RerankAppEnv> = recorded(
    // The route's pattern, never the raw path: a 405 on `/v1/models/<id>` must not add a series per id.
    (c) => routePatternOf(c.req.path) ?? 'unmatched',
    (c, record, input) => {
      const { method, path } = c.req;
      const allowed = allowedMethodsOf(path);
      if (method === 'OPTIONS' && cors !== undefined) {
        const preflight = cors.preflightHeaders(
          input.header('origin'),
          input.header('access-control-request-method'),
          allowed,
        );
        if (preflight !== undefined) {
          return { status: 204, headers: { 'x-request-id': record.requestId, ...preflight }, body: null };
        }
      }
      if (allowed.length > 0) {
        return errorResponse(record, methodNotAllowedError(method, path, allowed, record.requestId), {
          allow: allowed.join(', '),
        });
      }
      return errorResponse(record, routeNotFoundError(method, path, record.requestId));
    },
  );
  app.notFound(notFound);

  // Handlers catch their own errors; this only answers for a failure inside Hono itself.
  app.onError((error, c) => {
    const record: RequestRecord = {
      requestId: createRequestId(),
      route: 'unmatched',
      model: '',
      documentCount: 0,
      note: undefined,
    };
    metrics.requestStarted();
    return toResponse(finish(c.req.method, record, performance.now(), internalError(record, error)));
  });

  return app;
}
