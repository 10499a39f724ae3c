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

describe('scoreDocuments and the token count of a backend', () => {
  it('refuses a token count that is not a finite non-negative number, whole or split, which would answer total_tokens null or -1', async () => {
    const abort = scoringAbortFromSignal(new AbortController().signal);
    for (const tokens of [Number.NaN, -1, Number.POSITIVE_INFINITY, undefined, '3']) {
      for (const maxDocumentsPerCall of [10, 1]) {
        const backend = new ScriptedBackend({
          limits: { maxDocumentsPerCall },
          script: (call) => ({
            scores: call.documents.map(() => 0.5),
            usage: { tokens: tokens as number },
            warnings: [],
          }),
        });
        await expect(
          scoreDocuments(modelWith(backend), { query: 'q', documents: ['a', 'b'], abort }),
        ).rejects.toThrow(BackendContractError);
      }
    }
  });

  it('accepts zero tokens, rounds a fractional count up, and sums the tokens of split calls', async () => {
    const abort = scoringAbortFromSignal(new AbortController().signal);
    const backend = new ScriptedBackend({
      limits: { maxDocumentsPerCall: 1 },
      script: (call) => ({ scores: call.documents.map(() => 0.5), usage: { tokens: 3 }, warnings: [] }),
    });
    const split = await scoreDocuments(modelWith(backend), { query: 'q', documents: ['a', 'b'], abort });
    expect(split.tokens).toBe(6);
    const none = new ScriptedBackend({
      script: (call) => ({ scores: call.documents.map(() => 0.5), usage: { tokens: 0 }, warnings: [] }),
    });
    expect((await scoreDocuments(modelWith(none), { query: 'q', documents: ['a'], abort })).tokens).toBe(0);
    const fractional = new ScriptedBackend({
      limits: { maxDocumentsPerCall: 1 },
      script: (call) => ({ scores: call.documents.map(() => 0.5), usage: { tokens: 1.5 }, warnings: [] }),
    });
    const rounded = await scoreDocuments(modelWith(fractional), { query: 'q', documents: ['a', 'b'], abort });
    expect(rounded.tokens).toBe(4);
  });
});
