import { isIP } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from '@sealink/rerank-contract';
import { isCorsOrigin } from '@sealink/rerank-server';
import { z } from 'zod';
import type { ConfigReferenceEntry } from './config-reference-entry.js';
import { DEFAULT_MODELS, type ModelConfig, ModelsConfig } from './model-config.js';

/** The configuration reference, filled as the fields below are declared, in the same order. */
const reference: ConfigReferenceEntry[] = [];

/** Declares one setting: its schema gets a description that names its environment variable and default. */
function setting<T extends z.ZodType>(name: string, schema: T, entry: Omit<ConfigReferenceEntry, 'name'>): T {
  reference.push({ name, ...entry });
  const where = entry.env === '' ? 'Configuration file only.' : `Environment variable \`${entry.env}\`.`;
  const fallback = entry.default === '' ? '' : ` Default: \`${entry.default}\`.`;
  return schema.meta({
    description: `${entry.description} ${where}${fallback}`,
    env: entry.env || undefined,
  }) as T;
}

/** A boolean; the environment also takes 1/0, yes/no, on/off (see `fromEnvironment`). */
const booleanSetting = z.boolean({
  error: 'must be true or false (in an environment variable also 1, 0, yes, no, on or off)',
});

/** A shell command that prints the SHA-256 digest of the key in `$KEY` and nothing else (no `  -`). */
const KEY_DIGEST_COMMAND = `printf %s "$KEY" | sha256sum | cut -d' ' -f1`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * A pino log level, read in any case and without surrounding white space (`INFO`, ` debug`, `warn\r` from
 * a CRLF env file), in the environment and the file alike; anything else is refused with the valid levels.
 */
const logLevelSetting = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.enum(LOG_LEVELS, {
    error: `must be one of ${LOG_LEVELS.slice(0, -1).join(', ')} or ${LOG_LEVELS.at(-1)}, in any case`,
  }),
);

/**
 * An integer from `min` to `max`; any value outside says so in one message with the range, and with the
 * setting's unit when it has one, so that `30s` or `10MB` is answered with how to write it.
 */
