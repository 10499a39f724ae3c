/**
 * Version 1 of the scoring backend specification: the small interface every scoring backend implements
 * (embedded BM25, local models, upstream inference engines). A backend only scores; sorting, `top_n`,
 * ids and the response shape belong to the server and the contract's helpers.
 *
 * The specification is versioned so it can evolve while old backends keep working: the server handles
 * the versions as a union discriminated on `specificationVersion`.
 */
export interface ScoringBackendV1 {
  /** The version of this specification that the backend implements. */
  readonly specificationVersion: 'v1';
  /** The kind of backend, for logs and metrics, for example `sealink.bm25` or `tei`. */
  readonly provider: string;
  /** The backend's own name of the model it runs, for example `Qwen/Qwen3-Reranker-0.6B`. */
  readonly modelId: string;
  /** What one call may carry and what the model reads. */
  readonly limits: ScoringBackendLimits;
  /**
   * Loads what the backend needs (weights, connections) before the first call. The server calls it once
   * at start and reports the model ready when it resolves. Optional for backends with nothing to load.
   */
  load?(options?: { abortSignal?: AbortSignal }): Promise<void>;
  /** Whether the backend can score now (loaded, and for upstream backends, some replica healthy). */
  isReady(): boolean;
  /**
   * While {@link isReady} is false after the load, the whole seconds until the backend may score again,
   * for the `Retry-After` of the server's 503 (upstream backends: the end of the shortest circuit
   * cool-down or hold). Optional; `undefined` when the backend cannot tell.
   */
  retryAfterSeconds?(): number | undefined;
  /**
   * For a backend that spreads its calls over replicas (an upstream engine): how many it has, and how many
   * take calls now (healthy, circuit not open). The server exports them as a metric.
   */
  replicaCounts?(): ReplicaCounts;
  /** Releases what the backend holds (pools, workers, weights). Called once when the server shuts down. */
  close?(): Promise<void>;
  /**
   * Scores each document against the query. Returns exactly one score in [0, 1] per document, in the
   * order of `documents`. Must stop work and reject promptly when `abortSignal` aborts.
   * Throws a {@link ScoringError} for failures the client should see as a contract error.
   */
  doScore(options: ScoringCallOptionsV1): PromiseLike<ScoringResultV1>;
}

/** The replicas of a backend: {@link ScoringBackendV1.replicaCounts}. */
export interface ReplicaCounts {
  /** Replicas that take calls now: healthy, with a circuit that lets calls pass. */
  available: number;
  /** Every configured replica. */
  total: number;
}

/** What a backend can take in one call. */
export interface ScoringBackendLimits {
  /** The most documents one `doScore` call may carry; the server never sends more. */
  maxDocumentsPerCall: number;
  /** The most tokens the model reads of one query-document pair. */
  contextLength: number;
  /** Whether the model follows an instruction. */
  supportsInstruction: boolean;
}

/** The input of one `doScore` call. */
export interface ScoringCallOptionsV1 {
  /** The query. */
  query: string;
  /** The documents' texts, in request order. */
  documents: readonly string[];
  /** A task instruction for instruction-following models. Backends that take none add a warning. */
  instruction?: string;
  /** Truncate each document to this many tokens before scoring. */
  maxTokensPerDocument?: number;
  /** Aborts the call: on client disconnect, deadline or shutdown. */
  abortSignal?: AbortSignal;
}

/** The output of one `doScore` call. */
export interface ScoringResultV1 {
  /** One score in [0, 1] per document, in the order of the call's `documents`. */
  scores: ArrayLike<number>;
  /** What the call cost. */
  usage: {
    /** Tokens of the query and documents; estimated when the backend has no tokenizer. */
    tokens: number;
  };
  /** Settings the backend did not honour, and other notes for the caller. */
  warnings: ScoringWarning[];
}

/** A note from a backend about a call it completed. */
export type ScoringWarning =
  | { type: 'unsupported-setting'; setting: 'instruction' | 'maxTokensPerDocument'; details?: string }
  | { type: 'other'; message: string };

/** Any version of the scoring backend specification. */
export type ScoringBackend = ScoringBackendV1;
