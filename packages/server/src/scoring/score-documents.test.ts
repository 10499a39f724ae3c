import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../registry/model-registry.js';
import { ScriptedBackend, untilAborted, wordOverlapScore } from '../testing/scripted-backend.js';
import { BackendContractError, scoreDocuments, scoringAbortFromSignal } from './score-documents.js';

function modelWith(backend: ScriptedBackend, maxConcurrentCalls = 4) {
  return new ModelRegistry([{ id: 'm', backend, maxConcurrentCalls }]).get('m')!;
}

describe('scoreDocuments', () => {
  it('gives the same scores whether or not a request is split over the per-call limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('api', 'gateway api', 'bread', 'api gateway qwen', ''), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
        async (documents, perCall, concurrency) => {
          const backend = new ScriptedBackend({ limits: { maxDocumentsPerCall: perCall } });
          const result = await scoreDocuments(modelWith(backend, concurrency), {
            query: 'api gateway',
            documents,
            abort: scoringAbortFromSignal(new AbortController().signal),
          });
          expect(Array.from(result.scores)).toEqual(
            documents.map((document) => wordOverlapScore('api gateway', document)),
          );
          expect(backend.calls.every((call) => call.documents.length <= perCall)).toBe(true);
          expect(backend.calls.reduce((total, call) => total + call.documents.length, 0)).toBe(
            documents.length,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stops the other calls of a split request when one fails', async () => {
    let calls = 0;
    const backend = new ScriptedBackend({
      limits: { maxDocumentsPerCall: 1 },
      script: async (call) => {
        calls++;
        if (calls === 2) throw new Error('replica down');
        return untilAborted(call);
      },
    });
    const attempt = scoreDocuments(modelWith(backend, 2), {
      query: 'q',
      documents: ['a', 'b', 'c', 'd'],
      abort: scoringAbortFromSignal(new AbortController().signal),
    });
    await expect(attempt).rejects.toThrow('replica down');
    expect(backend.calls).toHaveLength(2);
    expect(backend.calls[0]?.aborted).toBe(true);
  });

  it('rejects with the abort reason even when the backend ignores its signal', async () => {
    const backend = new ScriptedBackend({ script: () => new Promise(() => {}) });
    const controller = new AbortController();
    const attempt = scoreDocuments(modelWith(backend), {
      query: 'q',
      documents: ['a'],
      abort: scoringAbortFromSignal(controller.signal),
    });
    controller.abort(new Error('deadline'));
    await expect(attempt).rejects.toThrow('deadline');
  });

  it('refuses a backend answer with a wrong count or a score outside [0, 1]', async () => {
    const abort = scoringAbortFromSignal(new AbortController().signal);
    for (const scores of [[0.5], [0.5, Number.NaN], [0.5, -0.1], [0.5, 1.01]]) {
      const backend = new ScriptedBackend({ script: () => ({ scores, usage: { tokens: 1 }, warnings: [] }) });
      await expect(
        scoreDocuments(modelWith(backend), { query: 'q', documents: ['a', 'b'], abort }),
      ).rejects.toThrow(BackendContractError);
    }
  });
});
