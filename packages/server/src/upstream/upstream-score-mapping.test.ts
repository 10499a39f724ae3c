// llama.cpp's server answers the raw logit of a BERT-style ranking head (BGE, Jina GGUFs), but P(yes) for
// a Qwen3-Reranker GGUF: its rank pooling ends in a softmax over the yes/no rows. Read with the sigmoid,
// those probabilities all land in [0.5, 0.731]. `scoreMapping: 'identity'` reads them as they are.
import { RELEVANCE_FIXTURE, sigmoid } from '@sealink/rerank-contract/dialects';
import { lexicalScore, startMockEngine } from '@sealink/rerank-mock-server';
import { describe, expect, it } from 'vitest';
import type { UpstreamBackendOptions } from './upstream-backend.js';
import { UpstreamConformanceError } from './upstream-conformance-error.js';
import { UPSTREAM_TYPES } from './upstream-engines.js';
import { createDisposableBackend, scoringErrorOf, serveEngine } from './upstream-test-kit.js';

const QUERY = 'sourdough starter feeding';
const DOCUMENTS = [
  'feed the sourdough starter daily',
  'stock markets closed higher',
  'a starter needs feeding',
];
const LEXICAL = DOCUMENTS.map((document) => lexicalScore(QUERY, document));

/** A llama.cpp server answering every rerank call with `scores` in request order, and `GET /health` 200. */
function startLlamaCppAnswering(scores: readonly number[]) {
  return serveEngine((incoming, outgoing) => {
    incoming.resume();
    incoming.once('end', () => {
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      if (incoming.method === 'GET') {
        outgoing.end('{"status":"ok"}');
        return;
      }
      const results = scores.map((relevance_score, index) => ({ index, relevance_score }));
      outgoing.end(JSON.stringify({ model: 'q', object: 'list', results }));
    });
  });
}

/** A backend of model `q` on the one llama.cpp server at `url`, with the `options` a test is about. */
function createLlamaCppBackend(
  url: string,
  options: Omit<UpstreamBackendOptions, 'type' | 'baseUrls' | 'model'>,
) {
  return createDisposableBackend({ type: 'llama-cpp', baseUrls: [url], model: 'q', ...options });
}

