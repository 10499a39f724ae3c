import { getEventListeners } from 'node:events';
import { MAX_DOCUMENTS } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { ConstantScoreBackend } from '../testing/constant-score-backend.js';
import { ScriptedBackend } from '../testing/scripted-backend.js';
import { ModelRegistrationError, ModelRegistry } from './model-registry.js';

describe('ModelRegistry', () => {
  it('caps max documents at the contract limit and lists models in registration order', () => {
    const registry = new ModelRegistry([
      { id: 'b', backend: new ConstantScoreBackend(), maxDocuments: 5 },
      { id: 'a', backend: new ConstantScoreBackend(), maxDocuments: 50_000 },
    ]);
    expect(registry.ids()).toEqual(['b', 'a']);
    expect(registry.get('b')?.maxDocuments).toBe(5);
    expect(registry.get('a')?.maxDocuments).toBe(MAX_DOCUMENTS);
    expect(registry.list().map((model) => model.max_documents)).toEqual([5, MAX_DOCUMENTS]);
    expect(registry.get('missing')).toBeUndefined();
  });

  it('refuses duplicate ids and limits that are not positive integers', () => {
    const backend = new ConstantScoreBackend();
    expect(
      () =>
        new ModelRegistry([
          { id: 'x', backend },
          { id: 'x', backend },
        ]),
    ).toThrow(ModelRegistrationError);
    expect(() => new ModelRegistry([{ id: 'x', backend, maxDocuments: 0 }])).toThrow(/positive integer/);
    expect(() => new ModelRegistry([{ id: '', backend }])).toThrow(/empty/);
    for (const id of ['.', '..']) expect(() => new ModelRegistry([{ id, backend }])).toThrow(/dot segment/);
    expect(
      () =>
        new ModelRegistry([
          { id: 'x', backend: new ConstantScoreBackend({ limits: { maxDocumentsPerCall: 0 } }) },
        ]),
    ).toThrow(/maxDocumentsPerCall/);
  });

  it('is ready only once every backend is loaded and ready, and not after close', async () => {
    let release: () => void = () => {};
    const loading = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = new ScriptedBackend({ load: () => loading });
    const registry = new ModelRegistry([
      { id: 'slow', backend: slow },
      { id: 'instant', backend: new ConstantScoreBackend() },
    ]);
    expect(registry.isReady()).toBe(false);
    expect(registry.loadState('slow')).toBe('pending');
    const loaded = registry.load();
    expect(registry.loadState('slow')).toBe('loading');
    expect(registry.isModelReady('instant')).toBe(true);
    release();
    await loaded;
    expect(registry.isReady()).toBe(true);
    await registry.close();
    await registry.close();
    expect(slow.closeCount).toBe(1);
    expect(registry.isReady()).toBe(false);
  });

  it('reports every model closed after close, also a backend without a closed state of its own and one whose load settles later', async () => {
    let release: () => void = () => {};
    const slow = new ScriptedBackend({
      load: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    });
    const registry = new ModelRegistry([
      { id: 'instant', backend: new ConstantScoreBackend() },
      { id: 'slow', backend: slow },
    ]);
    const loading = registry.load();
    expect(registry.isModelReady('instant')).toBe(true);
    await registry.close();
    expect(registry.loadState('instant')).toBe('closed');
    expect(registry.isModelReady('instant')).toBe(false);
    expect(registry.loadState('slow')).toBe('closed');
    // A load that settles after close does not bring its model back.
    release();
    await loading;
    expect(registry.loadState('slow')).toBe('closed');
    expect(registry.isModelReady('slow')).toBe(false);
    expect(registry.isReady()).toBe(false);
  });

  it('loads nothing once closed: a load after close rejects naming the closed models, never calls their backends and leaves them closed', async () => {
    let loads = 0;
    const backend = () =>
      new ScriptedBackend({
        load: async () => {
          loads++;
        },
      });
    const closedFirst = new ModelRegistry([{ id: 'late', backend: backend() }]);
    await closedFirst.close();
    const late = await closedFirst.load().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(late).toBeInstanceOf(AggregateError);
    expect((late as AggregateError).errors.map((error: Error) => error.message)).toEqual([
      "model 'late' was not loaded: the registry is closed",
    ]);
    expect(closedFirst.loadState('late')).toBe('closed');
    expect(loads).toBe(0);
  });

  it('reports the models that failed to load and keeps the others', async () => {
    const registry = new ModelRegistry([
      { id: 'broken', backend: new ScriptedBackend({ load: () => Promise.reject(new Error('no weights')) }) },
      { id: 'fine', backend: new ScriptedBackend({ load: () => Promise.resolve() }) },
    ]);
    await expect(registry.load()).rejects.toThrow(AggregateError);
    expect(registry.loadState('broken')).toBe('failed');
    expect(registry.isModelReady('fine')).toBe(true);
    expect(registry.isReady()).toBe(false);
  });

  it('joins a load under way instead of loading a backend twice, and loads a failed one again later', async () => {
    let loads = 0;
    let release: () => void = () => {};
    let fail = true;
    const backend = new ScriptedBackend({
      load: () => {
        loads++;
        if (fail) throw new Error('engine not up yet');
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    const registry = new ModelRegistry([{ id: 'slow', backend }]);
    // A load that throws at once still settles, and a later load tries again.
    await expect(registry.load()).rejects.toThrow(AggregateError);
    expect(registry.loadState('slow')).toBe('failed');
    fail = false;
    const first = registry.load();
    const second = registry.load();
    await new Promise((resolve) => setImmediate(resolve));
    expect(loads).toBe(2);
    release();
    await Promise.all([first, second]);
    expect(registry.loadState('slow')).toBe('loaded');
    await registry.load();
    expect(loads).toBe(2);
  });

  it('loads more than ten models on one abort signal without a listener-leak warning, and aborts them all', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // Each load listens on its signal until aborted, as an upstream's verify_on_load does while it waits.
      const backends = Array.from(
        { length: 12 },
        () =>
          new ScriptedBackend({
            load: ({ abortSignal } = {}) =>
              new Promise<void>((_resolve, reject) => {
                abortSignal?.addEventListener('abort', () => reject(abortSignal.reason), { once: true });
              }),
          }),
      );
      const registry = new ModelRegistry(backends.map((backend, index) => ({ id: `m${index}`, backend })));
      const shutdown = new AbortController();
      const loading = registry.load({ abortSignal: shutdown.signal });
      await new Promise((resolve) => setImmediate(resolve));
      expect(registry.loadState('m11')).toBe('loading');
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(1);

      const reason = new Error('draining');
      shutdown.abort(reason);
      const failure: unknown = await loading.catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AggregateError);
      const causes = (failure as AggregateError).errors.map((error: Error) => error.cause);
      expect(causes).toEqual(Array.from({ length: 12 }, () => reason));
      expect(registry.loadState('m0')).toBe('failed');
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
      // Node emits the warning on the next tick; give it the chance.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.name)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('removes its listener from the abort signal once the models are loaded', async () => {
    const registry = new ModelRegistry([
      { id: 'a', backend: new ScriptedBackend({ load: () => Promise.resolve() }) },
    ]);
    const shutdown = new AbortController();
    await registry.load({ abortSignal: shutdown.signal });
    expect(registry.loadState('a')).toBe('loaded');
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('stops waiting for a load that ignores the abort, naming the model, and keeps it loading', async () => {
    // A third-party backend whose load never settles and never reads its signal held load() forever.
    const registry = new ModelRegistry([
      { id: 'hung', backend: new ScriptedBackend({ load: () => new Promise<void>(() => {}) }) },
      {
        id: 'polite',
        backend: new ScriptedBackend({
          load: ({ abortSignal } = {}) =>
            new Promise<void>((_resolve, reject) => {
              abortSignal?.addEventListener('abort', () => reject(abortSignal.reason), { once: true });
            }),
        }),
      },
      { id: 'instant', backend: new ScriptedBackend({ load: () => Promise.resolve() }) },
    ]);
    const shutdown = new AbortController();
    const loading = registry.load({ abortSignal: shutdown.signal });
    await new Promise((resolve) => setImmediate(resolve));
    const reason = new Error('draining');
    shutdown.abort(reason);
    let timer: NodeJS.Timeout | undefined;
    const failure: unknown = await Promise.race([
      loading.then(
        () => 'loaded',
        (error: unknown) => error,
      ),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('still waiting after 2 s'), 2_000);
      }),
    ]);
    clearTimeout(timer);
    expect(failure).toBeInstanceOf(AggregateError);
    const errors = (failure as AggregateError).errors as Error[];
    expect(errors.map((error) => [error.message, error.cause])).toEqual([
      ["model 'hung' did not stop loading when the load was aborted", reason],
      ["model 'polite' failed to load", reason],
    ]);
    expect(registry.loadState('hung')).toBe('loading');
    expect(registry.loadState('polite')).toBe('failed');
    expect(registry.loadState('instant')).toBe('loaded');
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('passes an already aborted signal on as aborted, with its reason', async () => {
    const seen: unknown[] = [];
    const registry = new ModelRegistry([
      {
        id: 'a',
        backend: new ScriptedBackend({
          load: async ({ abortSignal } = {}) => {
            seen.push(abortSignal?.aborted, abortSignal?.reason);
            if (abortSignal?.aborted === true) throw abortSignal.reason;
          },
        }),
      },
    ]);
    const reason = new Error('stopped before the start');
    await expect(registry.load({ abortSignal: AbortSignal.abort(reason) })).rejects.toThrow(AggregateError);
    expect(seen).toEqual([true, reason]);
  });
});
