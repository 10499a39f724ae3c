import { MAX_DOCUMENTS, MAX_INSTRUCTION_LENGTH } from '@sealink/rerank-contract';
import { SCORE_MAPPINGS } from '@sealink/rerank-contract/dialects';
import { z } from 'zod';
import {
  DEFAULT_BATCHES_IN_FLIGHT_PER_REPLICA,
  UpstreamBackend,
  type UpstreamBackendOptions,
} from './upstream-backend.js';
import { UPSTREAM_TYPES, upstreamEngine } from './upstream-engines.js';
import { DEFAULT_CONNECTIONS_PER_REPLICA } from './upstream-replica.js';
import type { UpstreamReplicaEventListener } from './upstream-replica-event.js';

const HttpUrl = z
  .url({ protocol: /^https?$/, error: 'a base URL must be an http or https URL' })
  .refine((value) => {
    // A value `new URL` cannot parse (a port out of range, a space) fails the URL check above already;
    // parsing it here would throw out of the validation instead of naming the field.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'a base URL must not carry credentials; use api_key_env')
  .refine(
    // The gateway joins the engine's route paths to the base URL's path; a query string or fragment would
    // be dropped without a word, so it is refused. Only a `?` or `#` starts one, so the text tells.
    (value) => !URL.canParse(value) || !/[?#]/.test(value),
    'a base URL must not carry a query string or fragment',
  )
  .meta({ description: 'The base URL of one replica, for example `http://tei-0:8080`.' });

/**
 * The replica a base URL names, as the replica pool reaches it: origin (lower-case host, default port
 * left out) and path without trailing slashes; `undefined` for a value that is not a URL.
 */
function replicaOf(value: string): string | undefined {
  if (!URL.canParse(value)) return undefined;
  const url = new URL(value);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Refuses a replica listed twice in `base_urls` (a copy-paste slip, or the same URL spelt with a trailing
 * slash): it would take twice the share of the load, and its log lines and circuit breakers could not
 * be told apart. The issue names the later entry.
 */
function refuseRepeatedReplicas(baseUrls: readonly string[], context: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  baseUrls.forEach((value, index) => {
    const replica = replicaOf(value);
    if (replica === undefined) return;
    const first = seen.get(replica);
    if (first === undefined) {
      seen.set(replica, index);
      return;
    }
    context.addIssue({
      code: 'custom',
      path: [index],
      message: `the replica ${value} is listed twice (as base_urls[${first}] too); each base URL must be a different replica`,
    });
  });
}

/**
 * A backend served by an inference engine or hosted rerank API, as the server configuration (JSON,
 * snake case) describes it. `createUpstreamBackendFromConfig` turns it into an {@link UpstreamBackend}.
 */
export const UpstreamBackendConfig = z
  .strictObject({
    type: z.enum(UPSTREAM_TYPES).meta({
      description:
        'The engine or provider: tei, vllm (vLLM /v1/rerank), vllm-score, infinity, llama-cpp, cohere (v2), cohere-v1, jina, voyage, dashscope or dashscope-compatible.',
    }),
    base_urls: z
      .array(HttpUrl)
      .min(1, { error: 'an upstream needs at least one base URL' })
      .superRefine(refuseRepeatedReplicas)
      .meta({ description: 'One base URL per replica; requests are balanced over them.' }),
    model: z
      .string()
      .min(1)
      .meta({ description: 'The model name the upstream knows, for example `Qwen/Qwen3-Reranker-0.6B`.' }),
    api_key_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'api_key_env must name an environment variable' })
      .optional()
      .meta({
        description:
          'The environment variable holding the upstream API key, sent as a bearer token. The key itself never goes in the configuration.',
      }),
    max_batch: z.int().min(1).max(MAX_DOCUMENTS).optional().meta({
      description:
        "Documents per upstream call; larger requests are split across replicas. Default: the engine's (TEI 32).",
    }),
    max_batches_in_flight_per_replica: z.int().min(1).max(1024).optional().meta({
      description:
        'Sub-batches of one request (split by max_batch) in flight at once per replica that takes calls; the next is sent when one ends, and its attempt timeout runs from then. Default 2 (an engine computing one batch at a time stays busy); at most connections_per_replica.',
    }),
    timeout_ms: z.int().min(1).max(600_000).optional().meta({
      description:
        "How long one upstream attempt may wait for its answer before another replica is tried. Default 10000; the server uses a third of its request_timeout_ms (or of a lower deadline_ms) when that is less, and refuses a value not below request_timeout_ms (the request's deadline would cut every attempt before it could be retried).",
    }),
    deadline_ms: z.int().min(1).max(600_000).optional().meta({
      description:
        'How long one scoring call may take in all, retries included. Default 30000; the server uses its request_timeout_ms, and refuses a larger value (it would never take effect).',
    }),
    max_attempts: z
      .int()
      .min(1)
      .max(10)
      .optional()
      .meta({ description: 'Replicas one sub-request is tried on. Default 3.' }),
    instruction: z.string().min(1).max(MAX_INSTRUCTION_LENGTH).optional().meta({
      description:
        "The instruction sent when neither the request nor the model's default_instruction gives one.",
    }),
    prompt_template: z.enum(['engine', 'qwen3']).optional().meta({
      description:
        '`qwen3`: the gateway writes the Qwen3-Reranker prompt (engines scoring raw pairs); `engine` (default): the engine or provider does.',
    }),
    score_mapping: z
      .enum(SCORE_MAPPINGS, { error: 'score_mapping must be "sigmoid" or "identity"' })
      .optional()
      .meta({
        description:
          "llama-cpp only: how the engine's scores map to [0, 1]. `sigmoid` (default) for the raw logit BGE and Jina GGUFs return; `identity` for a Qwen3-Reranker GGUF, which llama.cpp already answers with P(yes) in [0, 1] (a score outside [0, 1] is then a 502). Refused for other types, whose scale is fixed.",
      }),
    verify_on_load: z.boolean().optional().meta({
      description:
        'Score a known relevance fixture at start and refuse to serve on degenerate scores (a wrong prompt template) or an answer with no valid scores (raw logits, a wrong shape, an error status); an unreachable or saturated upstream does not fail it. Default false.',
    }),
    context_length: z
      .int()
      .min(1)
      .optional()
      .meta({ description: 'Tokens the model reads per pair, as listed. Default 8192.' }),
    connections_per_replica: z
      .int()
      .min(1)
      .max(1024)
      .optional()
      .meta({ description: 'Keep-alive connections per replica. Default 32.' }),
    circuit_breaker: z
      .strictObject({
        failure_threshold: z
          .int()
          .min(1)
          .optional()
          .meta({ description: 'Consecutive failures that open the circuit. Default 5.' }),
        cool_down_ms: z
          .int()
          .min(0)
          .optional()
          .meta({ description: 'How long an open circuit stays open. Default 10000.' }),
      })
      .optional()
      .meta({ description: 'The circuit breaker of each replica.' }),
    health_check: z
      .union([
        z.literal(false),
        // Bounded: Node runs a timer set above 2^31 - 1 ms after 1 ms instead, so a larger interval checked
        // every replica a thousand times a second, and a larger timeout failed every check at once.
        z.strictObject({
          interval_ms: z
            .int()
            .min(100)
            .max(86_400_000)
            .optional()
            .meta({ description: 'Between two checks, at most a day. Default 5000.' }),
          timeout_ms: z
            .int()
            .min(1)
            .max(600_000)
            .optional()
            .meta({ description: 'Per check, at most 600000. Default 2000.' }),
        }),
      ])
      .optional()
      .meta({
        description:
          'Active health checks (GET /health) of engine replicas, or false. Hosted APIs are checked passively only.',
      }),
  })
  .refine((config) => config.score_mapping === undefined || upstreamEngine(config.type).takesScoreMapping, {
    path: ['score_mapping'],
    error: (issue) => {
      const { type } = issue.input as { type: string };
      return `score_mapping applies to type llama-cpp only, whose scale depends on the GGUF it serves; the scale of a ${type} upstream is fixed, so leave it out`;
    },
  })
  .refine(
    // Sub-batches beyond the replica's connections wait in its connection pool with their attempt timers
    // running: the very wait the limit is there to avoid.
    (config) =>
      (config.max_batches_in_flight_per_replica ?? DEFAULT_BATCHES_IN_FLIGHT_PER_REPLICA) <=
      (config.connections_per_replica ?? DEFAULT_CONNECTIONS_PER_REPLICA),
    {
      path: ['max_batches_in_flight_per_replica'],
      error: `max_batches_in_flight_per_replica must not exceed connections_per_replica (${DEFAULT_CONNECTIONS_PER_REPLICA} by default): the other sub-batches would wait for a connection while their attempt timeouts ran`,
    },
  )
  .meta({ description: 'A backend served by upstream inference engine replicas or a hosted rerank API.' });

/** A backend served by an inference engine or hosted rerank API. */
export type UpstreamBackendConfig = z.infer<typeof UpstreamBackendConfig>;

/**
 * The attempt timeout and deadline a backend gets where its configuration leaves `timeout_ms` or
 * `deadline_ms` unset; the server derives them from its own request deadline. Unset here too, the
 * backend's defaults apply (10 000 and 30 000 ms).
 */
export interface UpstreamBackendDefaults {
  /** The attempt timeout when `timeout_ms` is unset, in ms. */
  timeoutMs?: number | undefined;
  /** The whole-call deadline when `deadline_ms` is unset, in ms. */
  deadlineMs?: number | undefined;
  /** Told when a replica's circuit or health check changes ({@link UpstreamBackendOptions.onReplicaEvent}). */
  onReplicaEvent?: UpstreamReplicaEventListener | undefined;
  /** Told when the load's fixture check suggests a setting is wrong ({@link UpstreamBackendOptions.onLoadWarning}). */
  onLoadWarning?: ((message: string) => void) | undefined;
}

/** The error thrown when an upstream configuration cannot be turned into a backend, such as a missing API key. */
export class UpstreamConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamConfigError';
  }
}

