// A backend may take ScoringError from another copy of this package than the server's: a backend package
// with its own copy installed, or the CommonJS build beside the ES module one. The server must still
// answer its type, status and Retry-After, not a 500.
import { describe, expect, it, vi } from 'vitest';
import { createRerankApp } from '../create-rerank-app.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { captureLogger } from '../testing/capture-logger.js';
import { ScriptedBackend } from '../testing/scripted-backend.js';
import { ScoringError } from './scoring-error.js';

/** ScoringError of a second copy of the module: a class other than this copy's. */
async function otherCopyOfScoringError(): Promise<typeof ScoringError> {
  vi.resetModules();
  const copy = await import('./scoring-error.js');
  expect(copy.ScoringError).not.toBe(ScoringError);
  return copy.ScoringError;
}

/** The answer of an app serving `backend` to one valid rerank request. */
async function rerankWith(backend: ScriptedBackend): Promise<Response> {
  const app = createRerankApp({
    registry: new ModelRegistry([{ id: 'test-model', backend }]),
    auth: { apiKeys: ['test-key'] },
    logger: captureLogger().logger,
  });
  return await app.request('/v1/rerank', {
    method: 'POST',
    headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'test-model', query: 'q', documents: ['a'] }),
  });
}

describe('ScoringError across copies of the package', () => {
  it('is instanceof ScoringError of every copy, and plain errors are not', async () => {
    const OtherScoringError = await otherCopyOfScoringError();
    const options = { type: 'upstream_error', code: 'engine_failed', message: 'The engine failed.' } as const;
    expect(new OtherScoringError(options)).toBeInstanceOf(ScoringError);
    expect(new ScoringError(options)).toBeInstanceOf(OtherScoringError);
    expect(new OtherScoringError(options)).toBeInstanceOf(Error);
    for (const value of [
      new Error('plain'),
      null,
      undefined,
      { name: 'ScoringError', type: 'upstream_error' },
    ]) {
      expect(value instanceof ScoringError).toBe(false);
    }
  });

  it('is not instanceof ScoringError for a copy of its fields (Object.assign, spread) onto another error', async () => {
    const original = new ScoringError({
      type: 'upstream_error',
      code: 'engine_failed',
      message: 'The engine failed.',
    });
    // A wrapper that copies the cause's fields is not a ScoringError: its message was never meant for clients.
    const wrapped = Object.assign(
      new Error('scoring "secret document text" failed at 10.0.0.7:8080'),
      original,
    );
    expect(wrapped instanceof ScoringError).toBe(false);
    expect({ ...original } instanceof ScoringError).toBe(false);
    const OtherScoringError = await otherCopyOfScoringError();
    expect(wrapped instanceof OtherScoringError).toBe(false);

    const backend = new ScriptedBackend({
      script: () => {
        throw wrapped;
      },
    });
    const response = await rerankWith(backend);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toMatchObject({ error: { type: 'internal_error' } });
  });

  it('keeps instanceof of a subclass to that subclass', () => {
    class EngineError extends ScoringError {}
    const plain = new ScoringError({ type: 'upstream_error', code: 'x', message: 'x' });
    expect(plain instanceof EngineError).toBe(false);
    expect(new EngineError({ type: 'upstream_error', code: 'x', message: 'x' })).toBeInstanceOf(EngineError);
  });

  it("is answered with its type, status and Retry-After when a backend throws another copy's", async () => {
    const OtherScoringError = await otherCopyOfScoringError();
    const backend = new ScriptedBackend({
      script: () => {
        throw new OtherScoringError({
          type: 'overloaded_error',
          code: 'all_replicas_down',
          message: 'No replica is up.',
          retryAfterSeconds: 7,
        });
      },
    });
    const response = await rerankWith(backend);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({
      error: { type: 'overloaded_error', code: 'all_replicas_down', message: 'No replica is up.' },
    });
  });
});
