import {
  createLogDestination,
  createRerankApp,
  DEFAULT_MODEL_HINTS,
  ModelRegistry,
  RequestRateLimiter,
  type RerankApp,
  type RerankServer,
  ServerMetrics,
  serveRerankApp,
  UpstreamConfigError,
  type UpstreamReplicaEvent,
} from '@sealink/rerank-server';
import { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { type BackendDefaults, createBackend } from './backends/create-backend.js';
import type { ModelConfig } from './config/model-config.js';
import type { ServerConfig } from './config/server-config.js';

/** The 404 hints of model ids this deployment lacks: how to configure them here. */
export const APP_MODEL_HINTS: Readonly<Record<string, string>> = {
  ...DEFAULT_MODEL_HINTS,
  'qwen3-rerank':
    "To serve 'qwen3-rerank', register a model with that id and a Qwen3-Reranker backend in the model registry (SEALINK_MODELS_FILE); this server only serves the models listed.",
};

/**
 * How long Redis may take to be ready (connected and answering) after the server starts before a warning
 * says that rate limits count in memory; a reachable Redis is ready in milliseconds.
 */
const REDIS_READY_TIMEOUT_MS = 5000;

/** The level and message of each replica event: `warn` when a replica leaves the rotation, `info` when it is back. */
const REPLICA_EVENT_LOG_LINES: Readonly<
  Record<UpstreamReplicaEvent['kind'], { level: 'warn' | 'info'; message: string }>
> = {
  'circuit-opened': { level: 'warn', message: 'upstream replica taken out of rotation: its circuit opened' },
  'health-check-failed': {
    level: 'warn',
    message: 'upstream replica taken out of rotation: its health check fails',
  },
  'circuit-closed': { level: 'info', message: 'upstream replica back in rotation: its circuit closed' },
  'health-check-passed': {
    level: 'info',
    message: 'upstream replica back in rotation: its health check passes',
  },
};

/** The log line of a replica event. */
function logReplicaEvent(logger: Logger, model: string, event: UpstreamReplicaEvent): void {
  const fields = {
    model,
    upstream: event.upstream,
    replica: event.baseUrl,
    event: event.kind,
    reason: event.reason,
  };
  const { level, message } = REPLICA_EVENT_LOG_LINES[event.kind];
  logger[level](fields, message);
}

/**
 * The backend of the model at `index`. An upstream whose key variable is unset (or holds a line break)
 * is refused with the model's place and id in front: the upstream's own message names only the engine's
 * model name, which several registry models may share.
 */
function createNamedBackend(model: ModelConfig, index: number, defaults: BackendDefaults) {
  try {
    return createBackend(model.backend, defaults);
  } catch (error) {
    if (!(error instanceof UpstreamConfigError)) throw error;
    throw new UpstreamConfigError(`models[${index}].backend.api_key_env of '${model.id}': ${error.message}`);
  }
}

/**
 * Builds the model registry a configuration describes, with one backend instance per model. `defaults`
 * carries the server settings backends derive their limits from (the request deadline, which bounds an
 * upstream backend's attempt timeout and deadline when its configuration leaves them unset). With a
 * `logger`, upstream replicas leaving and rejoining the rotation are logged, naming the model, and so is
 * a `verify_on_load` check that passes but suggests a setting is wrong (a `score_mapping`), at `warn`.
 */
export function createModelRegistry(
  models: readonly ModelConfig[],
  defaults: BackendDefaults = {},
  logger?: Logger,
): ModelRegistry {
  return new ModelRegistry(
    models.map((model, index) => ({
      id: model.id,
      backend: createNamedBackend(
        model,
        index,
        logger === undefined
          ? defaults
          : {
              ...defaults,
              onReplicaEvent: (event) => logReplicaEvent(logger, model.id, event),
              onLoadWarning: (message) =>
                logger.warn({ model: model.id, upstream: `upstream.${model.backend.type}` }, message),
            },
      ),
      maxDocuments: model.max_documents,
      maxConcurrentCalls: model.max_concurrent_calls,
      defaultInstruction: model.default_instruction,
      ownedBy: model.owned_by,
      description: model.description,
    })),
  );
}

/** Options of {@link createServerFromConfig}. */
export interface CreateServerFromConfigOptions {
  /** The logger; JSON lines to stdout at the configured level by default. */
  logger?: Logger | undefined;
}

/** A server built from its configuration, not yet listening. */
export interface ConfiguredServer {
  /** The configuration it was built from. */
  readonly config: ServerConfig;
  /** The model registry; `start` loads it. */
  readonly registry: ModelRegistry;
  /** The Hono app. */
  readonly app: RerankApp;
  /** The logger. */
  readonly logger: Logger;
  /** The metrics. */
  readonly metrics: ServerMetrics;
  /**
   * Listens on the configured host and port and loads every model (requests to a model still loading
   * get 503). Rejects when the port is taken or a model fails to load, or when `stop` is called before
   * the models are loaded (their loading is aborted).
   */
  start(): Promise<RerankServer>;
  /** Drains (within `drain_timeout_ms`), closes the listener and every backend, and flushes the logs. */
  stop(): Promise<void>;
}

/** Builds the registry, metrics, logger and app a configuration describes. */
export function createServerFromConfig(
  config: ServerConfig,
  options: CreateServerFromConfigOptions = {},
): ConfiguredServer {
  const logger = options.logger ?? pino({ level: config.log_level }, createLogDestination(1));
  const registry = createModelRegistry(
    config.models,
    { requestTimeoutMs: config.request_timeout_ms },
    logger,
  );
  const metrics = new ServerMetrics({ processMetrics: config.process_metrics });
  const drain = new AbortController();
  const authDisabled =
    config.auth_disabled || (config.api_keys.length === 0 && config.api_key_digests.length === 0);
  // Redis only holds rate-limit counters: without a rate limit it is not connected to at all.
  if (config.redis_url !== undefined && config.rate_limit_requests === undefined) {
    logger.warn(
      'SEALINK_REDIS_URL is set but SEALINK_RATE_LIMIT_REQUESTS is not: there is no rate limit, so Redis is not used',
    );
  }
  const redis =
    config.redis_url === undefined || config.rate_limit_requests === undefined
      ? undefined
      : new Redis(config.redis_url, {
          enableOfflineQueue: false,
          lazyConnect: true,
          maxRetriesPerRequest: 1,
        });
  // One warning per outage (ioredis reports every reconnection attempt), one line when it is back.
  let redisDown = false;
  const reportRedisDown = (reason: string) => {
    if (redisDown) return;
    redisDown = true;
    logger.warn({ err: reason }, 'cannot reach redis; rate limits count in memory until it is back');
  };
  redis?.on('error', (error: Error) => reportRedisDown(error.message));
  redis?.on('ready', () => {
    if (!redisDown) return;
    redisDown = false;
    logger.info('redis reachable again; rate limits are shared');
  });
  const rateLimiter =
    config.rate_limit_requests === undefined
      ? undefined
      : new RequestRateLimiter({
          requests: config.rate_limit_requests,
          windowSeconds: config.rate_limit_window_seconds,
          ...(redis === undefined ? {} : { redis }),
        });
  const app = createRerankApp({
    rateLimiter,
    registry,
    auth: authDisabled
      ? { disabled: true }
      : { apiKeys: config.api_keys, apiKeyDigests: config.api_key_digests },
    logger,
    metrics,
    maxBodyBytes: config.max_body_bytes,
    requestTimeoutMs: config.request_timeout_ms,
    retryAfterSeconds: config.retry_after_seconds,
    drainSignal: drain.signal,
    modelHints: APP_MODEL_HINTS,
    ...(config.cors_origins.length === 0 ? {} : { cors: { allowedOrigins: config.cors_origins } }),
  });
  let running: RerankServer | undefined;
  let stopping: Promise<void> | undefined;
  /** Ends the wait for Redis in {@link connectRedis} (at the timeout, or when the server stops). */
  let stopWaitingForRedis: (() => void) | undefined;
  /**
   * Connects to Redis and resolves once it is ready, once its connection fails (the 'error' listener
   * above warns; ioredis keeps retrying), or after REDIS_READY_TIMEOUT_MS with a warning: the rate
   * limiter counts in memory until Redis is ready.
   */
  const connectRedis = (client: Redis) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (client.status !== 'ready') {
          reportRedisDown(
            `redis was not ready within ${REDIS_READY_TIMEOUT_MS} ms (status ${client.status})`,
          );
        }
        resolve();
      }, REDIS_READY_TIMEOUT_MS);
      stopWaitingForRedis = () => {
        clearTimeout(timer);
        resolve();
      };
      client.connect().then(stopWaitingForRedis, stopWaitingForRedis);
    });

  return {
    config,
    registry,
    app,
    logger,
    metrics,
    async start() {
      running = await serveRerankApp(app, {
        hostname: config.host,
        port: config.port,
        onDrainStart: () => drain.abort(),
      });
      logger.info({ url: running.url, models: registry.ids() }, 'listening');
      // A drain (SIGTERM) while models still load aborts the loading, so the shutdown does not wait for it.
      // Redis connects meanwhile, so that once start resolves the rate limits are shared when Redis is
      // reachable; but a Redis that takes the connection and never answers (ioredis's connect then never
      // settles, and reports no error) holds the start up for REDIS_READY_TIMEOUT_MS at most, with a warning.
      const redisConnected = redis === undefined ? undefined : connectRedis(redis);
      await registry.load({ abortSignal: drain.signal });
      await redisConnected;
      if (drain.signal.aborted) throw new Error('stopped while the models were loading');
      logger.info({ models: registry.ids() }, 'models loaded');
      return running;
    },
    stop() {
      stopping ??= (async () => {
        drain.abort();
        if (running !== undefined) {
          logger.info({ drain_timeout_ms: config.drain_timeout_ms }, 'draining');
          const drained = await running.close({ drainTimeoutMs: config.drain_timeout_ms });
          if (!drained) logger.warn('the drain deadline passed; open requests were cut');
        }
        await registry.close();
        stopWaitingForRedis?.();
        redis?.disconnect();
        logger.info('stopped');
        logger.flush();
      })();
      return stopping;
    },
  };
}
