import { setMaxListeners } from 'node:events';
import { MAX_DOCUMENTS, type Model } from '@sealink/rerank-contract';
import type { ModelRegistration, RegisteredModel } from './registered-model.js';

/** The error thrown when a model registration is not valid. */
export class ModelRegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelRegistrationError';
  }
}

/**
 * The load state of one model's backend; `closed` once {@link ModelRegistry.close} was called, whatever
 * the backend itself reports, so a closed registry never scores.
 */
export type ModelLoadState = 'pending' | 'loading' | 'loaded' | 'failed' | 'closed';

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new ModelRegistrationError(`${what} must be a positive integer`);
  return value;
}

/**
 * Resolves when `work` settles, or soon after `signal` aborts: one turn of the event loop later, so loads
 * that stop on the abort settle first, while a backend whose load ignores its signal cannot hold the caller.
 */
function settledOrAbandoned(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const onAbort = () => setImmediate(resolve);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    void work.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/**
 * The models a server serves: customer-visible ids mapped to backend instances, each with its own
 * limits. The registry owns the backends' lifecycle: {@link ModelRegistry.load} loads them all,
 * {@link ModelRegistry.close} closes them all. It never serves one model under another model's name.
 */
export class ModelRegistry {
  readonly #models = new Map<string, RegisteredModel>();
  readonly #loadStates = new Map<string, ModelLoadState>();
  /** The loads under way, by model id. */
  readonly #loading = new Map<string, Promise<Error | undefined>>();
  readonly #listing: Model[];
  #closed = false;

  /** @throws ModelRegistrationError on an empty, dot-segment or duplicate id, or a limit that is not a positive integer. */
  constructor(registrations: readonly ModelRegistration[]) {
    const defaultCreated = Math.floor(Date.now() / 1000);
    for (const registration of registrations) {
      const { id, backend } = registration;
      if (id.length === 0) throw new ModelRegistrationError('a model id must not be empty');
      if (id === '.' || id === '..') {
        // URL parsing resolves `/v1/models/..` away, so `GET /v1/models/{id}` could never reach it.
        throw new ModelRegistrationError(`the model id '${id}' is a URL dot segment; choose another id`);
      }
      if (this.#models.has(id)) throw new ModelRegistrationError(`the model id '${id}' is registered twice`);
      const maxDocuments = Math.min(
        MAX_DOCUMENTS,
        positiveInteger(registration.maxDocuments, MAX_DOCUMENTS, `max documents of model '${id}'`),
      );
      positiveInteger(backend.limits.maxDocumentsPerCall, 1, `maxDocumentsPerCall of model '${id}'`);
      const listing: Model = {
        id,
        object: 'model',
        created: registration.created ?? defaultCreated,
        owned_by: registration.ownedBy ?? 'sealink',
        max_documents: maxDocuments,
        context_length: backend.limits.contextLength,
        supports_instruction: backend.limits.supportsInstruction,
      };
      if (registration.description !== undefined) listing.description = registration.description;
      this.#models.set(id, {
        id,
        backend,
        maxDocuments,
        defaultInstruction: registration.defaultInstruction,
        maxConcurrentCalls: positiveInteger(
          registration.maxConcurrentCalls,
          4,
          `max concurrent calls of model '${id}'`,
        ),
        listing,
      });
      this.#loadStates.set(id, backend.load === undefined ? 'loaded' : 'pending');
    }
    this.#listing = [...this.#models.values()].map((model) => model.listing);
  }

  /** The model registered under an id, or `undefined`. */
  get(id: string): RegisteredModel | undefined {
    return this.#models.get(id);
  }

  /** The registered ids, in registration order. */
  ids(): string[] {
    return [...this.#models.keys()];
  }

  /** The models as `GET /v1/models` lists them, in registration order. */
  list(): readonly Model[] {
    return this.#listing;
  }

  /** The load state of a model's backend. */
  loadState(id: string): ModelLoadState | undefined {
    return this.#loadStates.get(id);
  }

  /** Whether one model can score now: loaded and its backend reports ready. */
  isModelReady(id: string): boolean {
    const model = this.#models.get(id);
    return model !== undefined && this.#loadStates.get(id) === 'loaded' && model.backend.isReady();
  }

  /** Whether every model can score now. */
  isReady(): boolean {
    if (this.#closed) return false;
    for (const id of this.#models.keys()) if (!this.isModelReady(id)) return false;
    return true;
  }

  /**
   * Loads every backend, in parallel. Resolves when all are loaded; rejects with an `AggregateError`
   * naming the models that failed (the others stay loaded and serve). When `abortSignal` aborts, rejects
   * without waiting for a backend whose load ignores the signal: that model is named as not stopping, and
   * stays `loading` until its load settles. After {@link close} it loads nothing and rejects naming
   * every model with a `load`, which stays `closed`.
   */
  async load(options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    const models = [...this.#models.values()];
    const { abortSignal } = options;
    // Every backend's load may listen on the signal at once: past ten models Node would warn of a
    // listener leak on the caller's signal. So the caller's signal gets one listener, which aborts a
    // signal of the registry's own, sized for the models, that the backends listen on.
    let loadSignal: AbortSignal | undefined;
    let forwardAbort: (() => void) | undefined;
    if (abortSignal !== undefined) {
      const controller = new AbortController();
      setMaxListeners(models.length + 10, controller.signal);
      if (abortSignal.aborted) controller.abort(abortSignal.reason);
      else {
        forwardAbort = () => controller.abort(abortSignal.reason);
        abortSignal.addEventListener('abort', forwardAbort, { once: true });
      }
      loadSignal = controller.signal;
    }
    try {
      // Per model: its failure, `undefined` once loaded, `null` while it still loads.
      const outcomes: (Error | undefined | null)[] = models.map(() => null);
      const loads = Promise.all(
        models.map((model, index) =>
          this.#loadModel(model, loadSignal).then((outcome) => {
            outcomes[index] = outcome;
          }),
        ),
      );
      await (loadSignal === undefined ? loads : settledOrAbandoned(loads, loadSignal));
      const failures = models.flatMap((model, index) => {
        const outcome = outcomes[index];
        if (outcome === null) {
          return [
            new Error(`model '${model.id}' did not stop loading when the load was aborted`, {
              cause: loadSignal?.reason,
            }),
          ];
        }
        return outcome === undefined ? [] : [outcome];
      });
      if (failures.length > 0)
        throw new AggregateError(failures, `${failures.length} model(s) failed to load`);
    } finally {
      if (forwardAbort !== undefined) abortSignal?.removeEventListener('abort', forwardAbort);
    }
  }

  /**
   * Loads one backend, unless it is loaded; a load already under way (a second `load()` call meanwhile) is
   * joined rather than started again. Resolves with the failure, or `undefined` once loaded.
   */
  #loadModel(model: RegisteredModel, abortSignal: AbortSignal | undefined): Promise<Error | undefined> {
    const { backend } = model;
    if (backend.load === undefined || this.#loadStates.get(model.id) === 'loaded') {
      return Promise.resolve(undefined);
    }
    // A closed registry loads nothing: its backends are closed, and the model must stay `closed`.
    if (this.#closed) {
      return Promise.resolve(new Error(`model '${model.id}' was not loaded: the registry is closed`));
    }
    const underWay = this.#loading.get(model.id);
    if (underWay !== undefined) return underWay;
    this.#loadStates.set(model.id, 'loading');
    // Started in a microtask, so that the entry below is in place before the load can end and remove it.
    const loading = Promise.resolve().then(async (): Promise<Error | undefined> => {
      try {
        await backend.load?.(abortSignal === undefined ? {} : { abortSignal });
        // A load that settles after close (one that ignored its abort) does not bring the model back.
        if (!this.#closed) this.#loadStates.set(model.id, 'loaded');
        return undefined;
      } catch (error) {
        if (!this.#closed) this.#loadStates.set(model.id, 'failed');
        return new Error(`model '${model.id}' failed to load`, { cause: error });
      } finally {
        this.#loading.delete(model.id);
      }
    });
    this.#loading.set(model.id, loading);
    return loading;
  }

  /**
   * Closes every backend once; errors are collected and thrown together after all have been tried. From
   * the call on, every model's load state is `closed` and no model is ready, also one whose backend has no
   * closed state of its own (`Bm25Backend`), so a closed registry never scores.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of this.#models.keys()) this.#loadStates.set(id, 'closed');
    const results = await Promise.allSettled(
      [...this.#models.values()].map((model) => model.backend.close?.()),
    );
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} backend(s) failed to close`);
  }
}