/** Whether a header value may carry `value`: no control character (a line break, NUL, DEL). */
function isHeaderSafe(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
  return !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value);
}

/**
 * Creates the backend an upstream configuration describes, reading its API key from the environment
 * variable the configuration names; `defaults` fill the timeouts the configuration leaves unset.
 * @throws UpstreamConfigError when that variable is unset or empty, or holds a key no header can carry.
 */
export function createUpstreamBackendFromConfig(
  config: UpstreamBackendConfig,
  environment: Readonly<Record<string, string | undefined>> = process.env,
  defaults: UpstreamBackendDefaults = {},
): UpstreamBackend {
  let apiKey: string | undefined;
  if (config.api_key_env !== undefined) {
    // A secret mounted from a file usually ends in a newline, which no header may carry: without the trim,
    // every call and health check would fail as if the upstream were down.
    apiKey = environment[config.api_key_env]?.trim();
    if (apiKey === undefined || apiKey === '') {
      throw new UpstreamConfigError(
        `the ${config.type} upstream of model ${config.model} reads its API key from ${config.api_key_env}, which is not set`,
      );
    }
    if (!isHeaderSafe(apiKey)) {
      throw new UpstreamConfigError(
        `the API key in ${config.api_key_env} (the ${config.type} upstream of model ${config.model}) holds a line break or another control character, which an HTTP header cannot carry`,
      );
    }
  }
  const healthCheck = config.health_check;
  return new UpstreamBackend({
    type: config.type,
    baseUrls: config.base_urls,
    model: config.model,
    apiKey,
    maxBatch: config.max_batch,
    maxBatchesInFlightPerReplica: config.max_batches_in_flight_per_replica,
    timeoutMs: config.timeout_ms ?? defaults.timeoutMs,
    deadlineMs: config.deadline_ms ?? defaults.deadlineMs,
    maxAttempts: config.max_attempts,
    instruction: config.instruction,
    promptTemplate: config.prompt_template,
    scoreMapping: config.score_mapping,
    verifyOnLoad: config.verify_on_load,
    contextLength: config.context_length,
    connectionsPerReplica: config.connections_per_replica,
    breaker:
      config.circuit_breaker === undefined
        ? undefined
        : {
            ...(config.circuit_breaker.failure_threshold === undefined
              ? {}
              : { failureThreshold: config.circuit_breaker.failure_threshold }),
            ...(config.circuit_breaker.cool_down_ms === undefined
              ? {}
              : { coolDownMs: config.circuit_breaker.cool_down_ms }),
          },
    healthCheck:
      healthCheck === undefined || healthCheck === false
        ? healthCheck
        : { intervalMs: healthCheck.interval_ms, timeoutMs: healthCheck.timeout_ms },
    onReplicaEvent: defaults.onReplicaEvent,
    onLoadWarning: defaults.onLoadWarning,
  });
}
