import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScoringError } from '../backend/scoring-error.js';
import { Bm25Backend } from './bm25-backend.js';

const backend = new Bm25Backend();

async function scoresOf(query: string, documents: readonly string[], scorer = backend): Promise<number[]> {
  return Array.from((await scorer.doScore({ query, documents })).scores);
}

describe('Bm25Backend', () => {
  it('describes itself per the scoring backend specification', () => {
    expect(backend.specificationVersion).toBe('v1');
    expect(backend.provider).toBe('sealink.bm25');
    expect(backend.modelId).toBe('bm25');
    expect(backend.limits).toEqual({
      maxDocumentsPerCall: 10_000,
      contextLength: 32_768,
      supportsInstruction: false,
    });
    expect(backend.settings).toEqual({ k1: 1.2, b: 0.75, saturation: 10, stopWords: true, stemming: true });
    expect(backend.isReady()).toBe(true);
  });

  it('matches a hand-computed BM25 score', async () => {
    // N = 3, avgdl = 2; "cat" is in one document: idf = ln(8 / 3).
    // Document 0 (length 3, tf 2): 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 3 / 2)) = 4.4 / 3.65.
    const raw = Math.log(8 / 3) * (4.4 / 3.65);
    expect(raw).toBeCloseTo(1.18237, 5);
    const scores = await scoresOf('cat', ['cat cat dog', 'dog bird', 'fish']);
    expect(scores[0]).toBeCloseTo(raw / (raw + 10), 12);
    expect(scores[0]).toBeCloseTo(0.105735, 6);
    expect(scores.slice(1)).toEqual([0, 0]);
  });

  it('honours k1, b and saturation', async () => {
    const custom = new Bm25Backend({ k1: 2, b: 0, saturation: 1 });
    // b = 0: no length normalisation; tf 2: 2 * 3 / (2 + 2) = 1.5; idf = ln(8 / 3).
    const raw = Math.log(8 / 3) * 1.5;
    const [score] = await scoresOf('cat', ['cat cat dog', 'dog bird', 'fish'], custom);
    expect(score).toBeCloseTo(raw / (raw + 1), 12);
  });

  it('ranks the two related documents of the public API example above the sourdough one', async () => {
    const { query, documents } = EXAMPLE_RERANK_REQUEST;
    expect(documents[1]).toContain('sourdough');
    const scores = await scoresOf(query, documents);
    expect(scores[1]).toBe(0);
    expect(scores[0]).toBeGreaterThan(0);
    expect(scores[2]).toBeGreaterThan(0);
    // "API" and "model IDs" match in document 0; only "models" in document 2.
    expect(scores[0]).toBeGreaterThan(scores[2] as number);
  });

  it('scores empty documents and stop-word-only queries 0, never NaN', async () => {
    expect(await scoresOf('what is the', ['the cat', 'is what', ''])).toEqual([0, 0, 0]);
    expect(await scoresOf('cat', ['', '', ''])).toEqual([0, 0, 0]);
    expect(await scoresOf('', ['cat'])).toEqual([0]);
    expect(await scoresOf('cat', [])).toEqual([]);
  });

  it('counts word tokens of the query and documents as usage', async () => {
    const result = await backend.doScore({ query: 'the cat', documents: ['the cat sat', 'a dog'] });
    expect(result.usage.tokens).toBe(2 + 3 + 2);
    expect(result.warnings).toEqual([]);
  });

  it('warns that an instruction is not supported', async () => {
    const result = await backend.doScore({ query: 'cat', documents: ['cat'], instruction: 'Find cats.' });
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'instruction' }),
    ]);
  });

  it('truncates documents to maxTokensPerDocument tokens', async () => {
    const documents = ['one two three four cat', 'cat'];
    const truncated = await backend.doScore({ query: 'cat', documents, maxTokensPerDocument: 4 });
    expect(Array.from(truncated.scores)[0]).toBe(0);
    expect(Array.from(truncated.scores)[1]).toBeGreaterThan(0);
    expect(truncated.usage.tokens).toBe(1 + 4 + 1);
    await expect(
      backend.doScore({ query: 'cat', documents, maxTokensPerDocument: 0 }),
    ).rejects.toBeInstanceOf(ScoringError);
  });

  it('refuses more documents than its limit with a ScoringError', async () => {
    const small = new Bm25Backend({ maxDocumentsPerCall: 2 });
    const error = await small.doScore({ query: 'a', documents: ['a', 'b', 'c'] }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ScoringError);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'too_many_documents' });
  });

  it('rejects invalid settings', () => {
    expect(() => new Bm25Backend({ b: 2 })).toThrow(RangeError);
    expect(() => new Bm25Backend({ k1: Number.NaN })).toThrow(RangeError);
    expect(() => new Bm25Backend({ saturation: 0 })).toThrow(RangeError);
    expect(() => new Bm25Backend({ maxDocumentsPerCall: 0 })).toThrow(RangeError);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('client went away'));
    await expect(
      backend.doScore({ query: 'cat', documents: ['cat'], abortSignal: controller.signal }),
    ).rejects.toThrow('client went away');
  });

  it('stops a large call when the signal aborts during it', async () => {
    const documents = Array.from(
      { length: 5_000 },
      (_, index) => `document ${index} ${'about cats and dogs '.repeat(50)}`,
    );
    const controller = new AbortController();
    const call = backend.doScore({ query: 'cat', documents, abortSignal: controller.signal });
    controller.abort(new Error('deadline'));
    await expect(call).rejects.toThrow('deadline');
    // The backend still works afterwards.
    expect(await scoresOf('cat', ['cat', 'dog'])).toHaveLength(2);
  });

  it('gives one finite score in [0, 1] per document for any input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.array(fc.string({ unit: 'grapheme', maxLength: 200 }), { maxLength: 30 }),
        async (query, documents) => {
          const scores = await scoresOf(query, documents);
          expect(scores).toHaveLength(documents.length);
          for (const score of scores) {
            expect(Number.isFinite(score)).toBe(true);
            expect(score).toBeGreaterThanOrEqual(0);
            expect(score).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ranks a document with more query-term matches higher', async () => {
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...words), { minLength: 2, maxLength: 5 }),
        fc.array(fc.array(fc.constantFrom(...words, 'kilo', 'lima', 'mike'), { maxLength: 12 }), {
          maxLength: 10,
        }),
        fc.integer({ min: 1, max: 4 }),
        async (queryWords, others, filler) => {
          // Same length, same filler; the richer document holds every query word, the poorer one all but one.
          const padding = Array.from({ length: filler }, () => 'zulu');
          const richer = [...queryWords, ...padding].join(' ');
          const poorer = [...queryWords.slice(1), 'zulu', ...padding].join(' ');
          const documents = [...others.map((words) => words.join(' ')), poorer, richer];
          const scores = await scoresOf(queryWords.join(' '), documents);
          expect(scores.at(-1)).toBeGreaterThan(scores.at(-2) as number);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps concurrent calls independent', async () => {
    // About 3 MB of text: each call yields to the event loop once, so the two calls interleave.
    const documents = Array.from(
      { length: 3_000 },
      (_, index) => `cat ${index} ${'dog '.repeat(index % 500)}`,
    );
    const alone = await scoresOf('cat', documents);
    const [together] = await Promise.all([scoresOf('cat', documents), scoresOf('dog', documents)]);
    expect(together).toEqual(alone);
  });

  it('gives the same scores and usage with the document cache as without', async () => {
    const cached = new Bm25Backend({ documentCacheSize: 3 });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }),
        fc.array(fc.constantFrom('the cat sat', 'Models rank documents', '', 'cats and dogs', 'a model ID'), {
          maxLength: 8,
        }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        async (query, documents, maxTokensPerDocument) => {
          const call = {
            query,
            documents,
            ...(maxTokensPerDocument === undefined ? {} : { maxTokensPerDocument }),
          };
          const plain = await backend.doScore(call);
          const withCache = await cached.doScore(call);
          expect(Array.from(withCache.scores)).toEqual(Array.from(plain.scores));
          expect(withCache.usage).toEqual(plain.usage);
        },
      ),
      { numRuns: 200 },
    );
    expect(() => new Bm25Backend({ documentCacheSize: -1 })).toThrow(RangeError);
  });

  it('scores documents holding the same words in another order exactly alike (bag of words)', async () => {
    // Summing the terms in the order they occur in each document made these differ in the last bits, so
    // the later of two equivalent documents could rank first instead of tying and keeping input order.
    const cases = [
      [
        'epsilon eta delta gamma iota theta',
        'zeta gamma delta kappa delta epsilon kappa',
        'epsilon delta kappa kappa delta gamma zeta',
      ],
      [
        'epsilon delta iota zeta kappa',
        'epsilon alpha iota delta eta beta',
        'delta iota beta eta alpha epsilon',
      ],
    ] as const;
    const others = ['alpha beta', 'gamma delta epsilon', 'kappa iota', 'zeta zeta eta theta', 'beta'];
    for (const [query, first, second] of cases) {
      const [left, right] = await scoresOf(query, [first, second, ...others]);
      expect(right).toBe(left);
    }
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 12 }),
        fc.array(fc.array(fc.constantFrom(...words), { maxLength: 10 }), { maxLength: 12 }),
        fc.integer(),
        async (query, bag, others, seed) => {
          const shuffled = fc.sample(fc.shuffledSubarray(bag, { minLength: bag.length }), {
            seed,
            numRuns: 1,
          })[0];
          const [left, right] = await scoresOf(query.join(' '), [
            bag.join(' '),
            (shuffled ?? bag).join(' '),
            ...others.map((document) => document.join(' ')),
          ]);
          expect(right).toBe(left);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches a decimal number as a whole, not its digits on either side of the point', async () => {
    // "3.14" was read as "3" and "14", so the query matched a document with a 3 and a 14 as well as π.
    const scores = await scoresOf('3.14', [
      'π is about 3.14',
      '3 apples and 14 pears',
      'version 3.14.1',
      '3,14',
    ]);
    expect(scores[0]).toBeGreaterThan(0);
    expect(scores[1]).toBe(0);
    expect(scores[2]).toBe(0);
    expect(scores[3]).toBe(0);
    // "1 000" holds neither "1,000" nor its digits as terms: it scores as "two hundred" does.
    const thousands = await scoresOf('1,000 patients', [
      '1,000 patients',
      '1 000 patients',
      'two hundred patients',
    ]);
    expect(thousands[0]).toBeGreaterThan(thousands[1] as number);
    expect(thousands[1]).toBe(thousands[2]);
  });

  it('matches a Thai query word inside Thai text written without spaces', async () => {
    const scores = await scoresOf('ภาษาไทย', ['ฉันชอบเรียนภาษาไทยมาก', 'วันนี้อากาศดี', 'ภาษาอังกฤษ']);
    expect(scores[0]).toBeGreaterThan(scores[2] as number);
    expect(scores[2]).toBeGreaterThan(0);
    expect(scores[1]).toBe(0);
  });

  it('matches Thai and Lao SARA AM whether typed precomposed or as NIKHAHIT + SARA AA', async () => {
    const documents = ['ฉันทำงานที่บ้าน', 'ดื่มน้ำเย็น', 'ນ້ຳຕົກ', 'วันนี้อากาศดี'];
    // A decomposed query (U+0E4D U+0E32) against precomposed documents (U+0E33), and the reverse.
    const workDecomposed = await scoresOf('ท\u0e4d\u0e32งาน', documents);
    expect(workDecomposed[0]).toBeGreaterThan(0);
    expect(workDecomposed).toEqual(await scoresOf('ทำงาน', documents));
    expect((await scoresOf('ทำงาน', ['ฉันท\u0e4d\u0e32งานที่บ้าน', 'วันนี้อากาศดี']))[0]).toBeGreaterThan(0);
    const waterDecomposed = await scoresOf('น\u0e4d\u0e49\u0e32', documents);
    expect(waterDecomposed[1]).toBeGreaterThan(0);
    expect(waterDecomposed).toEqual(await scoresOf('น้ำ', documents));
    const laoWaterDecomposed = await scoresOf('ນ\u0ecd\u0ec9\u0eb2', documents);
    expect(laoWaterDecomposed[2]).toBeGreaterThan(0);
    expect(laoWaterDecomposed).toEqual(await scoresOf('ນ້ຳ', documents));
  });

  it('matches a Latin query word written against Thai text, and a Thai one after a Latin word', async () => {
    const scores = await scoresOf('API ภาษา', ['ใช้APIง่าย', 'Qwen3ภาษาไทย', 'วันนี้อากาศดี']);
    expect(scores[0]).toBeGreaterThan(0);
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores[2]).toBe(0);
  });
});
