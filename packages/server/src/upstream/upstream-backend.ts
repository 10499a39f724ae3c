import { MAX_DOCUMENTS, type NormalizedRerankRequest } from '@sealink/rerank-contract';
import {
  DialectResponseError,
  detectDegenerateScores,
  formatQwen3RerankerDocument,
  formatQwen3RerankerQuery,
  QWEN3_RERANKER_DEFAULT_INSTRUCTION,
  RELEVANCE_FIXTURE,
  type RerankDialect,
  SCORE_MAPPINGS,
  type ScoreMapping,
  scoresInRequestOrder,
  sigmoid,
} from '@sealink/rerank-contract/dialects';
import type {
  ReplicaCounts,
  ScoringBackendLimits,
  ScoringBackendV1,
  ScoringCallOptionsV1,
  ScoringResultV1,
  ScoringWarning,
} from '../backend/scoring-backend-v1.js';
import { ScoringError } from '../backend/scoring-error.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import { postToReplica } from './post-to-replica.js';
import { ReplicaPool } from './replica-pool.js';
import { type DocumentBatch, splitIntoBatches } from './split-into-batches.js';
import { UpstreamAbort } from './upstream-abort.js';
import { UpstreamConformanceError } from './upstream-conformance-error.js';
import { type UpstreamEngine, type UpstreamType, upstreamEngine } from './upstream-engines.js';
import {
  failureLogReason,
  failureToScoringError,
  isRetryableFailure,
  noReplicaAvailableError,
  overloadHoldMs,
  type UpstreamFailure,
} from './upstream-failure.js';
import { MAX_RESPONSE_BYTES, type UpstreamReplica } from './upstream-replica.js';
import { reportReplicaEvent, type UpstreamReplicaEventListener } from './upstream-replica-event.js';

/** Who formats the Qwen3-Reranker prompt. */
export type UpstreamPromptTemplate =
  /** The engine scores what it gets as is, or applies its own template (vLLM `--chat-template`, hosted APIs). */
  | 'engine'
  /**
   * The gateway wraps query and documents in the Qwen3-Reranker prompt (with the instruction) before
   * sending, for engines that score raw pairs with a converted `Qwen3ForSequenceClassification` model
   * (vLLM with the `hf_overrides`, TEI, Infinity).
   */
  | 'qwen3';

