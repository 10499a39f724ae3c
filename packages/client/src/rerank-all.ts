import { setMaxListeners } from 'node:events';
import { DEFAULT_MAX_BODY_BYTES, RerankRequest, type RerankResponse } from '@sealink/rerank-contract';
import { allowManyListeners } from './allow-many-listeners.js';
import { APIError, createApiError } from './api-error.js';
import type { CallResult } from './api-promise.js';
import type { HeaderOverrides, RequestOptions } from './client-options.js';
import { mergeRerankResponses, type RerankChunk } from './merge-rerank-responses.js';
import { SeaLinkError } from './sea-link-error.js';
import { splitDocuments } from './split-documents.js';
import type { WithRequestId } from './with-request-id.js';

/** Options of `rerankAll`: the options of one call plus how to split. */
export interface RerankAllOptions extends RequestOptions {
  /**
   * The most documents per request. By default the model's `max_documents`, read once per model from
   * `GET /models/{id}` and remembered by the client.
   */
  chunkSize?: number | undefined;
  /** How many chunk requests run at once; 4 by default. */
  concurrency?: number | undefined;
  /** The most request body bytes per chunk; 10 MiB (the contract's default server limit) by default. */
  maxChunkBytes?: number | undefined;
}

/**
 * The merged answer of `rerankAll`: `T` is the answer's type for the request's `return_documents`
 * (`RerankResponseWithDocuments`, `RerankResponseWithoutDocuments`, or the contract's `RerankResponse`).
 * `request_ids` is not enumerable, so `JSON.stringify` and schema checks see exactly the contract's body.
 */
export type RerankAllResponse<T extends RerankResponse = RerankResponse> = T & {
  /** The request id of every request sent, in chunk order (`null` where the server sent none). */
  readonly request_ids: (string | null)[];
};

/** What {@link rerankAll} needs of the client. */
export interface RerankAllDependencies {
  /** Sends one rerank request. */
  rerank(params: RerankRequest, options: RequestOptions): Promise<CallResult<WithRequestId<RerankResponse>>>;
  /** The per-request document limit of a model. */
  maxDocuments(model: string, options: RequestOptions): Promise<number>;
}

/** The default number of chunk requests in flight. */
export const DEFAULT_RERANK_ALL_CONCURRENCY = 4;

/**
 * Ranks any number of documents: splits them into requests within the server's limits, sends those with
 * bounded concurrency, and merges the answers into one response as if one request had carried them all.
 * See `SeaLink.rerankAll` for when the merge is exact. The HTTP answer of the result is the last chunk's.
 */