describe('the score mapping of a llama-cpp upstream', () => {
  it('identity: a Qwen3 GGUF’s probabilities come through unchanged', async () => {
    await using engine = await startMockEngine({ dialect: 'llama-cpp', scoreMapping: 'identity' });
    await using backend = createLlamaCppBackend(engine.url, { scoreMapping: 'identity' });
    const result = await backend.doScore({ query: QUERY, documents: DOCUMENTS });
    expect(Array.from(result.scores)).toEqual(LEXICAL.map((score) => expect.closeTo(score, 12)));
    expect(LEXICAL[1]).toBe(0);
  });

  it('sigmoid stays the default: a BGE GGUF’s logits are mapped as before, with or without saying so', async () => {
    await using engine = await startMockEngine({ dialect: 'llama-cpp' });
    for (const scoreMapping of [undefined, 'sigmoid'] as const) {
      await using backend = createLlamaCppBackend(
        engine.url,
        scoreMapping === undefined ? {} : { scoreMapping },
      );
      const result = await backend.doScore({ query: QUERY, documents: DOCUMENTS });
      expect(Array.from(result.scores)).toEqual(LEXICAL.map((score) => expect.closeTo(score, 9)));
    }
  });

  it('the default sigmoid squeezes a Qwen3 GGUF’s probabilities into [0.5, 0.731]: why identity is needed', async () => {
    await using engine = await startMockEngine({ dialect: 'llama-cpp', scoreMapping: 'identity' });
    await using backend = createLlamaCppBackend(engine.url, {});
    const result = await backend.doScore({ query: QUERY, documents: DOCUMENTS });
    expect(Array.from(result.scores)).toEqual(LEXICAL.map((score) => expect.closeTo(sigmoid(score), 12)));
    expect(result.scores[1]).toBe(0.5);
  });

  it('identity: a score outside [0, 1] is a 502 upstream_invalid_response, never clamped', async () => {
    for (const scores of [
      [0.9, 1.7, 0.2],
      [0.9, -0.4, 0.2],
      // What llama.cpp's server sends for a sequence it found no embedding of.
      [0.9, -1e6, 0.2],
    ]) {
      await using engine = await startLlamaCppAnswering(scores);
      await using backend = createLlamaCppBackend(engine.url, {
        scoreMapping: 'identity',
        healthCheck: false,
      });
      const error = await scoringErrorOf(backend.doScore({ query: QUERY, documents: DOCUMENTS }));
      expect(error).toMatchObject({ type: 'upstream_error', code: 'upstream_invalid_response' });
      expect(error.message).toContain(`results[1].score: ${scores[1]} is not a probability in [0, 1]`);
    }
  });

  it('identity with verifyOnLoad refuses an engine that answers logits after all (a BGE GGUF)', async () => {
    await using engine = await startMockEngine({ dialect: 'llama-cpp' });
    await using backend = createLlamaCppBackend(engine.url, {
      scoreMapping: 'identity',
      verifyOnLoad: true,
    });
    await expect(backend.load()).rejects.toThrow(UpstreamConformanceError);
    await expect(backend.load()).rejects.toThrow(/upstream_invalid_response/);
  });

  it('verifyOnLoad warns, and still loads, when every sigmoid-mapped fixture score was in [0, 1] before the mapping', async () => {
    await using engine = await startMockEngine({ dialect: 'llama-cpp', scoreMapping: 'identity' });
    const warnings: string[] = [];
    await using backend = createLlamaCppBackend(engine.url, {
      verifyOnLoad: true,
      onLoadWarning: (message) => warnings.push(message),
    });
    await backend.load();
    expect(backend.isReady()).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('upstream.llama-cpp');
    expect(warnings[0]).toContain('score_mapping: "identity"');
    for (const document of RELEVANCE_FIXTURE.documents) expect(warnings[0]).not.toContain(document);
  });

  it('verifyOnLoad does not warn for logits, nor under identity, and a throwing listener does not fail the load', async () => {
    const cases = [
      { engineMapping: undefined, scoreMapping: undefined },
      { engineMapping: 'identity', scoreMapping: 'identity' },
    ] as const;
    for (const { engineMapping, scoreMapping } of cases) {
      await using engine = await startMockEngine({
        dialect: 'llama-cpp',
        ...(engineMapping === undefined ? {} : { scoreMapping: engineMapping }),
      });
      const warnings: string[] = [];
      await using backend = createLlamaCppBackend(engine.url, {
        verifyOnLoad: true,
        ...(scoreMapping === undefined ? {} : { scoreMapping }),
        onLoadWarning: (message) => warnings.push(message),
      });
      await backend.load();
      expect(warnings).toEqual([]);
    }
    await using engine = await startMockEngine({ dialect: 'llama-cpp', scoreMapping: 'identity' });
    await using backend = createLlamaCppBackend(engine.url, {
      verifyOnLoad: true,
      onLoadWarning: () => {
        throw new Error('the log is broken');
      },
    });
    await backend.load();
    expect(backend.isReady()).toBe(true);
  });

  it.each(UPSTREAM_TYPES.filter((type) => type !== 'llama-cpp'))(
    'refuses a score mapping for the %s upstream, whose scale is fixed',
    (type) => {
      expect(() =>
        createDisposableBackend({
          type,
          baseUrls: ['http://127.0.0.1:1'],
          model: 'q',
          scoreMapping: 'identity',
        }),
      ).toThrow(/scoreMapping applies to llama-cpp upstreams only/);
    },
  );

  it('refuses a score mapping that is not one', () => {
    expect(() =>
      createDisposableBackend({
        type: 'llama-cpp',
        baseUrls: ['http://127.0.0.1:1'],
        model: 'q',
        scoreMapping: 'softmax' as 'identity',
      }),
    ).toThrow(/scoreMapping must be one of identity, sigmoid, got softmax/);
  });
});