/** Options of {@link UpstreamBackend}. */
export interface UpstreamBackendOptions {
  /** The kind of upstream: selects the wire format, routes and defaults. */
  type: UpstreamType;
  /** One base URL per replica, for example `http://tei-0:8080`. */
  baseUrls: readonly string[];
  /** The model name the upstream knows, for example `Qwen/Qwen3-Reranker-0.6B`. */
  model: string;
  /** The upstream's API key, sent as a bearer token; never logged or put in error messages. */
  apiKey?: string | undefined;
  /** The most documents one upstream call carries; defaults to the engine's own default (TEI: 32). */
  maxBatch?: number | undefined;
  /**
   * The most sub-batches of one call (of more than `maxBatch` documents) in flight at once, per replica that
   * may take a call; the next is sent when one ends. Defaults to 2: one computing and one waiting keeps an
   * engine that computes one batch at a time busy, and a sub-batch waits there behind at most one other of
   * its call, so an attempt's timeout (which runs from when the sub-batch is sent) needs to cover two batch
   * times. Sending every sub-batch of a large call at once timed the last ones out behind the call's own
   * others and opened the circuits of healthy replicas. Raise it for engines that compute many requests
   * together.
   */
  maxBatchesInFlightPerReplica?: number | undefined;
  /**
   * How long one upstream attempt may take before it is retried on another replica, in ms. Defaults to
   * 10 000. Keep it well below the caller's own deadline (the server's `request_timeout_ms`), or an attempt
   * on a replica that never answers is cut by the caller before it can be retried elsewhere.
   */
  timeoutMs?: number | undefined;
  /** How long one `doScore` call may take in all, retries included, in ms. Defaults to 30 000. */
  deadlineMs?: number | undefined;
  /** Replicas one sub-request is tried on before it fails. Defaults to 3. */
  maxAttempts?: number | undefined;
  /** The instruction sent when a call has none (for Qwen3 prompts: the model card's default). */
  instruction?: string | undefined;
  /** Who formats the Qwen3-Reranker prompt; defaults to `engine`. */
  promptTemplate?: UpstreamPromptTemplate | undefined;
  /**
   * How the engine's scores map to [0, 1], for the types whose scale depends on the model they serve
   * (`llama-cpp` only, see {@link UpstreamEngine.takesScoreMapping}): `sigmoid` (the default) for the raw
   * logit of a ranking head, as llama.cpp returns for BGE and Jina GGUFs; `identity` for a Qwen3-Reranker
   * GGUF, which llama.cpp already answers with P(yes) in [0, 1]. Under `identity` a score outside [0, 1]
   * fails the call as an invalid answer (502 `upstream_invalid_response`); it is never clamped. Other
   * types read their dialect's fixed scale, and giving them a mapping throws a `TypeError`.
   */
  scoreMapping?: ScoreMapping | undefined;
  /** The most tokens the model reads of one query-document pair, as listed by `GET /v1/models`. Defaults to 8 192. */
  contextLength?: number | undefined;
  /** Keep-alive connections per replica. Defaults to 32. */
  connectionsPerReplica?: number | undefined;
  /** Circuit breaker settings of every replica. */
  breaker?: CircuitBreakerOptions | undefined;
  /**
   * Whether `load` scores a known relevance fixture and fails with an {@link UpstreamConformanceError}
   * when the engine ranks it like a broken reranker (a wrong Qwen3 template gives near-constant scores)
   * or answers it with something other than scores (an error status, raw logits where probabilities are
   * due, a body of the wrong shape). An unreachable, too slow or saturated upstream does not fail the
   * check: `load` waits (the model is not served meanwhile) and checks again when a replica may take a
   * call, until it gets a verdict, its `abortSignal` aborts or the backend is closed. `false` by default.
   */
  verifyOnLoad?: boolean | undefined;
  /**
   * Told when `load`'s fixture check (`verifyOnLoad`) passes but its scores suggest a setting is wrong: a
   * `llama-cpp` upstream read with the `sigmoid` mapping whose every fixture score was in [0, 1] before
   * the mapping, as the probabilities of a Qwen3-Reranker GGUF are (the sigmoid squeezes them into
   * [0.5, 0.731], so ranking works but score thresholds do not). The message names no document text.
   * The server's CLI logs it at `warn`. A listener that throws is ignored.
   */
  onLoadWarning?: ((message: string) => void) | undefined;
  /** Active health check timing, or `false` to check passively only. Hosted APIs are never checked actively. */
  healthCheck?: { intervalMs?: number | undefined; timeoutMs?: number | undefined } | false | undefined;
  /**
   * Told when a replica's circuit opens or closes, or its health check starts failing or passes again
   * (once per change), for the operator's logs. The server's CLI logs them at `warn` and `info`.
   */
  onReplicaEvent?: UpstreamReplicaEventListener | undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function abortableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error of a call to a backend that is closed. */
function backendClosedError(): ScoringError {
  return new ScoringError({
    type: 'overloaded_error',
    code: 'backend_closed',
    message: 'the upstream backend is shut down',
    retryAfterSeconds: 1,
  });
}

/** The per-attempt timeout of {@link UpstreamBackend} when none is given, in ms. */
const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

/** The whole-call deadline of {@link UpstreamBackend} when none is given, in ms. */
const DEFAULT_DEADLINE_MS = 30_000;

/** Sub-batches of one call in flight per replica when {@link UpstreamBackendOptions.maxBatchesInFlightPerReplica} is not given. */
export const DEFAULT_BATCHES_IN_FLIGHT_PER_REPLICA = 2;

/** What one sub-request's answer gave. */
interface BatchScores {
  scores: Float64Array;
  tokens: number | undefined;
}

/** The outcome of one attempt on one replica. */
type AttemptOutcome = { ok: true; value: BatchScores } | { ok: false; failure: UpstreamFailure };

/**
 * The half-open circuit trials the sub-requests of one scattered call hold, each with a promise that
 * settles when its attempt ends. A sibling that finds no replica only because of them waits for them.
 */
type CallTrials = Map<UpstreamReplica, Promise<void>>;

/** Does nothing; settles a promise's rejection as handled. */
function ignore(): void {}

/** The end of a trial `trials` holds on a replica not in `tried`, if there is one. */
function pendingTrial(
  trials: CallTrials | undefined,
  tried: ReadonlySet<UpstreamReplica>,
): Promise<void> | undefined {
  if (trials === undefined) return undefined;
  for (const [replica, ended] of trials) if (!tried.has(replica)) return ended;
  return undefined;
}

/** A rough token count for upstreams that report none: about four characters per token. */
function estimateTokens(query: string, documents: readonly string[]): number {
  let characters = 0;
  for (const document of documents) characters += query.length + document.length;
  return Math.ceil(characters / 4);
}

/** The `code` of an error (undici's, Node's), if it has one. */
function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** Whether undici gave up waiting for an answer's headers or body. */
function isUndiciTimeout(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

/**
 * The value of a `Retry-After` header in whole seconds (at least 1), given as seconds or as an HTTP date.
 * RFC 9110 allows whole seconds only, but engines send decimals (`12.5`): those are seconds too, rounded
 * up (`Date.parse` would read `12.5` as a date in 2001, a hold of 1 s).
 */
function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) return Math.max(1, Math.ceil(Number(text)));
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

/**
 * A scoring backend that forwards to an inference engine or hosted rerank API over HTTP: one generic
 * backend with the wire format chosen by `type` (a contract dialect). It splits large calls into
 * sub-batches sent in parallel across replicas (least outstanding requests first), retries a failed
 * sub-batch on another replica, keeps a circuit breaker per replica, holds a replica that answers 429
 * or 503 back until its `Retry-After`, and checks replica health actively.
 *
 * Each attempt is bounded by `timeoutMs` and the whole call by `deadlineMs`, both with timers of its
 * own that fire an {@link UpstreamAbort} (an `EventEmitter`, cheaper than an `AbortController` per
 * attempt); the caller's `abortSignal` (client gone, the server's request deadline) aborts the same way.
 * Scoring POSTs go through undici's `Pool.dispatch` ({@link postToReplica}), not `undici.request`.
 * Failures surface as {@link ScoringError}s: 502 `upstream_error`, 504 `timeout_error`, 503
 * `overloaded_error` with a retry hint.
 */
export class UpstreamBackend implements ScoringBackendV1 {
  /** The scoring backend specification this class implements. */
  readonly specificationVersion = 'v1';
  /** `upstream.` and the configured type, for example `upstream.tei`. */
  readonly provider: string;
  /** The model name the upstream knows. */
  readonly modelId: string;
  /** Up to the contract's maximum per call (the backend splits by itself), the configured context length, and whether an instruction reaches the model. */
  readonly limits: ScoringBackendLimits;
  /** The engine's routes and capabilities. */
  readonly engine: UpstreamEngine;
  readonly #dialect: RerankDialect<unknown, unknown>;
  readonly #pool: ReplicaPool;
  readonly #headers: Record<string, string>;
  readonly #maxBatch: number;
  readonly #maxBatchesInFlightPerReplica: number;
  readonly #timeoutMs: number;
  readonly #deadlineMs: number;
  readonly #maxAttempts: number;
  readonly #instruction: string | undefined;
  readonly #promptTemplate: UpstreamPromptTemplate;
  readonly #secrets: readonly string[];
  readonly #onReplicaEvent: UpstreamReplicaEventListener | undefined;
  readonly #verifyOnLoad: boolean;
  /** The configured mapping, else the raw-score one (asked for with `rawScores`); the dialect's own when undefined. */
  readonly #scoreMapping: ScoreMapping | undefined;
  readonly #onLoadWarning: ((message: string) => void) | undefined;
  #loaded = false;
  #closed = false;

