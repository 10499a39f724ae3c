import { ERROR_TYPE_NAMES, ERROR_TYPES, errorTypeOfStatus } from '@sealink/rerank-contract';
import {
  checkRerankResponse,
  invalidRerankRequestArbitrary,
  rerankRequestArbitrary,
} from '@sealink/rerank-contract/testing';
import { startMockServer } from '@sealink/rerank-mock-server';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError } from './api-connection-error.js';
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
} from './api-error.js';
import { APIUserAbortError } from './api-user-abort-error.js';
import { InvalidResponseError } from './invalid-response-error.js';
import { SeaLink } from './sea-link.js';
import { testClient } from './testing/disposable-client.js';
import { EXPECTED_ERROR_CLASSES } from './testing/expected-error-classes.js';
import { EXAMPLE_REQUEST } from './testing/fixed-rerank-response.js';

function retryLogger() {
  const delays: number[] = [];
  return {
    delays,
    logger: {
      debug: () => {},
      info: (_message: string, details: Record<string, unknown>) => delays.push(details.delayMs as number),
    },
  };
}

describe('against the mock server', () => {
  it('answers the public page example within the contract, with the request id of the journal', async () => {
    await using mock = await startMockServer({ apiKeys: ['sk-mock'] });
    await using client = new SeaLink({ apiKey: 'sk-mock', baseURL: `${mock.url}/v1` });
    const response = await client.rerank(EXAMPLE_REQUEST);
    expect(checkRerankResponse(EXAMPLE_REQUEST, response)).toEqual([]);
    expect(response.results).toHaveLength(2);
    expect(response.results.map((result) => result.index)).toEqual([0, 2]);
    expect(response.request_id).toBe(mock.requests[0]?.requestId);
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer [redacted]');
  });

  it('maps a wrong key to AuthenticationError without retrying', async () => {
    await using mock = await startMockServer({ apiKeys: ['sk-mock'] });
    await using client = new SeaLink({ apiKey: 'sk-wrong', baseURL: `${mock.url}/v1` });
    const error = (await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.type).toBe('authentication_error');
    expect(error.request_id).toBe(mock.requests[0]?.requestId);
    expect(mock.requests).toHaveLength(1);
  });

  it('maps each error type the mock sends to its class, with the parsed body', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url, { maxRetries: 0 });
    for (const type of ERROR_TYPE_NAMES) {
      const status = ERROR_TYPES[type].status;
      mock.faults.enqueue({ kind: 'error', status, type, code: `test_${type}`, message: `fault ${type}` });
      const error = (await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught)) as APIError;
      expect(error, type).toBeInstanceOf(EXPECTED_ERROR_CLASSES[type]);
      expect(error.status).toBe(status);
      expect(error.type).toBe(errorTypeOfStatus(status));
      expect(error.code).toBe(`test_${type}`);
      expect(error.error?.message).toBe(`fault ${type}`);
      expect(error.request_id).toBe(mock.requests.at(-1)?.requestId);
    }
    expect(mock.requests).toHaveLength(ERROR_TYPE_NAMES.length);
  });

  it('retries 429 and 503 with the waits the mock asks for, then succeeds, with one idempotency key', async () => {
    await using mock = await startMockServer();
    const log = retryLogger();
    await using client = testClient(mock.url, { logger: log.logger });
    mock.faults.enqueue(
      {
        kind: 'error',
        status: 429,
        retryAfter: '0',
        rateLimit: { limit: 10, remaining: 0, resetSeconds: 1 },
      },
      { kind: 'error', status: 503, retryAfterMs: 15 },
    );
    const response = await client.rerank(EXAMPLE_REQUEST);
    expect(checkRerankResponse(EXAMPLE_REQUEST, response)).toEqual([]);
    expect(log.delays).toEqual([0, 15]);
    expect(mock.requests.map((entry) => entry.status)).toEqual([429, 503, 200]);
    expect(mock.requests.map((entry) => entry.headers['x-sealink-retry-count'])).toEqual(['0', '1', '2']);
    const keys = new Set(mock.requests.map((entry) => entry.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect(response.request_id).toBe(mock.requests[2]?.requestId);
  });

  it('waits a Retry-After of one second', async () => {
    await using mock = await startMockServer();
    const log = retryLogger();
    await using client = testClient(mock.url, { logger: log.logger });
    mock.faults.enqueue({ kind: 'error', status: 429, retryAfter: '1' });
    await client.rerank(EXAMPLE_REQUEST);
    expect(log.delays).toEqual([1000]);
    // A lower bound that shows the wait really happened (timers never fire early by more than a
    // millisecond); not a speed goal.
    const [first, second] = mock.requests;
    expect(second!.receivedAt.getTime() - first!.receivedAt.getTime()).toBeGreaterThanOrEqual(990);
  });

  it('stops at maxRetries and obeys x-should-retry', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url, { maxRetries: 2 });
    const serverError = { kind: 'error', status: 500, retryAfterMs: 1 } as const;
    mock.faults.enqueue(serverError, serverError, serverError, serverError);
    await expect(client.rerank(EXAMPLE_REQUEST)).rejects.toBeInstanceOf(InternalServerError);
    expect(mock.requests).toHaveLength(3);
    mock.clear();
    mock.faults.enqueue({ kind: 'error', status: 503, shouldRetry: false });
    await expect(client.rerank(EXAMPLE_REQUEST)).rejects.toBeInstanceOf(OverloadedError);
    expect(mock.requests).toHaveLength(1);
    mock.clear();
    mock.faults.enqueue({ kind: 'error', status: 400, shouldRetry: true, retryAfterMs: 1 });
    await expect(client.rerank(EXAMPLE_REQUEST)).resolves.toMatchObject({ model: EXAMPLE_REQUEST.model });
    expect(mock.requests).toHaveLength(2);
  });

  it('ends resets, broken bodies, slow answers, hangs and aborts in the right error', async () => {
    await using mock = await startMockServer();
    // 1 s, under the 2 s latencies: the phase a timeout names is where the call was when its timer fired,
    // and a loop stalled on a loaded machine (the mock runs in this process) must not move it a phase early.
    await using client = testClient(mock.url, { maxRetries: 0, timeout: 1000 });
    const cases = [
      { fault: { kind: 'reset', phase: 'before-headers' }, error: APIConnectionError },
      { fault: { kind: 'reset', phase: 'mid-body' }, error: APIConnectionError },
      { fault: { kind: 'empty' }, error: InvalidResponseError },
      { fault: { kind: 'malformed-json' }, error: InvalidResponseError },
      { fault: { kind: 'contract-violation' }, error: InvalidResponseError },
      { fault: { kind: 'latency', ms: 2000 }, error: APIConnectionTimeoutError, phase: 'headers' },
      {
        fault: { kind: 'latency', ms: 2000, phase: 'body' },
        error: APIConnectionTimeoutError,
        phase: 'body',
      },
      { fault: { kind: 'hang' }, error: APIConnectionTimeoutError, phase: 'headers' },
    ] as const;
    for (const { fault, error: errorClass, ...expected } of cases) {
      mock.faults.enqueue(fault);
      const error = await client.rerank(EXAMPLE_REQUEST).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(fault)).toBeInstanceOf(errorClass);
      if ('phase' in expected) expect((error as APIConnectionTimeoutError).phase).toBe(expected.phase);
    }
    mock.faults.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = client.rerank(EXAMPLE_REQUEST, { signal: controller.signal, timeout: 10_000 });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(client.rerank(EXAMPLE_REQUEST)).resolves.toMatchObject({ model: EXAMPLE_REQUEST.model });
  });

  it('retries a reset and a slow answer, then succeeds', async () => {
    await using mock = await startMockServer();
    // 1 s, under the 2 s latency: the last try must be answered within it on a loaded machine too.
    await using client = testClient(mock.url, { timeout: 1000 });
    mock.faults.enqueue({ kind: 'reset', phase: 'before-headers' }, { kind: 'latency', ms: 2000 });
    const response = await client.rerank(EXAMPLE_REQUEST);
    expect(checkRerankResponse(EXAMPLE_REQUEST, response)).toEqual([]);
    expect(mock.requests).toHaveLength(3);
  });

  it('lists and retrieves models, and a missing model is NotFoundError', async () => {
    await using mock = await startMockServer({
      models: ['qwen3-rerank', 'bm25', 'odd/model id'],
      maxDocuments: 77,
    });
    await using client = testClient(mock.url);
    const list = await client.models.list();
    expect(list.data.map((model) => model.id)).toEqual(['qwen3-rerank', 'bm25', 'odd/model id']);
    expect(list.request_id).toBe(mock.requests[0]?.requestId);
    const model = await client.models.retrieve('odd/model id');
    expect(model.id).toBe('odd/model id');
    expect(model.max_documents).toBe(77);
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.models.retrieve('')).rejects.toThrow(/non-empty model id/);
  });

  it('keeps the contract invariants for random valid requests', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    await fc.assert(
      fc.asyncProperty(rerankRequestArbitrary({ models: ['qwen3-rerank', 'bm25'] }), async (request) => {
        const response = await client.rerank(request);
        expect(checkRerankResponse(request, response)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('turns random invalid requests into BadRequestError with the contract error, never a crash', async () => {
    await using mock = await startMockServer();
    await using client = testClient(mock.url);
    await fc.assert(
      fc.asyncProperty(invalidRerankRequestArbitrary(), async (invalid) => {
        // The body breaks the request type on purpose: users of plain JavaScript can send anything.
        const error = await client.rerank(invalid.body as never).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(BadRequestError);
        const apiError = error as BadRequestError;
        expect(apiError.status).toBe(400);
        expect(apiError.param).toBe(invalid.param);
        expect(apiError.error?.request_id).toBe(apiError.request_id);
      }),
      { numRuns: 60 },
    );
  });
});
