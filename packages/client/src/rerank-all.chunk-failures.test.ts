import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildRerankResponse, documentText, type Model, RerankRequest } from '@sealink/rerank-contract';
import { checkRerankResponse } from '@sealink/rerank-contract/testing';
import { startMockServer } from '@sealink/rerank-mock-server';
import { describe, expect, it, vi } from 'vitest';
import { BadRequestError, OverloadedError } from './api-error.js';
import { APIUserAbortError } from './api-user-abort-error.js';
import { testClient } from './testing/disposable-client.js';
import { sendJson, startScriptedServer } from './testing/start-scripted-server.js';

const MODEL: Model = {
  id: 'm',
  object: 'model',
  created: 0,
  owned_by: 'sealink',
  max_documents: 2,
  context_length: 512,
  supports_instruction: false,
};

/** A 200 answer that ranks the request's documents, all with one score. */
function rankAll(body: string, response: ServerResponse): void {
  const texts = RerankRequest.parse(JSON.parse(body)).documents.map(documentText);
  sendJson(
    response,
    200,
    buildRerankResponse({ model: 'm', documents: texts, scores: texts.map(() => 0.5), totalTokens: 1 }),
  );
}

describe('rerankAll when a chunk or the model lookup fails', () => {
  it('a failing chunk aborts the chunks still in flight instead of waiting for their answers', async () => {
    const closedUnanswered: string[] = [];
    await using server = await startScriptedServer((request, response) => {
      const { documents } = JSON.parse(request.body) as { documents: string[] };
      if (documents[0] === 'hangs') {
        // Never answered: only the client ending the request closes it before the client's timeout.
        response.on('close', () => closedUnanswered.push('hangs'));
        return;
      }
      sendJson(response, 400, {
        error: { type: 'invalid_request_error', code: 'bad_chunk', message: 'bad chunk', request_id: 'r1' },
      });
    });
    const timeout = 9000;
    await using client = testClient(server.url, { timeout, maxRetries: 0 });
    const pending = client
      .rerankAll(
        { model: 'm', query: 'q', documents: ['hangs', 'fails', 'never sent'] },
        { chunkSize: 1, concurrency: 2 },
      )
      .catch((caught: unknown) => caught);
    // Without the abort, the call would wait for the hanging chunk's timeout (9 s): the bound is half of it.
    const outcome = await Promise.race([pending, sleep(timeout / 2, 'still waiting for the hanging chunk')]);
    expect(outcome).toBeInstanceOf(BadRequestError);
    expect((outcome as BadRequestError).code).toBe('bad_chunk');
    // vi.waitFor gives up after 1 s by default: a margin a loaded machine can eat, so 10 s (it returns as soon as it holds).
    await vi.waitFor(() => expect(closedUnanswered).toEqual(['hangs']), { timeout: 10_000 });
    expect(server.requests).toHaveLength(2);
  });

  it('a failed model lookup is not remembered: the next call looks the model up again', async () => {
    await using mock = await startMockServer({ maxDocuments: 10 });
    await using client = testClient(mock.url, { maxRetries: 0 });
    mock.faults.enqueue({ kind: 'error', status: 503, code: 'overloaded', message: 'busy' });
    const request = { model: 'qwen3-rerank', query: 'best gateway', documents: Array(25).fill('gateway') };
    await expect(client.rerankAll(request)).rejects.toBeInstanceOf(OverloadedError);
    const response = await client.rerankAll(request);
    expect(checkRerankResponse(request, response)).toEqual([]);
    expect(mock.requests.filter((entry) => entry.method === 'GET')).toHaveLength(2);
    expect(mock.requests.filter((entry) => entry.method === 'POST')).toHaveLength(3);
  });

  it("an abort ends the caller's wait for the model lookup while the lookup is still unanswered", async () => {
    const heldLookups: ServerResponse[] = [];
    await using server = await startScriptedServer((request, response) => {
      if (request.method === 'GET') heldLookups.push(response);
      else rankAll(request.body, response);
    });
    await using client = testClient(server.url, { maxRetries: 0 });
    try {
      const controller = new AbortController();
      const pending = client
        .rerankAll({ model: 'm', query: 'q', documents: ['a', 'b', 'c'] }, { signal: controller.signal })
        .catch((caught: unknown) => caught);
      await vi.waitFor(() => expect(heldLookups).toHaveLength(1), { timeout: 10_000 });
      const reason = new Error('caller gave up');
      controller.abort(reason);
      // The lookup is answered only after this race: a call that waited for it would never settle here.
      const outcome = await Promise.race([pending, sleep(5000, 'still waiting for the model lookup')]);
      expect(outcome).toBeInstanceOf(APIUserAbortError);
      expect((outcome as APIUserAbortError).cause).toBe(reason);
      expect(server.requests.map((request) => request.method)).toEqual(['GET']);
    } finally {
      for (const response of heldLookups) if (!response.writableEnded) sendJson(response, 200, MODEL);
    }
  });

  it("names the failing document by its index in the caller's list when chunks split by bytes, in param and message", async () => {
    await using server = await startScriptedServer((request, response) => {
      const { documents } = JSON.parse(request.body) as { documents: string[] };
      const bad = documents.indexOf('BAD');
      if (bad === -1) return rankAll(request.body, response);
      sendJson(response, 400, {
        error: {
          type: 'invalid_request_error',
          code: 'invalid_document',
          message: `Invalid 'documents[${bad}]': documents[${bad}] may not be BAD.`,
          param: `documents[${bad}]`,
          request_id: 'r2',
        },
      });
    });
    await using client = testClient(server.url, { maxRetries: 0 });
    // The long first document takes a chunk alone (bytes), so the chunks are [0], [1, 2, 3] and [4, 5]:
    // 'BAD' is document 0 of the third chunk, which starts at 4, not at 2 * chunkSize.
    const documents = ['x'.repeat(2000), 'a', 'b', 'c', 'BAD', 'd'];
    const error = (await client
      .rerankAll({ model: 'm', query: 'q', documents }, { chunkSize: 3, maxChunkBytes: 1500, concurrency: 1 })
      .catch((caught: unknown) => caught)) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(server.requests.map((request) => JSON.parse(request.body).documents.length)).toEqual([1, 3, 2]);
    expect(error.param).toBe('documents[4]');
    expect(error.error?.message).toBe("Invalid 'documents[4]': documents[4] may not be BAD.");
    expect(error.message).toBe(
      "400 invalid_request_error (invalid_document): Invalid 'documents[4]': documents[4] may not be BAD.",
    );
    expect(error.request_id).toBe('r2');
  });
});