  constructor(options: UpstreamBackendOptions) {
    this.engine = upstreamEngine(options.type);
    this.#dialect = this.engine.info.dialect;
    this.provider = `upstream.${options.type}`;
    this.modelId = options.model;
    this.#maxBatch = options.maxBatch ?? this.engine.info.defaultMaxBatch;
    if (!Number.isInteger(this.#maxBatch) || this.#maxBatch < 1) {
      throw new TypeError(`maxBatch must be a positive integer, got ${this.#maxBatch}`);
    }
    this.#maxBatchesInFlightPerReplica =
      options.maxBatchesInFlightPerReplica ?? DEFAULT_BATCHES_IN_FLIGHT_PER_REPLICA;
    if (!Number.isInteger(this.#maxBatchesInFlightPerReplica) || this.#maxBatchesInFlightPerReplica < 1) {
      throw new TypeError(
        `maxBatchesInFlightPerReplica must be a positive integer, got ${this.#maxBatchesInFlightPerReplica}`,
      );
    }
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.#deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.#instruction = options.instruction;
    this.#promptTemplate = options.promptTemplate ?? 'engine';
    this.#verifyOnLoad = options.verifyOnLoad ?? false;
    if (options.scoreMapping !== undefined) {
      if (!(SCORE_MAPPINGS as readonly string[]).includes(options.scoreMapping)) {
        throw new TypeError(
          `scoreMapping must be one of ${SCORE_MAPPINGS.join(', ')}, got ${String(options.scoreMapping)}`,
        );
      }
      if (!this.engine.takesScoreMapping) {
        throw new TypeError(
          `scoreMapping applies to llama-cpp upstreams only: the ${options.type} upstream's scores are always read with its dialect's ${this.engine.info.rawScoreMapping ?? this.engine.info.scoreMapping} mapping`,
        );
      }
    }
    this.#scoreMapping = options.scoreMapping ?? this.engine.info.rawScoreMapping;
    this.#onLoadWarning = options.onLoadWarning;
    this.#secrets = options.apiKey === undefined || options.apiKey === '' ? [] : [options.apiKey];
    this.#headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.apiKey !== undefined && options.apiKey !== '') {
      this.#headers.authorization = `Bearer ${options.apiKey}`;
    }
    const healthPath = this.engine.healthPath;
    this.#onReplicaEvent = options.onReplicaEvent;
    this.#pool = new ReplicaPool({
      baseUrls: options.baseUrls,
      upstream: this.provider,
      onReplicaEvent: options.onReplicaEvent,
      ...(options.connectionsPerReplica === undefined
        ? {}
        : { connectionsPerReplica: options.connectionsPerReplica }),
      ...(options.breaker === undefined ? {} : { breaker: options.breaker }),
      ...(healthPath === undefined || options.healthCheck === false
        ? {}
        : {
            healthCheck: {
              path: healthPath,
              headers: this.#headers,
              ...(options.healthCheck?.intervalMs === undefined
                ? {}
                : { intervalMs: options.healthCheck.intervalMs }),
              ...(options.healthCheck?.timeoutMs === undefined
                ? {}
                : { timeoutMs: options.healthCheck.timeoutMs }),
            },
          }),
    });
    this.limits = {
      // The backend scatters large calls itself, across replicas, so the server may send it everything at once.
      maxDocumentsPerCall: MAX_DOCUMENTS,
      contextLength: options.contextLength ?? 8192,
      supportsInstruction: this.#promptTemplate === 'qwen3' || this.engine.acceptsInstruction,
    };
  }

