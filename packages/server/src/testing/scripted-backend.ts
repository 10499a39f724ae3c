import type {
  ScoringBackendLimits,
  ScoringBackendV1,
  ScoringCallOptionsV1,
  ScoringResultV1,
} from '../backend/scoring-backend-v1.js';

/** What a {@link ScriptedBackend} call does: return a result or throw. */
export type ScoringScript = (options: ScoringCallOptionsV1) => PromiseLike<ScoringResultV1> | ScoringResultV1;

/** Options of {@link ScriptedBackend}. */
export interface ScriptedBackendOptions {
  /** What each call does; scores from the word overlap with the query by default. */
  script?: ScoringScript;
  /** Limits to declare; 1,000 documents per call, 8,192 tokens, instructions supported by default. */
  limits?: Partial<ScoringBackendLimits>;
  /** What `load` does; nothing by default. */
  load?: (options?: { abortSignal?: AbortSignal }) => Promise<void>;
  /** Whether the backend reports ready; `true` by default. */
  ready?: () => boolean;
}

/** One recorded `doScore` call. */
export interface RecordedScoringCall {
  /** The call's documents. */
  documents: readonly string[];
  /** The call's instruction. */
  instruction: string | undefined;
  /** Whether the call's signal had aborted when the test looked (it is live). */
  readonly aborted: boolean;
  /** The abort reason, once aborted. */
  readonly abortReason: unknown;
}

/** A score in [0, 1] from how many of the query's words a document holds: a deterministic stand-in for a model. */
export function wordOverlapScore(query: string, document: string): number {
  const queryWords = new Set(query.toLowerCase().split(/\W+/u).filter(Boolean));
  if (queryWords.size === 0) return 0;
  const documentWords = new Set(document.toLowerCase().split(/\W+/u).filter(Boolean));
  let shared = 0;
  for (const word of queryWords) if (documentWords.has(word)) shared++;
  return shared / queryWords.size;
}

/**
 * A backend for tests whose behaviour is a script (block until aborted, throw a `ScoringError`, return
 * wrong scores...), which records every call with its documents and whether its signal aborted.
 */
export class ScriptedBackend implements ScoringBackendV1 {
  /** Always `v1`. */
  readonly specificationVersion = 'v1';
  /** `sealink.scripted`. */
  readonly provider = 'sealink.scripted';
  /** `scripted`. */
  readonly modelId = 'scripted';
  /** The declared limits. */
  readonly limits: ScoringBackendLimits;
  /** Every call so far. */
  readonly calls: RecordedScoringCall[] = [];
  /** How many times `close` was called. */
  closeCount = 0;
  /** Present when the options give a `load`. */
  readonly load?: (options?: { abortSignal?: AbortSignal }) => Promise<void>;
  readonly #script: ScoringScript;
  readonly #ready: () => boolean;

  constructor(options: ScriptedBackendOptions = {}) {
    this.limits = {
      maxDocumentsPerCall: 1000,
      contextLength: 8192,
      supportsInstruction: true,
      ...options.limits,
    };
    this.#script =
      options.script ??
      ((call) => ({
        scores: call.documents.map((document) => wordOverlapScore(call.query, document)),
        usage: { tokens: call.documents.length + 1 },
        warnings: [],
      }));
    this.#ready = options.ready ?? (() => true);
    if (options.load !== undefined) this.load = options.load;
  }

  /** What the options' `ready` says. */
  isReady(): boolean {
    return this.#ready();
  }

  /** Counts the close. */
  close(): Promise<void> {
    this.closeCount++;
    return Promise.resolve();
  }

  /** Records the call and runs the script. */
  async doScore(options: ScoringCallOptionsV1): Promise<ScoringResultV1> {
    const signal = options.abortSignal;
    this.calls.push({
      documents: options.documents,
      instruction: options.instruction,
      get aborted() {
        return signal?.aborted ?? false;
      },
      get abortReason() {
        return signal?.reason;
      },
    });
    return this.#script(options);
  }
}

/** A script that never answers and rejects with the signal's reason once the call is aborted. */
export const untilAborted: ScoringScript = (options) =>
  new Promise<never>((_, reject) => {
    const signal = options.abortSignal;
    if (signal === undefined) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/**
 * A ScriptedBackend that holds every call until `release` is called, then scores by word overlap
 * ({@link wordOverlapScore}): for tests of requests in flight (draining, pipelining).
 */
export function gatedBackend(): { backend: ScriptedBackend; release: () => void } {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const backend = new ScriptedBackend({
    script: async (call) => {
      await gate;
      return {
        scores: call.documents.map((document) => wordOverlapScore(call.query, document)),
        usage: { tokens: call.documents.length + 1 },
        warnings: [],
      };
    },
  });
  return { backend, release };
}
