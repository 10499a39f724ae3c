import type { ScoringCallOptionsV1, ScoringWarning } from '../backend/scoring-backend-v1.js';
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
  abortSignal: AbortSignal;
}

/** The merged outcome of every backend call of one request. */
export interface ScoredDocuments {
  /** One score in [0, 1] per document, in request order. */
  scores: Float64Array;
  /** The tokens the backend counted, summed over its calls. */
  tokens: number;
  /** The warnings of every call. */
  warnings: ScoringWarning[];
}

/** The error thrown when a backend breaks the scoring specification (wrong count, score outside [0, 1]). */
export class BackendContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendContractError';
  }
}

/** Settles as soon as the signal aborts, with its reason, so a backend that ignores the signal cannot hold an answer. */
function abortedPromise(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort: () => void = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Scores a request's documents with a model's backend. A request with more documents than the backend
 * takes per call is split into calls of at most `maxDocumentsPerCall`, run up to the model's
 * `maxConcurrentCalls` at a time, and merged back by index (scores are pointwise, so splitting does not
 * change them). Rejects with the abort reason as soon as the signal aborts, and with a
 * {@link BackendContractError} when the backend returns a wrong count or a score outside [0, 1].
 */
export async function scoreDocuments(
  model: RegisteredModel,
  input: ScoreDocumentsInput,
): Promise<ScoredDocuments> {
  const { backend } = model;
  const total = input.documents.length;
  const perCall = Math.max(1, Math.floor(backend.limits.maxDocumentsPerCall));
  const instruction = input.instruction ?? model.defaultInstruction;
  const scores = new Float64Array(total);
  const warnings: ScoringWarning[] = [];
  let tokens = 0;
  const aborted = abortedPromise(input.abortSignal);

  const scoreSlice = async (start: number, abortSignal: AbortSignal): Promise<void> => {
    const documents = perCall >= total ? input.documents : input.documents.slice(start, start + perCall);
    const call: ScoringCallOptionsV1 = { query: input.query, documents, abortSignal };
    if (instruction !== undefined) call.instruction = instruction;
    if (input.maxTokensPerDocument !== undefined) call.maxTokensPerDocument = input.maxTokensPerDocument;
    const result = await Promise.race([backend.doScore(call), aborted.promise]);
    if (result.scores.length !== documents.length) {
      throw new BackendContractError(
        `backend ${backend.provider} returned ${result.scores.length} scores for ${documents.length} documents`,
      );
    }
    for (let offset = 0; offset < documents.length; offset++) {
      const score = result.scores[offset]!;
      if (!(score >= 0 && score <= 1)) {
        throw new BackendContractError(
          `backend ${backend.provider} returned the score ${score}, outside [0, 1]`,
        );
      }
      scores[start + offset] = score;
    }
    tokens += result.usage.tokens;
    for (const warning of result.warnings) warnings.push(warning);
  };

  try {
    if (perCall >= total) {
      await scoreSlice(0, input.abortSignal);
    } else {
      // One failed call stops the others: they share a signal that follows the request's and aborts on failure.
      const split = new AbortController();
      const abortSplit = () => split.abort(input.abortSignal.reason);
      input.abortSignal.addEventListener('abort', abortSplit, { once: true });
      let nextStart = 0;
      const worker = async () => {
        while (nextStart < total && !split.signal.aborted) {
          const start = nextStart;
          nextStart += perCall;
          await scoreSlice(start, split.signal);
        }
      };
      const workers = Math.min(model.maxConcurrentCalls, Math.ceil(total / perCall));
      try {
        await Promise.all(Array.from({ length: workers }, worker));
      } catch (error) {
        split.abort(error);
        throw error;
      } finally {
        input.abortSignal.removeEventListener('abort', abortSplit);
      }
    }
  } finally {
    aborted.dispose();
  }
  return { scores, tokens, warnings };
}