  /** The replicas, for health reporting and tests. */
  get replicas(): readonly UpstreamReplica[] {
    return this.#pool.replicas;
  }

  /** How long one upstream attempt may take before it is retried on another replica, in ms. */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** How long one `doScore` call may take in all, retries included, in ms. */
  get deadlineMs(): number {
    return this.#deadlineMs;
  }

  /** The most sub-batches of one call in flight at once, per replica that may take a call. */
  get maxBatchesInFlightPerReplica(): number {
    return this.#maxBatchesInFlightPerReplica;
  }

  /**
   * Runs a first round of health checks, then keeps checking in the background; with `verifyOnLoad`,
   * checks that the engine ranks a known fixture sensibly, waiting for an upstream that cannot be reached,
   * is too slow or is saturated until it answers.
   * @throws UpstreamConformanceError when it ranks the fixture like a broken reranker or answers it
   * with no valid scores; the abort reason when `abortSignal` aborts first; a `backend_closed`
   * ScoringError when the backend is closed while the load waits.
   */
  async load(options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    await this.#pool.checkHealth();
    this.#pool.startHealthChecks();
    this.#loaded = true;
    if (!this.#verifyOnLoad) return;
    try {
      // An upstream that cannot be reached, is too slow or is saturated gives no verdict: ask again when a
      // replica may take a call, so that a model whose engine starts after the gateway (a large model
      // loading its weights) is never served unchecked. The load stays under way meanwhile.
      while (!(await this.#checkRanking(options))) {
        // Closed meanwhile: no call can give a verdict any more, and the load must not outlive the backend.
        if (this.#closed) throw backendClosedError();
        await abortableDelay(this.#pool.retryAfterSeconds() * 1000, options.abortSignal);
      }
    } catch (error) {
      // The model will not be served: nothing may keep polling its replicas until the server shuts down.
      this.#loaded = false;
      this.#pool.stopHealthChecks();
      throw error;
    }
  }

  /**
   * Scores the contract's relevance fixture and throws when the scores are degenerate or the engine
   * answers with something other than scores. Resolves without a verdict when the upstream cannot be
   * reached, is too slow or is saturated (503 `overloaded_error` or 504 `timeout_error`), since that says
   * nothing about the model; readiness reports it.
   * @throws UpstreamConformanceError when the engine ranks the fixture like a broken reranker, or answers
   * it with an error status or an invalid body (502 `upstream_error`: raw logits, the wrong shape).
   */
  async verifyRanking(options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    await this.#checkRanking(options);
  }

  /** {@link verifyRanking}, resolving `true` with a verdict (the ranking passed) and `false` without one. */
  async #checkRanking(options: { abortSignal?: AbortSignal }): Promise<boolean> {
    let scores: ArrayLike<number>;
    try {
      const result = await this.doScore({
        query: RELEVANCE_FIXTURE.query,
        documents: RELEVANCE_FIXTURE.documents,
        instruction: RELEVANCE_FIXTURE.instruction,
        ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
      });
      scores = result.scores;
    } catch (error) {
      if (!(error instanceof ScoringError)) throw error;
      if (options.abortSignal?.aborted === true) throw options.abortSignal.reason;
      if (error.type === 'overloaded_error' || error.type === 'timeout_error') return false;
      throw new UpstreamConformanceError(this.provider, [
        `it answered the fixture with no valid scores (${error.code}: ${error.message})`,
      ]);
    }
    const report = detectDegenerateScores(scores);
    if (report.degenerate) throw new UpstreamConformanceError(this.provider, report.reasons);
    this.#warnOfProbabilitiesUnderSigmoid(scores);
    return true;
  }

  /**
   * Warns when a `llama-cpp` upstream read with the `sigmoid` mapping gave every fixture score in [0, 1]
   * before the mapping (in [0.5, sigmoid(1)] after it): a ranking head's logits for the fixture's clearly
   * irrelevant documents are well below 0, so the engine most likely returns probabilities (P(yes) of a
   * Qwen3-Reranker GGUF) and the model needs `score_mapping: "identity"`.
   */
  #warnOfProbabilitiesUnderSigmoid(scores: ArrayLike<number>): void {
    if (this.#onLoadWarning === undefined || !this.engine.takesScoreMapping) return;
    if ((this.#scoreMapping ?? this.engine.info.scoreMapping) !== 'sigmoid') return;
    const highest = sigmoid(1);
    const values = Array.from(scores);
    if (values.length === 0 || !values.every((score) => score >= 0.5 && score <= highest)) return;
    try {
      this.#onLoadWarning(
        `every score the ${this.provider} upstream gave the relevance fixture was in [0, 1] before the sigmoid mapping, so it likely returns probabilities (llama.cpp does for a Qwen3-Reranker GGUF) and every relevance score is squeezed into [0.5, 0.731]: set score_mapping: "identity" for this model`,
      );
    } catch {
      // The listener is the operator's logging; the load goes on without it.
    }
  }

  /** Whether some replica is healthy and its circuit lets calls pass. */
  isReady(): boolean {
    return !this.#closed && this.#pool.hasAvailableReplica();
  }

  /** {@inheritDoc ScoringBackendV1.replicaCounts} */
  replicaCounts(): ReplicaCounts {
    const { replicas } = this.#pool;
    const available = this.#closed ? 0 : replicas.filter((replica) => replica.isAvailable()).length;
    return { available, total: replicas.length };
  }

  /**
   * Whole seconds (at least 1) until some replica may take a call again: the end of the shortest circuit
   * cool-down or 429 hold, or the next health check of an unhealthy replica. The server sends it as
   * `Retry-After` while the backend is not ready.
   */
  retryAfterSeconds(): number {
    return this.#pool.retryAfterSeconds();
  }

  /** Stops the health checks and closes every connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.close();
  }

  /** Scores the documents: scatter across replicas, gather by index. */
  async doScore(options: ScoringCallOptionsV1): Promise<ScoringResultV1> {
    if (this.#closed) throw backendClosedError();
    if (!this.#loaded) this.#pool.startHealthChecks();
    const warnings: ScoringWarning[] = [];
    if (options.documents.length === 0)
      return { scores: new Float64Array(0), usage: { tokens: 0 }, warnings };
    const request = this.#prepare(options, warnings);
    const callerSignal = options.abortSignal;
    if (callerSignal?.aborted === true) throw this.#abortError(callerSignal.reason);
    // One abort stops every sub-request: on the caller's abort, the deadline, or a failed sub-batch.
    // Plain listeners and one timer (see UpstreamAbort for why no AbortController or AbortSignal.any).
    const scatter = new UpstreamAbort();
    let callerAborted = false;
    const onCallerAbort = () => {
      callerAborted = true;
      scatter.abort(callerSignal?.reason);
    };
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    let deadlinePassed = false;
    const deadlineTimer = setTimeout(() => {
      deadlinePassed = true;
      scatter.abort(new DOMException('the upstream deadline passed', 'TimeoutError'));
    }, this.#deadlineMs);
    const batches = splitIntoBatches(request.documents, this.#maxBatch);
    // Every in-flight sub-request listens on the scatter; that many listeners is expected, not a leak.
    scatter.setMaxListeners(batches.length + 10);
    let scores: ArrayLike<number>;
    let reportedTokens = 0;
    let everyBatchReported = true;
    try {
      if (batches.length === 1) {
        // One sub-request (the common case): no gathering.
        const result = await this.#scoreBatch(request, batches[0]!, scatter);
        scores = result.scores;
        reportedTokens = result.tokens ?? 0;
        everyBatchReported = result.tokens !== undefined;
      } else {
        const gathered = new Float64Array(options.documents.length);
        scores = gathered;
        await this.#scatter(request, batches, scatter, (batch, result) => {
          gathered.set(result.scores, batch.start);
          if (result.tokens === undefined) everyBatchReported = false;
          else reportedTokens += result.tokens;
        });
      }
    } catch (error) {
      if (callerAborted) throw this.#abortError(callerSignal?.reason);
      if (deadlinePassed) {
        throw new ScoringError({
          type: 'timeout_error',
          code: 'upstream_deadline_exceeded',
          message: `the ${this.provider} upstream did not answer within ${this.#deadlineMs} ms`,
          cause: error,
        });
      }
      throw error;
    } finally {
      clearTimeout(deadlineTimer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
    const tokens = everyBatchReported ? reportedTokens : estimateTokens(options.query, options.documents);
    return { scores, usage: { tokens }, warnings };
  }

  /**
   * Scores `batches` in parallel, at most {@link maxBatchesInFlightPerReplica} per replica that may take a
   * call at a time (counted again each time one ends, so a replica leaving the rotation mid-call does not
   * leave its share queued on the others); each is sent, and its attempt timer started, when a place is
   * free. Rejects with the first failure, aborting `scatter` (and so the sub-batches in flight); when
   * `scatter` aborts (the caller, the deadline), rejects at once and sends nothing more.
   */
  #scatter(
    request: NormalizedRerankRequest,
    batches: readonly DocumentBatch[],
    scatter: UpstreamAbort,
    gather: (batch: DocumentBatch, result: BatchScores) => void,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const trials: CallTrials = new Map();
      let next = 0;
      let inFlight = 0;
      let ended = false;
      const fail = (error: unknown) => {
        if (ended) return;
        ended = true;
        scatter.off('abort', onAbort);
        scatter.abort(error);
        reject(error);
      };
      const onAbort = () => fail(scatter.reason);
      const sendMore = () => {
        if (ended) return;
        if (next === batches.length && inFlight === 0) {
          ended = true;
          scatter.off('abort', onAbort);
          resolve();
          return;
        }
        const limit = this.#maxBatchesInFlightPerReplica * Math.max(1, this.#pool.takingRequestCount());
        while (next < batches.length && inFlight < limit) {
          const batch = batches[next++]!;
          inFlight++;
          this.#scoreBatch(request, batch, scatter, trials).then(
            (result) => {
              inFlight--;
              if (ended) return;
              gather(batch, result);
              sendMore();
            },
            (error: unknown) => {
              inFlight--;
              fail(error);
            },
          );
        }
      };
      if (scatter.aborted) {
        reject(scatter.reason);
        return;
      }
      scatter.once('abort', onAbort);
      sendMore();
    });
  }

  /** The request as the dialect takes it: instruction resolved, Qwen3 prompt applied when the gateway formats it. */
  #prepare(options: ScoringCallOptionsV1, warnings: ScoringWarning[]): NormalizedRerankRequest {
    const request: NormalizedRerankRequest = {
      model: this.modelId,
      query: options.query,
      documents: options.documents as string[],
      topN: options.documents.length,
      returnDocuments: false,
    };
    const instruction = options.instruction ?? this.#instruction;
    if (this.#promptTemplate === 'qwen3') {
      const resolved = instruction ?? QWEN3_RERANKER_DEFAULT_INSTRUCTION;
      request.query = formatQwen3RerankerQuery({ instruction: resolved, query: options.query });
      request.documents = options.documents.map(formatQwen3RerankerDocument);
    } else if (instruction !== undefined) {
      if (this.engine.acceptsInstruction) request.instruction = instruction;
      else if (options.instruction !== undefined) {
        warnings.push({
          type: 'unsupported-setting',
          setting: 'instruction',
          details: `the ${this.provider} upstream takes no instruction`,
        });
      }
    }
    // Engines read JSON strictly: TEI's serde_json refuses a lone UTF-16 surrogate (which JSON.stringify
    // writes as an escape) and Python engines fail to encode one, so a client's odd text would come back as
    // a 502. Texts go out well formed, a lone surrogate as U+FFFD; well-formed texts are not copied.
    request.query = request.query.toWellFormed();
    if (!request.documents.every((text) => text.isWellFormed())) {
      request.documents = request.documents.map((text) => text.toWellFormed());
    }
    if (request.instruction !== undefined) request.instruction = request.instruction.toWellFormed();
    if (options.maxTokensPerDocument !== undefined) {
      // Exact per document (Cohere v2), or only "cut to the model's length" (TEI, vLLM): the dialect then
      // sends `truncate: true` / `truncate_prompt_tokens: -1`, never the count.
      const tokenLimit = this.engine.info.tokenLimit;
      if (tokenLimit.kind !== 'none') request.maxTokensPerDocument = options.maxTokensPerDocument;
      if (!this.engine.acceptsMaxTokensPerDocument) {
        warnings.push({
          type: 'unsupported-setting',
          setting: 'maxTokensPerDocument',
          details:
            tokenLimit.kind === 'model-length'
              ? `the ${this.provider} upstream has no per-document token limit, so the count is not honoured: it truncates each query-document pair to the model's length instead (${tokenLimit.wire})`
              : `the ${this.provider} upstream truncates to the model's context length instead`,
        });
      }
    }
    return request;
  }

  /**
   * Scores one sub-batch, trying up to `maxAttempts` different replicas. `trials` is shared by the
   * sub-requests of one scattered call (undefined for a call of one sub-request).
   */
  async #scoreBatch(
    request: NormalizedRerankRequest,
    batch: DocumentBatch,
    signal: UpstreamAbort,
    trials?: CallTrials,
  ): Promise<BatchScores> {
    const subRequest: NormalizedRerankRequest = {
      ...request,
      documents: batch.documents as string[],
      topN: batch.documents.length,
    };
    const body = JSON.stringify(
      this.#dialect.toRequest(subRequest, {
        upstreamModel: this.modelId,
        rawScores: this.engine.info.rawScoreMapping !== undefined,
        // The gateway's Qwen3 prompt ends where the model reads its answer: an engine that cuts on the right
        // by default (TEI) would drop that end from every pair longer than the model. Cut the start instead.
        truncateFromStart: this.#promptTemplate === 'qwen3',
      }),
    );
    const tried = new Set<UpstreamReplica>();
    let lastFailure: UpstreamFailure | undefined;
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      signal.throwIfAborted();
      let replica = this.#acquire(tried, lastFailure);
      // A replica whose circuit is half-open takes one trial call; when a sibling sub-request of this call
      // holds it, failing here would abort the trial too, so the circuit never got its verdict and every
      // call of more than one sub-request failed for as long as no smaller call came by. Wait for the
      // trial instead (it follows the scatter, so an abort or the deadline ends the wait as well).
      for (let trial = pendingTrial(trials, tried); replica === undefined && trial !== undefined; ) {
        await trial;
        signal.throwIfAborted();
        replica = this.#acquire(tried, lastFailure);
        trial = pendingTrial(trials, tried);
      }
      if (replica === undefined) break;
      tried.add(replica);
      const isTrial = replica.breaker.state === 'half-open';
      const sent = this.#attempt(replica, isTrial, body, batch.documents.length, signal);
      if (isTrial && trials !== undefined) {
        const ended = sent.then(ignore, ignore);
        trials.set(replica, ended);
        void ended.then(() => {
          if (trials.get(replica) === ended) trials.delete(replica);
        });
      }
      const outcome = await sent;
      if (outcome.ok) return outcome.value;
      lastFailure = outcome.failure;
      if (!isRetryableFailure(outcome.failure)) break;
    }
    signal.throwIfAborted();
    const retryAfterSeconds = this.#pool.retryAfterSeconds();
    if (lastFailure === undefined) {
      const why = this.#pool.isSaturated() ? 'saturated' : 'down';
      throw noReplicaAvailableError(this.provider, retryAfterSeconds, why);
    }
    throw failureToScoringError(this.provider, lastFailure, retryAfterSeconds);
  }

  /**
   * A replica for a sub-request's next attempt: one not yet tried; after a dropped connection (perhaps a
   * stale keep-alive socket, not a dead replica) one already tried when no other is left (the circuit
   * breaker still stops a dead one).
   */
  #acquire(tried: ReadonlySet<UpstreamReplica>, lastFailure: UpstreamFailure | undefined) {
    return (
      this.#pool.acquire(tried) ?? (lastFailure?.kind === 'connection' ? this.#pool.acquire() : undefined)
    );
  }

  /**
   * One POST to one replica; reports the outcome to the replica's circuit breaker. A 429 or 503 is no
   * breaker failure (the replica answered, it is busy or rate-limited): the replica is held back until its
   * `Retry-After` instead, so one hosted base URL answering a few 429s does not open its circuit.
   * `isTrial` says whether this call is the half-open circuit's one trial (read right after `acquire`,
   * before any await): only the trial's end without a verdict may free it, not that of a call sent before
   * the circuit opened.
   */
  async #attempt(
    replica: UpstreamReplica,
    isTrial: boolean,
    body: string,
    documentCount: number,
    signal: UpstreamAbort,
  ): Promise<AttemptOutcome> {
    let outcome: AttemptOutcome;
    // A timer of our own bounds the attempt: undici's headersTimeout/bodyTimeout run on coarse timers that
    // fired a 150 ms limit only after about 1 s, which kept a slow replica's attempts far too long. The
    // attempt also follows the scatter, so a failed sibling or the deadline stops it.
    const attempt = new UpstreamAbort();
    const attemptTimer = setTimeout(() => attempt.abort(new Error('attempt timed out')), this.#timeoutMs);
    const stopFollowing = attempt.follow(signal);
    try {
      const answer = await postToReplica(
        replica.pool,
        { path: `${replica.pathPrefix}${this.engine.path}`, headers: this.#headers, body },
        attempt,
      );
      outcome = this.#readAnswer(answer.status, answer.headers['retry-after'], answer.text, documentCount);
    } catch (error) {
      if (signal.aborted) {
        clearTimeout(attemptTimer);
        stopFollowing();
        if (isTrial) replica.breaker.recordNeutral();
        this.#pool.release(replica);
        throw signal.reason;
      }
      const message = this.#redact(error instanceof Error ? error.message : String(error));
      if (attempt.aborted || isUndiciTimeout(error)) {
        outcome = {
          ok: false,
          failure: { kind: 'timeout', message: `no answer within ${this.#timeoutMs} ms` },
        };
      } else if (errorCode(error) === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
        // The replica answered, with more than any answer of a rerank call can be: no connection problem (which
        // would retry the same costly call on every replica and count against their circuits), but an answer
        // the gateway cannot take, like a body of the wrong shape.
        outcome = {
          ok: false,
          failure: {
            kind: 'invalid-response',
            message: `the ${this.provider} upstream answered with a body larger than the ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB the gateway reads`,
          },
        };
      } else outcome = { ok: false, failure: { kind: 'connection', message } };
    }
    clearTimeout(attemptTimer);
    stopFollowing();
    this.#pool.release(replica);
    if (outcome.ok || !isRetryableFailure(outcome.failure)) this.#recordSuccess(replica);
    else if (outcome.failure.kind === 'overloaded') {
      if (isTrial) replica.breaker.recordNeutral();
      replica.holdBack(overloadHoldMs(outcome.failure.retryAfterSeconds));
    } else this.#recordFailure(replica, outcome.failure);
    return outcome;
  }

  /** Reports a success to the replica's breaker, telling the listener when that closes an open circuit. */
  #recordSuccess(replica: UpstreamReplica): void {
    const wasClosed = replica.breaker.state === 'closed';
    replica.breaker.recordSuccess();
    if (wasClosed) return;
    reportReplicaEvent(this.#onReplicaEvent, {
      upstream: this.provider,
      baseUrl: replica.baseUrl,
      kind: 'circuit-closed',
    });
  }

  /** Reports a failure to the replica's breaker, telling the listener when that opens a closed circuit. */
  #recordFailure(replica: UpstreamReplica, failure: UpstreamFailure): void {
    const { breaker } = replica;
    const wasClosed = breaker.state === 'closed';
    breaker.recordFailure();
    if (!wasClosed || breaker.state === 'closed') return;
    reportReplicaEvent(this.#onReplicaEvent, {
      upstream: this.provider,
      baseUrl: replica.baseUrl,
      kind: 'circuit-opened',
      reason: `${breaker.consecutiveFailures} consecutive failures, the last: ${failureLogReason(failure)}`,
    });
  }

  /** Reads an upstream answer into scores or a failure. */
  #readAnswer(
    status: number,
    retryAfter: string | string[] | undefined,
    text: string,
    documentCount: number,
  ): AttemptOutcome {
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status >= 200 && status < 300) {
      if (json === undefined) {
        return {
          ok: false,
          failure: {
            kind: 'invalid-response',
            message: `the ${this.provider} upstream answered ${status} without a JSON body`,
          },
        };
      }
      try {
        const parsed = this.#dialect.parseResponse(json, {
          documentCount,
          ...(this.#scoreMapping === undefined ? {} : { scoreMapping: this.#scoreMapping }),
        });
        return {
          ok: true,
          value: { scores: scoresInRequestOrder(parsed.results, documentCount), tokens: parsed.totalTokens },
        };
      } catch (error) {
        if (error instanceof DialectResponseError || error instanceof RangeError) {
          return { ok: false, failure: { kind: 'invalid-response', message: this.#redact(error.message) } };
        }
        throw error;
      }
    }
    const described = json === undefined ? undefined : this.#dialect.describeError(json);
    // Redacted before it is cut short, so a cut through a key cannot leave part of it in the message.
    const message = this.#redact(
      described?.message ?? (text || 'no message'),
      described === undefined ? 200 : 500,
    );
    if (status === 429 || status === 503) {
      return {
        ok: false,
        failure: { kind: 'overloaded', status, message, retryAfterSeconds: parseRetryAfter(retryAfter) },
      };
    }
    return { ok: false, failure: { kind: 'status', status, message } };
  }

  /**
   * A message with any credential removed, then cut to `maxLength` UTF-16 units, never between the two
   * halves of a character (a lone surrogate in the error body is refused by strict JSON parsers such as
   * Rust's serde_json): safe to show the client.
   */
  #redact(message: string, maxLength = 500): string {
    let safe = message;
    for (const secret of this.#secrets) safe = safe.split(secret).join('[redacted]');
    if (safe.length > maxLength) {
      const last = safe.charCodeAt(maxLength - 1);
      const highSurrogate = last >= 0xd800 && last <= 0xdbff;
      safe = `${safe.slice(0, highSurrogate ? maxLength - 1 : maxLength)}…`;
    }
    return safe.toWellFormed();
  }

  /** The error for a call the caller aborted: a deadline becomes a `timeout_error`, anything else passes through. */
  #abortError(reason: unknown): unknown {
    if (reason instanceof DOMException && reason.name === 'TimeoutError') {
      return new ScoringError({
        type: 'timeout_error',
        code: 'deadline_exceeded',
        message: `the request's deadline passed while the ${this.provider} upstream was scoring`,
        cause: reason,
      });
    }
    return reason;
  }
}
