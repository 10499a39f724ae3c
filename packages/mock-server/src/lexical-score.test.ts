import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens, lexicalScore, tokenize } from './lexical-score.js';

describe('lexicalScore', () => {
  it('ranks the documents of the API page example sensibly: the sourdough text last with 0', () => {
    const [seaLink, sourdough, rerank] = EXAMPLE_RERANK_REQUEST.documents.map((document) =>
      lexicalScore(EXAMPLE_RERANK_REQUEST.query, document),
    );
    expect(sourdough).toBe(0);
    expect(seaLink).toBeGreaterThan(0);
    expect(rerank).toBeGreaterThan(0);
  });

  it('gives 1 to a document that repeats the query and 0 to one without a query word', () => {
    expect(lexicalScore('best api gateway', 'Best API gateway')).toBe(1);
    expect(lexicalScore('best api gateway', 'sourdough starter')).toBe(0);
  });

  it('ranks a document with more query words higher, and weighs function words less', () => {
    const query = 'protein folding in the cell';
    const both = lexicalScore(query, 'protein folding');
    const one = lexicalScore(query, 'protein');
    const functionWords = lexicalScore(query, 'in the');
    expect(both).toBeGreaterThan(one);
    expect(one).toBeGreaterThan(functionWords);
  });

  it('weighs density: of two documents with all the query words, the one with fewer other distinct words ranks higher', () => {
    // coverage * (0.8 + 0.2 * matched words / distinct document words)
    expect(lexicalScore('gateway', 'gateway')).toBe(1);
    expect(lexicalScore('gateway', 'gateway proxy')).toBe(0.9);
    expect(lexicalScore('gateway', 'gateway proxy cache server')).toBe(0.85);
    expect(lexicalScore('api gateway', 'api gateway proxy cache')).toBe(0.9);
    // Repeats count once: density is over distinct words.
    expect(lexicalScore('gateway', 'gateway gateway proxy')).toBe(0.9);
    expect(lexicalScore('gateway', 'gateway proxy proxy proxy')).toBe(0.9);
  });

  it('folds case, plurals and Unicode forms, and splits Chinese and Japanese by character', () => {
    expect(tokenize('Models RERANK ﬁle')).toEqual(['model', 'rerank', 'file']);
    expect(tokenize('検索モデル')).toEqual(['検', '索', 'モ', 'デ', 'ル']);
    // A Latin word or a number written against CJK text stays whole.
    expect(tokenize('使用Qwen3模型')).toEqual(['使', '用', 'qwen3', '模', '型']);
    expect(tokenize('2024年のModels')).toEqual(['2024', '年', 'の', 'model']);
    expect(lexicalScore('qwen3', '使用Qwen3模型')).toBe(0.84);
    expect(lexicalScore('検索', '検索エンジン')).toBeGreaterThan(0);
    expect(countTokens('')).toBe(0);
    expect(countTokens('two words.')).toBe(2);
  });

  it('counts only the first maxTokens words of the document', () => {
    expect(lexicalScore('gateway', 'one two three gateway', 3)).toBe(0);
    expect(lexicalScore('gateway', 'one two three gateway', 4)).toBeGreaterThan(0);
  });

  it('scores a query without words by exact text', () => {
    expect(lexicalScore('!!!', '!!!')).toBe(1);
    expect(lexicalScore('!!!', '???')).toBe(0);
  });

  it('always gives a finite score in [0, 1] that depends only on the pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (query, document) => {
        const score = lexicalScore(query, document);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(lexicalScore(query, document)).toBe(score);
      }),
      { numRuns: 300 },
    );
  });
});
