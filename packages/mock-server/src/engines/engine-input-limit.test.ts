import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../lexical-score.js';
import { type EngineInputLimit, engineInputLimit, fitToInputLimit } from './engine-input-limit.js';

const words = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(' ');

describe('engineInputLimit', () => {
  it('reads vLLM’s truncate_prompt_tokens, TEI’s truncate and a per-document limit as the engines do', () => {
    expect(engineInputLimit('vllm-rerank', {}, 100, undefined)).toEqual({ kind: 'refuse', maxTokens: 100 });
    expect(engineInputLimit('vllm-score', { truncate_prompt_tokens: -1 }, 100, undefined)).toEqual({
      kind: 'keep-last',
      maxTokens: 100,
    });
    expect(engineInputLimit('vllm-rerank', { truncate_prompt_tokens: 7 }, undefined, undefined)).toEqual({
      kind: 'keep-last',
      maxTokens: 7,
    });
    expect(engineInputLimit('vllm-rerank', { truncate_prompt_tokens: 101 }, 100, undefined)).toMatchObject({
      kind: 'invalid',
    });
    expect(engineInputLimit('tei', { truncate: true, truncation_direction: 'Left' }, 50, undefined)).toEqual({
      kind: 'cut-pair',
      maxTokens: 50,
      side: 'left',
    });
    expect(engineInputLimit('tei', { truncate: false }, 50, undefined)).toEqual({
      kind: 'refuse',
      maxTokens: 50,
    });
    expect(engineInputLimit('cohere-v2', {}, 50, 8)).toEqual({ kind: 'unlimited' });
    expect(engineInputLimit('jina', {}, undefined, undefined)).toEqual({ kind: 'unlimited' });
  });
});

describe('fitToInputLimit', () => {
  it('keep-last keeps the end of the prompt: the document first, then the end of the query', () => {
    const fitted = fitToInputLimit(words('q', 5), words('d', 4), { kind: 'keep-last', maxTokens: 6 });
    expect(fitted).toEqual({
      query: 'q3 q4',
      document: words('d', 4),
      inputTokens: 9,
      cut: true,
      refused: false,
    });
    expect(fitToInputLimit(words('q', 5), words('d', 9), { kind: 'keep-last', maxTokens: 3 })).toMatchObject({
      query: '',
      document: 'd6 d7 d8',
    });
  });

  it('cut-pair cuts the longer text first, from the right by default', () => {
    expect(
      fitToInputLimit(words('q', 3), words('d', 10), { kind: 'cut-pair', maxTokens: 8, side: 'right' }),
    ).toMatchObject({ query: words('q', 3), document: 'd0 d1 d2 d3 d4', cut: true });
    expect(
      fitToInputLimit(words('q', 6), words('d', 6), { kind: 'cut-pair', maxTokens: 8, side: 'left' }),
    ).toMatchObject({ query: 'q2 q3 q4 q5', document: 'd2 d3 d4 d5' });
  });

  it('never leaves more than the limit, and leaves a pair within it untouched', () => {
    const limit = fc.oneof(
      fc.record({ kind: fc.constant('keep-last' as const), maxTokens: fc.nat(30) }),
      fc.record({
        kind: fc.constant('cut-pair' as const),
        maxTokens: fc.nat(30),
        side: fc.constantFrom('left' as const, 'right' as const),
      }),
      fc.record({ kind: fc.constant('refuse' as const), maxTokens: fc.nat(30) }),
    );
    fc.assert(
      fc.property(
        fc.nat(20),
        fc.nat(30),
        limit,
        (queryWords, documentWords, inputLimit: EngineInputLimit) => {
          const query = words('q', queryWords);
          const document = words('d', documentWords);
          const fitted = fitToInputLimit(query, document, inputLimit);
          const max = (inputLimit as { maxTokens: number }).maxTokens;
          expect(fitted.inputTokens).toBe(queryWords + documentWords);
          if (queryWords + documentWords <= max) {
            expect(fitted).toMatchObject({ query, document, cut: false, refused: false });
          } else if (inputLimit.kind === 'refuse') {
            expect(fitted.refused).toBe(true);
          } else {
            expect(countTokens(fitted.query) + countTokens(fitted.document)).toBe(max);
          }
        },
      ),
    );
  });
});
