import type { HttpBindings } from '@hono/node-server';
import {
  authenticationError,
  bodyTooLargeError,
  buildRerankResponse,
  checkJsonContentType,
  createErrorResponse,
  createOpenApiDocument,
  createRequestId,
  DEFAULT_MAX_BODY_BYTES,
  type ErrorAnswer,
  type ModelList,
  methodNotAllowedError,
  modelNotFoundError,
  parseJsonBody,
  routeNotFoundError,
  sanitizeRequestId,
  validateRerankRequest,
} from '@sealink/rerank-contract';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type Logger, pino } from 'pino';
import { ApiKeyVerifier } from './auth/api-key-verifier.js';
import { ScoringError } from './backend/scoring-error.js';
import { allowedMethodsOf, OPERATIONAL_ROUTES, PUBLIC_API_ROUTES } from './http/api-routes.js';
import { readRequestBody } from './http/read-request-body.js';
import { ClientDisconnectedError, RequestDeadlineError } from './http/request-abort-reasons.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import type { ModelRegistry } from './registry/model-registry.js';
import { scoreDocuments } from './scoring/score-documents.js';

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
  /** The deadline of a rerank request, in milliseconds, from its first byte to its answer; 30 s by default. */
  requestTimeoutMs?: number | undefined;
  /** Aborted when the server starts draining: new requests then get 503 `overloaded_error` and `Retry-After`. */
  drainSignal?: AbortSignal | undefined;
  /** The `Retry-After` seconds sent with 503 answers while draining or loading; 5 by default. */
  retryAfterSeconds?: number | undefined;
  /** Extra sentences for the 404 of model ids the server lacks, by id; {@link DEFAULT_MODEL_HINTS} by default. */
  modelHints?: Readonly<Record<string, string>> | undefined;
  /** The `servers` of `GET /openapi.json`; the server itself (`/`) by default. */
  openApiServers?: { url: string; description?: string }[] | undefined;
}

/** The per-request values the app's middleware and handlers share. */
interface RerankAppVariables {
  /** The request id, sanitised from `X-Request-Id` or generated. */
  requestId: string;
  /** The route pattern that answered, for logs and metrics; `unmatched` for 404s and 405s. */
  route: string;
  /** The registered model the request used, for logs and metrics; empty otherwise. */
  model: string;
  /** The documents the request carried, for logs. */
  documentCount: number;
}

/** The Hono environment of the rerank app: Node's request and response when served by `@hono/node-server`. */
export interface RerankAppEnv {
  /** Node's `IncomingMessage` and `ServerResponse`; absent in-process and on other runtimes. */
  Bindings: Partial<HttpBindings>;
  /** Per-request values. */
  Variables: RerankAppVariables;
}

/** The Hono app that {@link createRerankApp} returns. */
export type RerankApp = Hono<RerankAppEnv>;

type RerankContext = Context<RerankAppEnv>;

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

function errorResponse(
  c: RerankContext,
  answer: ErrorAnswer,
  headers: Record<string, string> = {},
): Response {
  return c.json(answer.body, answer.status as ContentfulStatusCode, headers);
}

