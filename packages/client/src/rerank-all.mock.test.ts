import { buildRerankResponse } from '@sealink/rerank-contract';
import { checkRerankResponse, rerankRequestArbitrary } from '@sealink/rerank-contract/testing';
import { lexicalScore, startMockServer } from '@sealink/rerank-mock-server';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequestError } from './api-error.js';
import { APIUserAbortError } from './api-user-abort-error.js';
import { SeaLinkError } from './sea-link-error.js';
import { testClient } from './testing/disposable-client.js';
import { processWarningsDuring } from './testing/process-warnings.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

const WORDS = [
  'rerank',
  'gateway',
  'qwen',
  'model',
  'api',
  'search',
  'sourdough',
  'starter',
  'the',
  'of',
  'best',
];

/** `count` documents of one to eight words, with many repeats so that scores tie. */
function makeDocuments(count: number): string[] {
  let state = 7;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + (next() % 8) }, () => WORDS[next() % WORDS.length]).join(' '),
  );
}

const QUERY = 'best rerank gateway for qwen models';

describe('rerankAll against the mock server', () => {
  it('ranks 5,000 documents in chunks of 1,000 exactly as one unsplit ranking', async () => {
    // The contract allows at most 1,000 documents per request, so the unsplit reference is computed here
    // with the mock's own pointwise score; a 1,000-document call shows that it is the mock's ranking.
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    const documents = makeDocuments(5000);
    const reference = (docs: string[]) =>
      buildRerankResponse({
        model: 'qwen3-rerank',
        documents: docs,
        scores: docs.map((document) => lexicalScore(QUERY, document)),
        totalTokens: 0,
      }).results;
    const firstThousand = await client.rerank({
      model: 'qwen3-rerank',
      query: QUERY,
      documents: documents.slice(0, 1000),
    });
    expect(firstThousand.results).toEqual(reference(documents.slice(0, 1000)));
    mock.clear();
    const request = { model: 'qwen3-rerank', query: QUERY, documents };
    const split = await client.rerankAll(request, { chunkSize: 1000 });
    expect(mock.requests).toHaveLength(5);
    expect(split.results).toEqual(reference(documents));
    expect(new Set(split.results.map((result) => result.relevance_score)).size).toBeLessThan(1000);
    expect(checkRerankResponse(request, split)).toEqual([]);
    // Chunks run concurrently, so the journal may hold them in another order than request_ids.
    expect([...split.request_ids].sort()).toEqual(mock.requests.map((entry) => entry.requestId).sort());
    for (const entry of mock.requests) {
      const body = entry.body as { documents: unknown[]; return_documents: boolean };
      expect(body.documents).toHaveLength(1000);
      expect(body.return_documents).toBe(false);
    }
  });

  it('keeps top_n over all documents and return_documents: false', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    const documents = makeDocuments(1000);
    const request = { model: 'qwen3-rerank', query: QUERY, documents, top_n: 7, return_documents: false };
    const unsplit = await client.rerank(request);
    const split = await client.rerankAll(request, { chunkSize: 400, concurrency: 2 });
    expect(split.results).toEqual(unsplit.results);
    expect(split.results).toHaveLength(7);
    expect(split.results.every((result) => result.document === undefined)).toBe(true);
    for (const entry of mock.requests.slice(1)) expect((entry.body as { top_n: number }).top_n).toBe(7);
  });

  it("reads the chunk size from the model's max_documents once, and sends one request when it fits", async () => {
    await using mock = await startMockServer({ maxDocuments: 300 });
    await using client = testClient(mock.url);
    const documents = makeDocuments(1000);
    const response = await client.rerankAll({ model: 'qwen3-rerank', query: QUERY, documents });
    expect(response.results).toHaveLength(1000);
    expect(mock.requests.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'GET /v1/models/qwen3-rerank',
      'POST /v1/rerank',
      'POST /v1/rerank',
      'POST /v1/rerank',
      'POST /v1/rerank',
    ]);
    mock.clear();
    const small = await client.rerankAll({
      model: 'qwen3-rerank',
      query: QUERY,
      documents: documents.slice(0, 5),
    });
    expect(
      checkRerankResponse({ model: 'qwen3-rerank', query: QUERY, documents: documents.slice(0, 5) }, small),
    ).toEqual([]);
    expect(small.request_ids).toEqual([mock.requests[0]?.requestId]);
    expect(mock.requests.map((entry) => entry.path)).toEqual(['/v1/rerank']);
  });

  it('splits by body size as well as by count', async () => {
    await using mock = await startMockServer({ maxBodyBytes: 64 * 1024 });
    await using client = testClient(mock.url);
    const documents = Array.from({ length: 40 }, (_, index) => `${'gateway '.repeat(500)}${index}`);
    const request = { model: 'qwen3-rerank', query: QUERY, documents };
    await expect(client.rerank(request)).rejects.toThrow(/413|larger/);
    const split = await client.rerankAll(request, { maxChunkBytes: 64 * 1024 });
    expect(checkRerankResponse(request, split)).toEqual([]);
    expect(mock.requests.filter((entry) => entry.status === 200).length).toBeGreaterThan(1);
  });

  it('fails with the first chunk error and stops the other chunks', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    mock.faults.enqueue(
      { kind: 'latency', ms: 50 },
      { kind: 'error', status: 400, code: 'bad_chunk', message: 'bad chunk' },
    );
    const documents = makeDocuments(100);
    const error = await client
      .rerankAll({ model: 'qwen3-rerank', query: QUERY, documents }, { chunkSize: 10, concurrency: 2 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe('bad_chunk');
    expect(mock.requests.length).toBeLessThan(10);
  });

  it('aborts every chunk when the caller aborts', async () => {
    await using mock = await startMockServer({ latency: 5000 });
    await using client = testClient(mock.url);
    const controller = new AbortController();
    const pending = client.rerankAll(
      { model: 'qwen3-rerank', query: QUERY, documents: makeDocuments(50) },
      { chunkSize: 10, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('a top_n beyond 2^53 (2 ** 53, 1e21) returns every document, as in rerank, however the documents split', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    for (const topN of [2 ** 53, 1e21]) {
      for (const documents of [makeDocuments(5), makeDocuments(50)]) {
        const request = { model: 'qwen3-rerank', query: QUERY, documents, top_n: topN };
        const merged = await client.rerankAll(request, { chunkSize: 10 });
        const single = await client.rerank({ ...request, top_n: undefined });
        expect(merged.results, `${topN} over ${documents.length}`).toHaveLength(documents.length);
        expect(merged.results.map((result) => result.index)).toEqual(
          single.results.map((result) => result.index),
        );
      }
    }
  });

  it('a top_n the contract refuses (0, 1.5) fails as it does in rerank, however the documents split', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    for (const topN of [0, 1.5]) {
      for (const documents of [makeDocuments(5), makeDocuments(50)]) {
        const request = { model: 'qwen3-rerank', query: QUERY, documents, top_n: topN };
        const error = await client.rerankAll(request, { chunkSize: 10 }).catch((caught: unknown) => caught);
        expect(error, `${topN} over ${documents.length}`).toBeInstanceOf(BadRequestError);
        expect((error as BadRequestError).param).toBe('top_n');
      }
    }
  });

  it("names a bad document by its index in the caller's documents, not in its chunk", async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    const cases: [unknown, string, RegExp][] = [
      [42, 'documents[23]', /Invalid 'documents\[23\]'/],
      [{ text: 'x', extra: 1 }, 'documents[23].extra', /Unknown field 'documents\[23\]\.extra'/],
    ];
    for (const [bad, param, message] of cases) {
      const documents: unknown[] = makeDocuments(30);
      documents[23] = bad;
      const request = { model: 'qwen3-rerank', query: QUERY, documents: documents as string[] };
      const error = (await client
        .rerankAll(request, { chunkSize: 10 })
        .catch((caught: unknown) => caught)) as BadRequestError;
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.param).toBe(param);
      expect(error.error?.param).toBe(param);
      expect(error.message).toMatch(message);
      expect(error.request_id).toMatch(/\S/);
    }
  });

  it('an already aborted signal sends no chunk, even with chunkSize (no model lookup first)', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    const controller = new AbortController();
    controller.abort();
    const pending = client.rerankAll(
      { model: 'qwen3-rerank', query: QUERY, documents: makeDocuments(50) },
      { chunkSize: 10, signal: controller.signal },
    );
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(mock.requests).toHaveLength(0);
  });

  it("one caller's abort does not end the model lookup that another call shares", async () => {
    await using mock = await startMockServer({ maxDocuments: 10 });
    await using client = testClient(mock.url);
    mock.faults.enqueue({ kind: 'latency', ms: 100 });
    const controller = new AbortController();
    const request = { model: 'qwen3-rerank', query: QUERY, documents: makeDocuments(25) };
    const aborted = client.rerankAll(request, { signal: controller.signal });
    const kept = client.rerankAll(request);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(APIUserAbortError);
    const response = await kept;
    expect(checkRerankResponse(request, response)).toEqual([]);
    expect(mock.requests.filter((entry) => entry.method === 'GET')).toHaveLength(1);
  });

  it('runs more than ten chunks at once without a MaxListenersExceededWarning about its own signal', async () => {
    // A server of its own that answers each chunk after 50 ms, so that all 16 chunk requests are in flight.
    await using server = await startScriptedServer((request, response) => {
      const body = JSON.parse(request.body) as { model: string; documents: string[]; top_n?: number };
      const answer = buildRerankResponse({
        model: body.model,
        documents: body.documents,
        scores: body.documents.map((document) => lexicalScore(QUERY, document)),
        topN: body.top_n,
        returnDocuments: false,
        totalTokens: 1,
      });
      setTimeout(() => sendJson(response, 200, answer), 50);
    });
    await using client = testClient(server.url);
    const warnings = await processWarningsDuring(async () => {
      const request = { model: 'qwen3-rerank', query: QUERY, documents: makeDocuments(64), top_n: 5 };
      const response = await client.rerankAll(request, { chunkSize: 4, concurrency: 16 });
      expect(checkRerankResponse(request, response)).toEqual([]);
      expect(response.request_ids).toHaveLength(16);
    });
    expect(warnings).toEqual([]);
  });

  it('rejects bad split options with a clear error', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    const request = { model: 'qwen3-rerank', query: QUERY, documents: ['a'] };
    await expect(client.rerankAll(request, { chunkSize: 0 })).rejects.toThrow(
      /chunkSize must be a positive integer/,
    );
    await expect(client.rerankAll(request, { concurrency: 1.5 })).rejects.toThrow(/concurrency must be/);
    expect(mock.requests).toHaveLength(0);
  });

  it('a signal shared by many parallel split calls gives no MaxListenersExceededWarning', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    const warnings = await processWarningsDuring(async () => {
      const { signal } = new AbortController();
      const request = { model: 'qwen3-rerank', query: QUERY, documents: makeDocuments(6), top_n: 2 };
      const calls = Array.from({ length: 12 }, () => client.rerankAll(request, { chunkSize: 3, signal }));
      const responses = await Promise.all(calls);
      expect(responses.map((response) => response.request_ids.length)).toEqual(Array(12).fill(2));
    });
    expect(warnings).toEqual([]);
  });

  it('fails with a SeaLinkError for bad split options, documents that are not an array or an empty model id', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    const request = { model: 'qwen3-rerank', query: QUERY, documents: ['a'] };
    const failures = [
      client.rerankAll(request, { chunkSize: 0 }),
      client.rerankAll(request, { concurrency: 1.5 }),
      client.rerankAll(request, { maxChunkBytes: -1 }),
      client.rerankAll({ ...request, documents: 'a' as unknown as string[] }),
      client.models.retrieve(''),
    ];
    for (const failure of failures) {
      const error = await failure.catch((caught: unknown) => caught);
      expect(SeaLinkError.isInstance(error), String(error)).toBe(true);
      expect(error).toBeInstanceOf(SeaLinkError);
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('equals one unsplit call for random requests and chunk sizes (pointwise model)', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    await fc.assert(
      fc.asyncProperty(
        rerankRequestArbitrary({ models: ['qwen3-rerank'], maxDocuments: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        async (request, chunkSize, concurrency) => {
          const unsplit = await client.rerank(request);
          const split = await client.rerankAll(request, { chunkSize, concurrency });
          expect(split.results).toEqual(unsplit.results);
          expect(split.usage).toEqual(unsplit.usage);
          expect(checkRerankResponse(request, split)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
