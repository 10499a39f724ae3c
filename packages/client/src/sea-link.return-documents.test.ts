import { documentText, RerankRequest } from '@sealink/rerank-contract';
import { startMockServer } from '@sealink/rerank-mock-server';
import { Bm25Backend, createRerankApp, ModelRegistry, serveRerankApp } from '@sealink/rerank-server';
import { captureLogger } from '@sealink/rerank-server/testing';
import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from './invalid-response-error.js';
import { testClient } from './testing/disposable-client.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

const caught = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const DOCUMENTS = ['alpha gateway', 'beta', 'gamma gateway qwen'];

/**
 * A server that answers every rerank request with a pointwise score (a document's text length / 100, so a
 * split request ranks as the whole one) and, for each result, whatever `documentOf` gives (`undefined`
 * leaves `document` out).
 */
async function startAnswering(documentOf: (index: number, rank: number, body: RerankRequest) => unknown) {
  return startScriptedServer((request, response) => {
    const body = RerankRequest.parse(JSON.parse(request.body));
    const scores = body.documents.map((document) => documentText(document).length / 100);
    const order = scores.map((_, index) => index).sort((a, b) => scores[b]! - scores[a]! || a - b);
    const results = order.slice(0, body.top_n ?? order.length).map((index, rank) => {
      const document = documentOf(index, rank, body);
      return { index, ...(document === undefined ? {} : { document }), relevance_score: scores[index]! };
    });
    sendJson(response, 200, { id: 'rerank-1', model: body.model, results, usage: { total_tokens: 1 } });
  });
}

const textOf = (index: number, body: RerankRequest) => ({ text: documentText(body.documents[index]!) });

describe('results carry a document whenever the request asked for documents', () => {
  it('an answer without document to a request that asked for it is an InvalidResponseError, not retried', async () => {
    await using server = await startAnswering(() => undefined);
    await using client = testClient(server.url, { maxRetries: 2 });
    for (const [request, asked] of [
      [{ model: 'm', query: 'q', documents: DOCUMENTS }, 'return_documents is true by default'],
      [{ model: 'm', query: 'q', documents: DOCUMENTS, return_documents: true }, 'return_documents: true'],
    ] as const) {
      const before = server.requests.length;
      const error = (await caught(client.rerank(request))) as InvalidResponseError;
      expect(error, JSON.stringify(request)).toBeInstanceOf(InvalidResponseError);
      expect(error.status).toBe(200);
      expect(error.message).toBe(
        'The answer to POST /rerank (status 200) does not fit the request: results[0] has no document, ' +
          `but the request asks for documents (${asked}).`,
      );
      expect(server.requests.length - before).toBe(1);
    }
  });

  it('one result of several without its document is named', async () => {
    await using server = await startAnswering((index, rank, body) =>
      rank === 1 ? undefined : textOf(index, body),
    );
    await using client = testClient(server.url);
    const error = (await caught(client.rerank({ model: 'm', query: 'q', documents: DOCUMENTS }))) as Error;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/results\[1\] has no document, but the request asks for documents/);
  });

  it('a document that is not { text: string } is an InvalidResponseError', async () => {
    for (const bad of [null, {}, { text: 7 }, 'alpha']) {
      await using server = await startAnswering(() => bad);
      await using client = testClient(server.url);
      const error = (await caught(client.rerank({ model: 'm', query: 'q', documents: DOCUMENTS }))) as Error;
      expect(error, JSON.stringify(bad)).toBeInstanceOf(InvalidResponseError);
      expect(error.message, JSON.stringify(bad)).toMatch(/results\.0\.document|results\[0\]\.document/);
    }
  });

  it('rerankAll of documents that fit in one request checks the answer the same way', async () => {
    await using server = await startAnswering(() => undefined);
    await using client = testClient(server.url);
    const error = await caught(
      client.rerankAll({ model: 'm', query: 'q', documents: DOCUMENTS }, { chunkSize: 10 }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/results\[0\] has no document/);
  });

  it('an answer that keeps the contract passes, with the documents as sent', async () => {
    await using server = await startAnswering((index, _rank, body) => textOf(index, body));
    await using client = testClient(server.url);
    const response = await client.rerank({ model: 'm', query: 'q', documents: DOCUMENTS, top_n: 2 });
    expect(response.results.map((result) => result.document.text)).toEqual([
      'gamma gateway qwen',
      'alpha gateway',
    ]);
    // Split: chunks ask for no text, and the merge takes it from the request.
    const split = await client.rerankAll({ model: 'm', query: 'q', documents: DOCUMENTS }, { chunkSize: 1 });
    expect(split.results.map((result) => result.document.text)).toEqual([
      'gamma gateway qwen',
      'alpha gateway',
      'beta',
    ]);
  });

  it('with return_documents: false, results have no document property, even when the server sends one', async () => {
    await using server = await startAnswering((index, _rank, body) => textOf(index, body));
    await using client = testClient(server.url);
    const request = { model: 'm', query: 'q', documents: DOCUMENTS, return_documents: false } as const;
    const response = await client.rerank(request);
    expect(response.results).toEqual([
      { index: 2, relevance_score: 0.18 },
      { index: 0, relevance_score: 0.13 },
      { index: 1, relevance_score: 0.04 },
    ]);
    expect(response.results.some((result) => Object.hasOwn(result, 'document'))).toBe(false);
    const single = await client.rerankAll(request, { chunkSize: 10 });
    expect(single.results.some((result) => Object.hasOwn(result, 'document'))).toBe(false);
    const split = await client.rerankAll(request, { chunkSize: 1 });
    expect(split.results.some((result) => Object.hasOwn(result, 'document'))).toBe(false);
  });
});

describe('the mock server and the real server send document.text exactly when asked', () => {
  const documents = ['SeaLink exposes one rerank API.', { text: 'A sourdough starter.' }, 'Rerank for RAG.'];
  const texts = documents.map(documentText);

  async function check(url: string, apiKey: string | null, model: string): Promise<void> {
    await using client = testClient(url, { apiKey });
    for (const returnDocuments of [undefined, true]) {
      const request = { model, query: 'rerank API', documents, top_n: 2, return_documents: returnDocuments };
      const response = await client.rerank(request);
      expect(response.results).toHaveLength(2);
      for (const result of response.results) expect(result.document).toEqual({ text: texts[result.index] });
      const all = await client.rerankAll(request, { chunkSize: 1 });
      for (const result of all.results) expect(result.document).toEqual({ text: texts[result.index] });
    }
    const bare = await client.rerank({ model, query: 'rerank API', documents, return_documents: false });
    expect(bare.results).toHaveLength(3);
    for (const result of bare.results) expect(Object.hasOwn(result, 'document')).toBe(false);
  }

  it('the mock server', async () => {
    await using mock = await startMockServer({ port: 0, host: '127.0.0.1' });
    await check(mock.url, null, 'qwen3-rerank');
  });

  it('the real server', async () => {
    const app = createRerankApp({
      registry: new ModelRegistry([{ id: 'bm25', backend: new Bm25Backend() }]),
      auth: { apiKeys: ['sk-documents'] },
      logger: captureLogger('warn').logger,
    });
    await using server = await serveRerankApp(app);
    await check(server.url, 'sk-documents', 'bm25');
  });
});
