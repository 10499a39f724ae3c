import {
  Bm25Backend,
  type Bm25BackendOptions,
  createUpstreamBackendFromConfig,
  type ScoringBackend,
  type UpstreamBackendConfig,
  type UpstreamReplicaEventListener,
} from '@sealink/rerank-server';
import type { BackendConfig } from '../config/model-config.js';

/** What the server's own settings imply for the backends it builds. */
export interface BackendDefaults {
  /**
   * The server's request deadline (`request_timeout_ms`), in ms. When given, an upstream backend whose
   * configuration leaves `timeout_ms` or `deadline_ms` unset gets limits that fit inside it (see
   * {@link upstreamTimeouts}); when omitted (the evaluation CLI), the backend's own defaults apply.
   */
  requestTimeoutMs?: number | undefined;
  /** Told when an upstream replica's circuit or health check changes (the server logs it); none by default. */
  onReplicaEvent?: UpstreamReplicaEventListener | undefined;
  /**
   * Told when an upstream's `verify_on_load` check passes but suggests a setting is wrong, such as a
   * `score_mapping` (the server logs it at `warn`); none by default.
   */
  onLoadWarning?: ((message: string) => void) | undefined;
}

/** The longest default attempt timeout of an upstream backend, in ms (the backend's own default). */
const MAX_DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * The attempt timeout and deadline of an upstream backend inside the server's request deadline: the
 * configured values, else a deadline equal to the request deadline and an attempt timeout of a third of
 * it (at most 10 000 ms), so an attempt on a replica that never answers is cut in time to be retried on
 * another one before the server gives the client 504.
 */
export function upstreamTimeouts(
  config: Pick<UpstreamBackendConfig, 'timeout_ms' | 'deadline_ms'>,
  requestTimeoutMs: number,
): { timeoutMs: number; deadlineMs: number } {
  const deadlineMs = config.deadline_ms ?? requestTimeoutMs;
  const timeoutMs =
    config.timeout_ms ??
    Math.max(
      1,
      Math.min(MAX_DEFAULT_ATTEMPT_TIMEOUT_MS, Math.floor(Math.min(deadlineMs, requestTimeoutMs) / 3)),
    );
  return { timeoutMs, deadlineMs };
}

/** The options without the keys a configuration leaves undefined. */
function definedOptions<T extends object>(
  options: T | undefined,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  if (options === undefined) return {};
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * Creates the backend instance a model's configuration describes; one `case` per backend type.
 * `defaults` carries the server settings backends derive their own limits from.
 */
export function createBackend(config: BackendConfig, defaults: BackendDefaults = {}): ScoringBackend {
  switch (config.type) {
    case 'bm25': {
      const options: Bm25BackendOptions = definedOptions(config.options);
      return new Bm25Backend(options);
    }
    default:
      // Every other type is an upstream engine or provider; its API key comes from the environment.
      return createUpstreamBackendFromConfig(config, process.env, {
        ...(defaults.requestTimeoutMs === undefined
          ? {}
          : upstreamTimeouts(config, defaults.requestTimeoutMs)),
        onReplicaEvent: defaults.onReplicaEvent,
        onLoadWarning: defaults.onLoadWarning,
      });
  }
}
