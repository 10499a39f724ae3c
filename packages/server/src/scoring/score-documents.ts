import type {
  ScoringBackendV1,
  ScoringCallOptionsV1,
  ScoringResultV1,
  ScoringWarning,
} from '../backend/scoring-backend-v1.js';
import type { RegisteredModel } from '../registry/registered-model.js';

/** What {@link scoreDocuments} is asked to score. */
export interface ScoreDocumentsInput {
  /** The query. */
  query: string;
  /** The documents' texts, in request order. */
  documents: readonly string[];
  /** The request's instruction; the model's default instruction applies when it is absent. */
  instruction?: string | undefined;
  /** The per-document token limit. */
  maxTokensPerDocument?: number | undefined;
  /** Aborts every backend call: deadline, client disconnect. */
  abort: ScoringAbort;
}

/** The merged outcome of every backend call of one request. */
export interface ScoredDocuments {
  /**
   * One score in [0, 1] per document, in request order: the backend's own array when one call took every
   * document, a new array merged from the calls otherwise.
   */
  scores: ArrayLike<number>;
  /** The tokens the backend counted, summed over its calls. */
  tokens: number;
  /** The warnings of every call. */
  warnings: ScoringWarning[];
}

/** How a scoring request is aborted: a signal for the backend, and a race for the server's own wait. */
export interface ScoringAbort {
  /** The signal backends get; read lazily, only when a backend reads it. */
  readonly signal: AbortSignal;
  /**
   * Settles like `work`, or rejects with the abort reason as soon as the request is aborted, so work that
   * ignores its signal cannot hold the answer. Holds no reference to `work` once it has settled.
   */
  race<T>(work: PromiseLike<T>): Promise<T>;
}

/** A {@link ScoringAbort} that follows an `AbortSignal`. */
export function scoringAbortFromSignal(signal: AbortSignal): ScoringAbort {
  return {
    signal,
    race<T>(work: PromiseLike<T>): Promise<T> {
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(
          (value) => {
            signal.removeEventListener('abort', onAbort);
            resolve(value);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
    },
  };
}

/** The error thrown when a backend breaks the scoring specification (wrong count, score outside [0, 1]). */
export class BackendContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendContractError';
  }
}

/**
 * Throws {@link BackendContractError} unless a backend gave one score in [0, 1] for each of `documents`
 * documents and a token count that is a finite non-negative number (the answer's `usage.total_tokens`,
 * which `NaN` or `Infinity` would turn into `null`). Returns the token count as an integer, rounded up.
 */
function checkResult(backend: ScoringBackendV1, result: ScoringResultV1, documents: number): number {
  const { tokens } = result.usage;
  if (!(typeof tokens === 'number' && tokens >= 0 && tokens <= Number.MAX_SAFE_INTEGER)) {
    throw new BackendContractError(
      `backend ${backend.provider} counted ${String(tokens)} tokens, not a non-negative number`,
    );
  }
  if (result.scores.length !== documents) {
    throw new BackendContractError(
      `backend ${backend.provider} returned ${result.scores.length} scores for ${documents} documents`,
    );
  }
  const { scores } = result;
  for (let index = 0; index < documents; index++) {
    const score = scores[index]!;
    if (!(score >= 0 && score <= 1)) {
      throw new BackendContractError(
        `backend ${backend.provider} returned the score ${score}, outside [0, 1]`,
      );
    }
  }
  return Math.ceil(tokens);
}

/**
 * The options of one backend call, whose `abortSignal` is only created if the backend reads it (creating
 * an `AbortSignal` is not free). A class with a prototype getter on purpose: an object literal with a
 * getter is created by V8's slow path in the old generation, where it kept the request's documents alive
 * through young-generation collections and had whole requests promoted (measured with
 * `--trace-gc-nvp`: about 9 KB promoted per request with the literal, 9 bytes with the class).
 */
class ScoringCall implements ScoringCallOptionsV1 {
  /** The query. */
  readonly query: string;
  /** The documents of this call. */
  readonly documents: readonly string[];
  /** The instruction, when there is one. */
  instruction?: string;
  /** The per-document token limit, when there is one. */
  maxTokensPerDocument?: number;
  readonly #signalSource: { readonly signal: AbortSignal };