export async function rerankAll(
  client: RerankAllDependencies,
  params: RerankRequest,
  options: RerankAllOptions = {},
): Promise<CallResult<RerankAllResponse>> {
  const {
    chunkSize,
    concurrency = DEFAULT_RERANK_ALL_CONCURRENCY,
    maxChunkBytes,
    ...requestOptions
  } = options;
  checkPositiveInteger('chunkSize', chunkSize);
  checkPositiveInteger('concurrency', concurrency);
  checkPositiveInteger('maxChunkBytes', maxChunkBytes);
  if (!Array.isArray(params.documents)) throw new SeaLinkError('rerankAll needs documents as an array');
  if (requestOptions.signal !== undefined) allowManyListeners(requestOptions.signal);

  const { documents, top_n: topN, return_documents: returnDocuments, ...common } = params;
  const maxDocuments = chunkSize ?? (await client.maxDocuments(params.model, requestOptions));
  const bodyOverhead = Buffer.byteLength(
    JSON.stringify({ ...params, documents: [], return_documents: false }),
  );
  const chunks = splitDocuments(documents, {
    maxDocuments,
    maxBytes: Math.max(1, (maxChunkBytes ?? DEFAULT_MAX_BODY_BYTES) - bodyOverhead),
  });
  if (chunks.length <= 1) {
    const { data, requestId, response } = await client.rerank(params, requestOptions);
    return { data: withRequestIds(data, [requestId]), requestId, response };
  }

  // Each chunk returns at most top_n results: the global top n are among the chunks' top n, because a
  // chunk ranks ties by index as the whole list does. Text is not sent back; the merge takes it from here.
  // A top_n the contract refuses (its schema decides: 0, 1.5) goes to every chunk as it is, so that the
  // server refuses it as it would refuse it in one request.
  const chunkTopN =
    topN !== undefined && RerankRequest.shape.top_n.safeParse(topN).success ? topN : undefined;
  const controller = new AbortController();
  // Every chunk in flight listens to this signal, one listener each: more than Node's default of 10 is
  // expected with a higher concurrency, not a leak to warn about.
  setMaxListeners(Math.max(concurrency, 10), controller.signal);
  const { signal } = requestOptions;
  const abortFromCaller = (): void => controller.abort(signal?.reason);
  // An already aborted signal fires no 'abort' event: pass it on at once, or every chunk would be sent.
  if (signal?.aborted) abortFromCaller();
  else signal?.addEventListener('abort', abortFromCaller, { once: true });

  const answers: RerankChunk[] = [];
  const requestIds: (string | null)[] = new Array(chunks.length).fill(null);
  let lastChunkResponse: CallResult<RerankResponse>['response'] | undefined;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const work = async (): Promise<void> => {
    while (failure === undefined && next < chunks.length) {
      const chunkIndex = next++;
      const chunk = chunks[chunkIndex]!;
      const request: RerankRequest = { ...common, documents: chunk.documents, return_documents: false };
      if (chunkTopN !== undefined) request.top_n = Math.min(chunkTopN, chunk.documents.length);
      else if (topN !== undefined) request.top_n = topN;
      const chunkOptions: RequestOptions = { ...requestOptions, signal: controller.signal };
      if (requestOptions.idempotencyKey !== undefined) {
        chunkOptions.idempotencyKey = `${requestOptions.idempotencyKey}-${chunkIndex}`;
      }
      // A key given as a header would otherwise go to every chunk, and a server honouring it would answer
      // every later chunk with the first one's answer: each chunk gets its own, as with `idempotencyKey`.
      const chunkHeaders = withChunkIdempotencyKey(requestOptions.headers, chunkIndex);
      if (chunkHeaders !== undefined) chunkOptions.headers = chunkHeaders;
      try {
        const answer = await client.rerank(request, chunkOptions);
        answers.push({ offset: chunk.offset, response: answer.data });
        requestIds[chunkIndex] = answer.requestId;
        if (chunkIndex === chunks.length - 1) lastChunkResponse = answer.response;
      } catch (error) {
        if (failure === undefined) {
          failure = { error: inWholeDocuments(error, chunk.offset) };
          controller.abort();
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, work));
  } finally {
    signal?.removeEventListener('abort', abortFromCaller);
  }
  if (failure !== undefined) throw failure.error;
  const merged = mergeRerankResponses({
    model: params.model,
    documents,
    chunks: answers,
    topN,
    returnDocuments,
  });
  // Every chunk answered, the last one included.
  return {
    data: withRequestIds(merged, requestIds),
    requestId: requestIds[chunks.length - 1]!,
    response: lastChunkResponse!,
  };
}

function withRequestIds(response: RerankResponse, requestIds: (string | null)[]): RerankAllResponse {
  return Object.defineProperty(response, 'request_ids', {
    value: requestIds,
    enumerable: false,
    writable: false,
    configurable: true,
  }) as RerankAllResponse;
}

/**
 * A chunk's error about one of its documents (`param` `documents[3]`), naming the document by its index
 * in the caller's whole list instead (`documents[23]` for a chunk from offset 20), in `param` and message.
 */
function inWholeDocuments(error: unknown, offset: number): unknown {
  if (offset === 0 || !(error instanceof APIError) || error.error === undefined) return error;
  const match = /^documents\[(\d+)\]/.exec(error.error.param ?? '');
  if (match === null) return error;
  const chunkPath = match[0];
  const wholePath = `documents[${offset + Number(match[1])}]`;
  const detail = {
    ...error.error,
    param: wholePath + error.error.param!.slice(chunkPath.length),
    message: error.error.message.replaceAll(chunkPath, wholePath),
  };
  const body = { ...(error.body as object), error: detail };
  return createApiError({ status: error.status, headers: error.headers, body });
}

function checkPositiveInteger(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new SeaLinkError(`rerankAll option ${name} must be a positive integer, got ${String(value)}`);
  }
}

/**
 * `headers` with an `Idempotency-Key` (any case) suffixed `-<chunkIndex>`; `undefined` when they carry no
 * such key, so the chunk keeps the caller's headers as they are.
 */
function withChunkIdempotencyKey(
  headers: HeaderOverrides | undefined,
  chunkIndex: number,
): HeaderOverrides | undefined {
  if (headers === undefined) return undefined;
  let chunkHeaders: HeaderOverrides | undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'idempotency-key' || typeof value !== 'string') continue;
    chunkHeaders ??= { ...headers };
    chunkHeaders[name] = `${value}-${chunkIndex}`;
  }
  return chunkHeaders;
}