/** Status 499 (as nginx logs it): the client closed the connection; nobody reads this answer. */
function clientClosedResponse(): Response {
  return new Response(null, { status: 499 });
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
 * schema the route object carries. Measured: about 1.27x the CPU of raw `node:http` against 1.7x.
 */
export function createRerankApp(options: RerankAppOptions): RerankApp {
  const { registry } = options;
  const logger = options.logger ?? pino();
  const metrics = options.metrics ?? new ServerMetrics();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  const modelHints = options.modelHints ?? DEFAULT_MODEL_HINTS;
  const drainSignal = options.drainSignal;

  const authDisabled = 'disabled' in options.auth && options.auth.disabled;
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
  const isAuthorized = (c: RerankContext): boolean =>
    verifier === undefined || verifier.verify(c.req.header('authorization'));

  let openApiText: string | undefined;
  const modelList: ModelList = { object: 'list', data: [...registry.list()] };

  const app = new Hono<RerankAppEnv>();

  // One middleware for what every request shares: request id, in-flight gauge, drain answer, log line, metrics.
  app.use(async (c, next) => {
    const started = performance.now();
    const requestId = sanitizeRequestId(c.req.header('x-request-id')) ?? createRequestId();
    c.set('requestId', requestId);
    c.set('route', 'unmatched');
    c.set('model', '');
    c.set('documentCount', 0);
    c.header('X-Request-Id', requestId);
    metrics.inFlightRequests.inc();
    try {
      const path = c.req.path;
      if (
        drainSignal?.aborted === true &&
        path !== OPERATIONAL_ROUTES.health.path &&
        path !== OPERATIONAL_ROUTES.metrics.path
      ) {
        c.set('route', allowedMethodsOf(path).length > 0 ? path : 'unmatched');
        c.res = errorResponse(
          c,
          createErrorResponse(
            {
              type: 'overloaded_error',
              code: 'server_draining',
              message:
                'The server is shutting down; retry the request, another replica or this one after a restart will take it.',
            },
            requestId,
          ),
          { 'retry-after': retryAfter, connection: 'close' },
        );
      } else {
        await next();
      }
    } finally {
      metrics.inFlightRequests.dec();
    }
    const status = c.res.status;
    const route = c.get('route');
    const model = c.get('model');
    const latencySeconds = (performance.now() - started) / 1000;
    metrics.recordRequest(route, model, status, latencySeconds);
    const isOperational = route !== 'unmatched' && !route.startsWith('/v1/');
    const level = status >= 500 && status !== 503 ? 'error' : isOperational ? 'debug' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level]({
        request_id: requestId,
        method: c.req.method,
        route,
        status,
        latency_ms: Math.round(latencySeconds * 1e6) / 1e3,
        model: model === '' ? undefined : model,
        documents: c.get('documentCount') || undefined,
      });
    }
  });

  app.onError((error, c) => {
    const requestId = c.get('requestId') ?? createRequestId();
    logger.error({ request_id: requestId, err: error }, 'unexpected error');
    return errorResponse(
      c,
      createErrorResponse(
        {
          type: 'internal_error',
          code: 'internal_error',
          message: `An unexpected error happened in the server; the request id ${requestId} identifies it in the server's logs.`,
        },
        requestId,
      ),
    );
  });

  app.notFound((c) => {
    const requestId = c.get('requestId');
    const { method, path } = c.req;
    const allowed = allowedMethodsOf(path);
    if (allowed.length > 0) {
      return errorResponse(c, methodNotAllowedError(method, path, allowed, requestId), {
        allow: allowed.join(', '),
      });
    }
    return errorResponse(c, routeNotFoundError(method, path, requestId));
  });

  app.post(PUBLIC_API_ROUTES.rerank.honoPath, async (c) => {
    c.set('route', PUBLIC_API_ROUTES.rerank.path);
    const requestId = c.get('requestId');
    if (!isAuthorized(c)) return errorResponse(c, authenticationError(requestId));
    const contentTypeError = checkJsonContentType(c.req.header('content-type'), requestId);
    if (contentTypeError !== undefined) return errorResponse(c, contentTypeError);

    // One signal for the whole request: the deadline, or the client going away, aborts the body read and the backend.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new RequestDeadlineError(requestTimeoutMs)),
      requestTimeoutMs,
    );
    const clientSignal = c.req.raw.signal;
    const onClientGone = () => controller.abort(new ClientDisconnectedError());
    clientSignal.addEventListener('abort', onClientGone, { once: true });
    try {
      const incoming = c.env?.incoming;
      const body = await readRequestBody(incoming ?? c.req.raw.body, {
        maxBytes: maxBodyBytes,
        contentLength: c.req.header('content-length'),
        abortSignal: controller.signal,
      });
      if (body.status === 'too_large') {
        // The rest of the body is not read: close the connection instead of draining it.
        return errorResponse(c, bodyTooLargeError(maxBodyBytes, requestId), { connection: 'close' });
      }
      const parsed = parseJsonBody(body.text, requestId);
      if (!parsed.success) return errorResponse(c, parsed.error);
      const validation = validateRerankRequest(parsed.value, requestId);
      if (!validation.success) return errorResponse(c, validation.error);
      const request = validation.request;
      c.set('documentCount', request.documents.length);
      const model = registry.get(request.model);
      if (model === undefined) {
        return errorResponse(
          c,
          modelNotFoundError(request.model, registry.ids(), requestId, modelHints[request.model]),
        );
      }
      c.set('model', model.id);
      if (request.documents.length > model.maxDocuments) {
        return errorResponse(
          c,
          createErrorResponse(
            {
              type: 'invalid_request_error',
              code: 'too_many_documents',
              message: `The model '${model.id}' takes at most ${model.maxDocuments} documents per request; the request has ${request.documents.length}.`,
              param: 'documents',
            },
            requestId,
          ),
        );
      }
      if (!registry.isModelReady(model.id)) {
        return errorResponse(
          c,
          createErrorResponse(
            {
              type: 'overloaded_error',
              code: 'model_not_ready',
              message: `The model '${model.id}' is not ready yet (loading or unavailable); retry shortly.`,
            },
            requestId,
          ),
          { 'retry-after': retryAfter },
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
          abortSignal: controller.signal,
        });
      } catch (error) {
        const outcome = controller.signal.aborted ? 'aborted' : 'error';
        metrics.backendDuration.observe(
          { model: model.id, outcome },
          (performance.now() - backendStarted) / 1000,
        );
        throw error;
      }
      metrics.backendDuration.observe(
        { model: model.id, outcome: 'ok' },
        (performance.now() - backendStarted) / 1000,
      );
      metrics.documentsScored.inc({ model: model.id }, request.documents.length);
      if (scored.warnings.length > 0 && logger.isLevelEnabled('debug')) {
        logger.debug(
          { request_id: requestId, model: model.id, warnings: scored.warnings },
          'backend warnings',
        );
      }
      const response = buildRerankResponse({
        model: request.model,
        documents: request.documents,
        scores: scored.scores,
        topN: request.topN,
        returnDocuments: request.returnDocuments,
        totalTokens: scored.tokens,
      });
      return c.body(JSON.stringify(response), 200, JSON_HEADERS);
    } catch (error) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
      if (reason instanceof ClientDisconnectedError) return clientClosedResponse();
      if (reason instanceof RequestDeadlineError) {
        return errorResponse(
          c,
          createErrorResponse(
            {
              type: 'timeout_error',
              code: 'request_timeout',
              message: `The request did not finish within the server's deadline of ${requestTimeoutMs} ms.`,
            },
            requestId,
          ),
        );
      }
      if (error instanceof ScoringError) {
        if (error.type === 'internal_error' || error.type === 'upstream_error') {
          logger.warn({ request_id: requestId, model: c.get('model'), err: error }, 'backend failed');
        }
        const headers: Record<string, string> =
          error.retryAfterSeconds === undefined
            ? {}
            : { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) };
        return errorResponse(
          c,
          createErrorResponse({ type: error.type, code: error.code, message: error.message }, requestId),
          headers,
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
      clientSignal.removeEventListener('abort', onClientGone);
    }
  });

  app.get(PUBLIC_API_ROUTES.listModels.honoPath, (c) => {
    c.set('route', PUBLIC_API_ROUTES.listModels.path);
    if (!isAuthorized(c)) return errorResponse(c, authenticationError(c.get('requestId')));
    return c.json(modelList);
  });

  app.get(PUBLIC_API_ROUTES.retrieveModel.honoPath, (c) => {
    c.set('route', PUBLIC_API_ROUTES.retrieveModel.path);
    const requestId = c.get('requestId');
    if (!isAuthorized(c)) return errorResponse(c, authenticationError(requestId));
    const id = c.req.param('model') ?? '';
    const model = registry.get(id);
    if (model === undefined)
      return errorResponse(c, modelNotFoundError(id, registry.ids(), requestId, modelHints[id]));
    c.set('model', model.id);
    return c.json(model.listing);
  });

  app.get(OPERATIONAL_ROUTES.openApi.honoPath, (c) => {
    c.set('route', OPERATIONAL_ROUTES.openApi.path);
    openApiText ??= JSON.stringify(
      createOpenApiDocument({
        servers: options.openApiServers ?? [{ url: '/', description: 'This server' }],
      }),
    );
    return c.body(openApiText, 200, JSON_HEADERS);
  });

  app.get(OPERATIONAL_ROUTES.health.honoPath, (c) => {
    c.set('route', OPERATIONAL_ROUTES.health.path);
    return c.json({ status: 'ok' });
  });

  app.get(OPERATIONAL_ROUTES.ready.honoPath, (c) => {
    c.set('route', OPERATIONAL_ROUTES.ready.path);
    const models = Object.fromEntries(
      registry
        .ids()
        .map((id) => [id, registry.isModelReady(id) ? 'ready' : (registry.loadState(id) ?? 'pending')]),
    );
    const ready = registry.isReady();
    return c.json({ status: ready ? 'ready' : 'not_ready', models }, ready ? 200 : 503);
  });

  app.get(OPERATIONAL_ROUTES.metrics.honoPath, async (c) => {
    c.set('route', OPERATIONAL_ROUTES.metrics.path);
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  });

  return app;
}