  constructor(query: string, documents: readonly string[], signalSource: { readonly signal: AbortSignal }) {
    this.query = query;
    this.documents = documents;
    this.#signalSource = signalSource;
  }

  /** The request's abort signal, created on first read. */
  get abortSignal(): AbortSignal {
    return this.#signalSource.signal;
  }
}

/** The options of one backend call over `documents`. */
function scoringCall(
  model: RegisteredModel,
  input: ScoreDocumentsInput,
  documents: readonly string[],
  signalSource: { readonly signal: AbortSignal },
): ScoringCall {
  const call = new ScoringCall(input.query, documents, signalSource);
  const instruction = input.instruction ?? model.defaultInstruction;
  if (instruction !== undefined) call.instruction = instruction;
  if (input.maxTokensPerDocument !== undefined) call.maxTokensPerDocument = input.maxTokensPerDocument;
  return call;
}

/**
 * Scores a request's documents with a model's backend. A request with more documents than the backend
 * takes per call is split into calls of at most `maxDocumentsPerCall`, run up to the model's
 * `maxConcurrentCalls` at a time, and merged back by index (scores are pointwise, so splitting does not
 * change them). Rejects with the abort reason as soon as the signal aborts, and with a
 * {@link BackendContractError} when the backend returns a wrong count, a score outside [0, 1] or a token
 * count that is not a finite non-negative number (a fractional count is rounded up).
 */
export function scoreDocuments(model: RegisteredModel, input: ScoreDocumentsInput): Promise<ScoredDocuments> {
  const total = input.documents.length;
  const perCall = Math.max(1, Math.floor(model.backend.limits.maxDocumentsPerCall));
  return perCall >= total ? scoreInOneCall(model, input) : scoreInSlices(model, input, perCall);
}

/**
 * One call takes every document (the common case): no slicing, no signal of its own, and no async
 * function with the split path's closures (V8's sampling heap profiler, in the server-overhead benchmark:
 * about 1.7 KB allocated a request by the former single async function, about 1.1 KB by this path).
 */
function scoreInOneCall(model: RegisteredModel, input: ScoreDocumentsInput): Promise<ScoredDocuments> {
  const { backend } = model;
  const { abort } = input;
  let work: PromiseLike<ScoringResultV1>;
  try {
    work = backend.doScore(scoringCall(model, input, input.documents, abort));
  } catch (error) {
    return Promise.reject(error);
  }
  return abort.race(work).then((result): ScoredDocuments => {
    const tokens = checkResult(backend, result, input.documents.length);
    return {
      scores: result.scores,
      tokens,
      warnings: result.warnings.length === 0 ? [] : [...result.warnings],
    };
  });
}

/** Calls of at most `perCall` documents, up to the model's `maxConcurrentCalls` at a time, merged by index. */
async function scoreInSlices(
  model: RegisteredModel,
  input: ScoreDocumentsInput,
  perCall: number,
): Promise<ScoredDocuments> {
  const { backend } = model;
  const total = input.documents.length;
  const { abort } = input;
  const scores = new Float64Array(total);
  const warnings: ScoringWarning[] = [];
  let tokens = 0;
  const scoreSlice = async (start: number, signalSource: { readonly signal: AbortSignal }): Promise<void> => {
    const documents = input.documents.slice(start, start + perCall);
    const result = await abort.race(backend.doScore(scoringCall(model, input, documents, signalSource)));
    const callTokens = checkResult(backend, result, documents.length);
    scores.set(result.scores, start);
    tokens += callTokens;
    for (const warning of result.warnings) warnings.push(warning);
  };

  // One failed call stops the others: they share a signal that follows the request's and aborts on failure.
  const requestSignal = abort.signal;
  const split = new AbortController();
  const abortSplit = () => split.abort(requestSignal.reason);
  if (requestSignal.aborted) abortSplit();
  else requestSignal.addEventListener('abort', abortSplit, { once: true });
  let nextStart = 0;
  const worker = async () => {
    while (nextStart < total && !split.signal.aborted) {
      const start = nextStart;
      nextStart += perCall;
      await scoreSlice(start, split);
    }
  };
  const workers = Math.min(model.maxConcurrentCalls, Math.ceil(total / perCall));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } catch (error) {
    split.abort(error);
    throw error;
  } finally {
    requestSignal.removeEventListener('abort', abortSplit);
  }
  return { scores, tokens, warnings };
}