function integerSetting(
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
  unit?: 'milliseconds' | 'seconds' | 'bytes',
) {
  const error = `must be an integer from ${min} to ${max}${unit === undefined ? '' : ` (${unit}, without a unit)`}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

/** A host name by RFC 1123: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Whether the server can listen on `host`: an IPv4 or IPv6 address (no brackets), or a host name that is
 * not a malformed IPv4 address (`999.1.1.1` would only fail at the DNS lookup).
 */
function isListenHost(host: string): boolean {
  if (isIP(host) !== 0) return true;
  return HOST_NAME.test(host) && !/^[\d.]+$/.test(host);
}

/** Whether `url` is a `redis://` or `rediss://` URL Node can parse (a bad port is refused here, not later). */
function isRedisUrl(url: string): boolean {
  return /^rediss?:\/\//.test(url) && URL.canParse(url);
}

/**
 * Refuses upstream limits that the server's request deadline makes useless: an attempt timeout that is
 * not below `request_timeout_ms` (the request ends before a hung replica's attempt is cut, so it is never
 * retried on another replica) and a deadline above it (it never takes effect). Issues name the field.
 */
function checkUpstreamTimeouts(
  config: { models: readonly ModelConfig[]; request_timeout_ms: number },
  context: z.RefinementCtx,
): void {
  const requestTimeoutMs = config.request_timeout_ms;
  config.models.forEach((model, index) => {
    const backend = model.backend;
    if (backend.type === 'bm25') return;
    if (backend.timeout_ms !== undefined && backend.timeout_ms >= requestTimeoutMs) {
      context.addIssue({
        code: 'custom',
        path: ['models', index, 'backend', 'timeout_ms'],
        message: `the attempt timeout must be below request_timeout_ms (${requestTimeoutMs} ms): the request's deadline would end it first, so no attempt on a replica that does not answer could be retried on another replica. Lower it, or leave it out for a third of request_timeout_ms (at most 10000)`,
      });
    }
    if (backend.deadline_ms !== undefined && backend.deadline_ms > requestTimeoutMs) {
      context.addIssue({
        code: 'custom',
        path: ['models', index, 'backend', 'deadline_ms'],
        message: `the upstream deadline must not exceed request_timeout_ms (${requestTimeoutMs} ms): the request's deadline ends the call first, so it would never take effect. Lower it, or leave it out for request_timeout_ms`,
      });
    }
  });
}

/**
 * The server's configuration: environment variables over an optional JSON file (`SEALINK_CONFIG=path`
 * or `--config path`) over the defaults. The file uses the keys below; every key also has an
 * environment variable except `models`.
 */
export const ServerConfig = z
  .strictObject({
    port: setting('port', integerSetting(0, 65_535).default(8080), {
      env: 'PORT',
      type: 'integer (0-65535)',
      default: '8080',
      description: 'The TCP port to listen on.',
    }),
    host: setting(
      'host',
      z
        .string()
        .refine(isListenHost, {
          error:
            'must be an IP address or a host name (such as 0.0.0.0, ::, 127.0.0.1 or localhost), without brackets, scheme, port or spaces',
        })
        .default('127.0.0.1'),
      {
        env: 'HOST',
        type: 'string',
        default: '127.0.0.1',
        description:
          'The address to listen on. The default takes local connections only; use `0.0.0.0` in a container so the port can be published.',
      },
    ),
    api_keys: setting(
      'api_keys',
      z
        .array(z.string().min(1).regex(/^\S+$/, { error: 'an API key must not contain white space' }))
        .default([]),
      {
        env: 'SEALINK_API_KEYS',
        type: 'comma-separated strings',
        default: '',
        description:
          'The API keys clients send as `Authorization: Bearer <key>`. Kept in memory only as SHA-256 digests. When no key is set, authentication is off with a warning (refused when `NODE_ENV=production` unless `auth_disabled` is set).',
      },
    ),
    api_key_digests: setting(
      'api_key_digests',
      z
        .array(
          z.string().regex(/^[0-9a-fA-F]{64}$/, {
            // sha256sum prints `<hex>  -`: the command below keeps the digest only.
            error: `a key digest must be 64 hexadecimal digits (SHA-256) and nothing else, as \`${KEY_DIGEST_COMMAND}\` prints`,
          }),
        )
        .default([]),
      {
        env: 'SEALINK_API_KEY_DIGESTS',
        type: 'comma-separated SHA-256 hex digests',
        default: '',
        description: `SHA-256 digests of API keys, 64 hexadecimal digits each (\`${KEY_DIGEST_COMMAND}\` prints one), so the configuration never holds a key.`,
      },
    ),
    auth_disabled: setting('auth_disabled', booleanSetting.default(false), {
      env: 'SEALINK_AUTH_DISABLED',
      type: 'boolean',
      default: 'false',
      description: 'Turns authentication off even when keys are set; for local development only.',
    }),
    models_file: setting('models_file', z.string().min(1).optional(), {
      env: 'SEALINK_MODELS_FILE',
      type: 'path',
      default: '',
      description:
        'A JSON file with the model registry: a list of `{ id, backend, default_instruction?, max_documents?, max_concurrent_calls?, owned_by?, description? }`, where `backend` is `{ type: "bm25", options? }` or an upstream engine or provider `{ type: "tei" | "vllm" | "cohere" | ..., base_urls, model, api_key_env?, max_batch?, timeout_ms?, prompt_template?, ... }`. Relative paths are read from the working directory (with `pnpm start`, the folder it was run from).',
    }),
    models: setting('models', ModelsConfig.default(DEFAULT_MODELS), {
      env: '',
      type: 'list of models',
      default: '[{ "id": "bm25", "backend": { "type": "bm25" } }]',
      description:
        'The model registry, inline; `models_file` replaces it. The default serves the embedded `bm25` model only.',
    }),
    max_body_bytes: setting(
      'max_body_bytes',
      integerSetting(1024, 1024 * 1024 * 1024, 'bytes').default(DEFAULT_MAX_BODY_BYTES),
      {
        env: 'SEALINK_MAX_BODY_BYTES',
        type: 'integer (bytes)',
        default: String(DEFAULT_MAX_BODY_BYTES),
        description: 'The largest request body, enforced while it streams in; larger bodies get 413.',
      },
    ),
    request_timeout_ms: setting(
      'request_timeout_ms',
      integerSetting(1, 3_600_000, 'milliseconds').default(30_000),
      {
        env: 'SEALINK_REQUEST_TIMEOUT_MS',
        type: 'integer (milliseconds)',
        default: '30000',
        description:
          "The deadline of a rerank request, from its arrival to its answer: the wait for the rate limit's decision (a slow or stalled Redis), the body's upload and the backend all count against it; past it the request gets 504 and the backend is aborted (a body the server is still reading then gets 400 `request_receive_timeout` instead). An upstream model's `deadline_ms` defaults to it and its `timeout_ms` to a third of it (at most 10000), so a replica that does not answer is retried on another in time; larger explicit values are refused.",
      },
    ),
    drain_timeout_ms: setting(
      'drain_timeout_ms',
      integerSetting(0, 3_600_000, 'milliseconds').default(10_000),
      {
        env: 'SEALINK_DRAIN_TIMEOUT_MS',
        type: 'integer (milliseconds)',
        default: '10000',
        description:
          'On SIGTERM or SIGINT, how long in-flight requests may take to finish before their connections are cut.',
      },
    ),
    retry_after_seconds: setting('retry_after_seconds', integerSetting(1, 3600, 'seconds').default(5), {
      env: 'SEALINK_RETRY_AFTER_SECONDS',
      type: 'integer (seconds)',
      default: '5',
      description: 'The `Retry-After` sent with 503 answers while draining or while a model loads.',
    }),
    rate_limit_requests: setting('rate_limit_requests', integerSetting(1).optional(), {
      env: 'SEALINK_RATE_LIMIT_REQUESTS',
      type: 'integer',
      default: '',
      description:
        'The requests each API key (or client address, with auth off) may make to the rerank routes per window; over it, 429 `rate_limit_error` with `Retry-After`. Unset: no rate limit.',
    }),
    rate_limit_window_seconds: setting(
      'rate_limit_window_seconds',
      integerSetting(1, 86_400, 'seconds').default(60),
      {
        env: 'SEALINK_RATE_LIMIT_WINDOW_SECONDS',
        type: 'integer (seconds)',
        default: '60',
        description: 'The length of the rate-limit window.',
      },
    ),
    redis_url: setting(
      'redis_url',
      z
        .string()
        .refine(isRedisUrl, { error: 'must be a redis:// or rediss:// URL such as redis://host:6379/0' })
        .optional(),
      {
        env: 'SEALINK_REDIS_URL',
        type: 'URL',
        default: '',
        description:
          'A Redis server (`redis://host:6379/0`) that holds the rate-limit counters, so every server replica shares one budget per key. Unset: each process counts in memory. While Redis is unreachable, counting falls back to memory. Not used without `rate_limit_requests`.',
      },
    ),
    cors_origins: setting(
      'cors_origins',
      z
        .array(
          z.string().refine(isCorsOrigin, {
            error:
              'must be * or an origin as browsers send it: http(s)://host[:port] in lower case, no path or trailing slash (such as https://app.example.com)',
          }),
        )
        .default([]),
      {
        env: 'SEALINK_CORS_ORIGINS',
        type: 'comma-separated origins',
        default: '',
        description:
          'Browser origins allowed to call the API (CORS), such as `https://app.example.com`, or `*` for any. Their answers, errors included, carry `Access-Control-Allow-Origin`, and their preflights get 204. Unset: no CORS, so browsers refuse cross-origin calls; API keys rarely belong in a browser page.',
      },
    ),
    log_level: setting('log_level', logLevelSetting.default('info'), {
      env: 'SEALINK_LOG_LEVEL',
      type: 'fatal | error | warn | info | debug | trace | silent',
      default: 'info',
      description:
        'The level of the JSON logs written to stdout, in any case (`INFO` is `info`). One line per API request at `info`; requests to `/healthz`, `/readyz`, `/metrics` and `/openapi.json` at `debug`.',
    }),
    process_metrics: setting('process_metrics', booleanSetting.default(true), {
      env: 'SEALINK_PROCESS_METRICS',
      type: 'boolean',
      default: 'true',
      description: 'Also export process metrics (CPU, memory, event loop lag, GC) on `/metrics`.',
    }),
  })
  .superRefine(checkUpstreamTimeouts)
  .meta({ id: 'ServerConfig', description: 'The configuration of the SeaLink Rerank server.' });

/** The server's configuration, with every default applied. */
export type ServerConfig = z.infer<typeof ServerConfig>;

/** The server's configuration as written in a file or the environment, before defaults. */
export type ServerConfigInput = z.input<typeof ServerConfig>;

/** Every setting with its key, environment variable, type, default and description, for the docs. */
export const CONFIG_REFERENCE: readonly ConfigReferenceEntry[] = reference;
