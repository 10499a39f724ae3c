import { inspect } from 'node:util';
import {
  formatJsonPath,
  PUBLIC_BASE_URL,
  PUBLIC_SERVER_URL,
  RerankRequest,
  RerankResponse,
} from '@sealink/rerank-contract';
import { Agent } from 'undici';
import packageJson from '../package.json' with { type: 'json' };
import { allowManyListeners } from './allow-many-listeners.js';
import { APIConnectionError } from './api-connection-error.js';
import { createApiError } from './api-error.js';
import { APIPromise, type CallResult } from './api-promise.js';
import { APIUserAbortError } from './api-user-abort-error.js';
import type {
  ClientOptions,
  HeaderOverrides,
  RequestOptions,
  SeaLinkDispatcher,
  SeaLinkLogger,
} from './client-options.js';
import { InvalidResponseError } from './invalid-response-error.js';
import { Models } from './models.js';
import { applyHeaders } from './request-headers.js';
import { type RerankAllOptions, type RerankAllResponse, rerankAll } from './rerank-all.js';
import type { RerankResponseWithDocuments, RerankResponseWithoutDocuments } from './rerank-response-types.js';
import type { ResponseSchema } from './response-schema.js';
import { retryDelayMs, shouldRetryStatus } from './retry-policy.js';
import { SeaLinkError } from './sea-link-error.js';
import {
  type AttemptAnswer,
  MAX_RESPONSE_BYTES,
  redactSecret,
  requestIdOfRaw,
  sendAttempt,
  toHeaders,
} from './send-attempt.js';
import { type WithRequestId, withRequestId } from './with-request-id.js';

/** The default time limit of one try, in milliseconds: generous, as large rerank requests take seconds. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** The default number of retries of one call. */
export const DEFAULT_MAX_RETRIES = 2;

/** The header that tells the server how many retries of this call came before this try. */
export const RETRY_COUNT_HEADER = 'x-sealink-retry-count';

/** The version of this package, as sent in the `User-Agent` header. */
export const VERSION: string = packageJson.version;

const USER_AGENT = `sealink-rerank-client/${VERSION} node/${process.version}`;
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;
/** The contract's version path, `/v1`: what a base URL of a bare origin stands for. */
const VERSION_PATH = PUBLIC_BASE_URL.slice(PUBLIC_SERVER_URL.length);

/** What one request of the client sends. */
interface ApiCall<T> {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  schema: ResponseSchema<T>;
  schemaName: string;
  options: RequestOptions | undefined;
  /**
   * What the answer breaks of the request beyond the schema, or `undefined` when nothing. It may drop from
   * `data` what the request did not ask for.
   */
  check?(data: T): string | undefined;
}

/**
 * The SeaLink Rerank API client.
 *
 * ```ts
 * const client = new SeaLink(); // reads SEALINK_API_KEY and SEALINK_BASE_URL
 * const { results } = await client.rerank({ model: 'qwen3-rerank', query, documents, top_n: 2 });
 * ```
 *
 * Every method returns an {@link APIPromise}: `await` gives the answer's body, and `.withResponse()` gives
 * `{ data, response, request_id }` with the answer's status and headers (for example the rate-limit headers).
 *
 * Requests go through one keep-alive undici `Agent` per client (or the `dispatcher` you pass): create one
 * client and share it. Failed requests are retried (see {@link ClientOptions.maxRetries}); errors are
 * subclasses of {@link SeaLinkError}. The API key never appears in errors, logs, `toString()`,
 * `util.inspect` or `JSON.stringify` of the client.
 */
export class SeaLink {
  /** The API's base URL, with its version path and no trailing slash. */
  readonly baseURL: string;
  readonly #origin: string;
  readonly #basePath: string;
  /** The time limit of one try, in milliseconds. */
  readonly timeout: number;
  /** How many times a failed call is retried. */
  readonly maxRetries: number;
  /** The models the server serves. */
  readonly models: Models;

  readonly #apiKey: string | null;
  readonly #dispatcher: SeaLinkDispatcher;
  /** The client's own keep-alive Agent, which `close()` closes; `undefined` with a dispatcher of the options. */
  readonly #ownAgent: Agent | undefined;
  /** The headers every request starts from. */
  readonly #baseHeaders: Record<string, string>;
  readonly #defaultHeaders: HeaderOverrides | undefined;
  readonly #logger: SeaLinkLogger | undefined;
  readonly #maxDocumentsByModel = new Map<string, Promise<number>>();
  /** The closing of the client's own pool, once `close()` was called: later calls wait for the same. */
  #closed: Promise<void> | undefined;
  /** Ends each wait between retries in progress: `close()` of the client's own pool calls them. */
  readonly #waits = new Set<() => void>();

  /**
   * @throws SeaLinkError when no API key is given or set in `SEALINK_API_KEY` (pass `apiKey: null` for a
   * server that needs none), or when an option is invalid.
   */
  constructor(options: ClientOptions = {}) {
    this.#apiKey = resolveApiKey(options.apiKey);
    this.baseURL = resolveBaseUrl(options.baseURL ?? readEnvironment('SEALINK_BASE_URL') ?? PUBLIC_BASE_URL);
    const parsedBaseUrl = new URL(this.baseURL);
    this.#origin = parsedBaseUrl.origin;
    this.#basePath = parsedBaseUrl.pathname.replace(/\/+$/, '');
    this.timeout = checkTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS);
    this.maxRetries = checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES);
    // The client's own timer limits each try as a whole (`timeout`), so undici's own 300 s headers and
    // body limits are off: they would cut a longer `timeout` short.
    this.#ownAgent =
      options.dispatcher === undefined
        ? new Agent({
            keepAliveTimeout: 30_000,
            keepAliveMaxTimeout: 600_000,
            headersTimeout: 0,
            bodyTimeout: 0,
          })
        : undefined;
    this.#dispatcher = options.dispatcher ?? this.#ownAgent!;
    this.#defaultHeaders = options.defaultHeaders;
    this.#baseHeaders = { accept: 'application/json', 'user-agent': USER_AGENT };
    if (this.#apiKey !== null) this.#baseHeaders.authorization = `Bearer ${this.#apiKey}`;
    this.#logger = options.logger;
    this.models = new Models((path, schema, schemaName, requestOptions) =>
      this.#send({ method: 'GET', path, schema, schemaName, options: requestOptions }),
    );
  }

  /**
   * Ranks documents against a query: `POST /rerank`. The answer is the contract's `RerankResponse`,
   * sorted by `relevance_score` descending (ties by index), with the request's `request_id`.
   * @throws APIError (a subclass per status) when the server answers with an error,
   * APIConnectionError or APIConnectionTimeoutError when no answer arrives after every retry,
   * APIUserAbortError when `signal` aborts, InvalidResponseError when the answer breaks the contract.
   *
   * `await` gives the body; `.withResponse()` gives `{ data, response, request_id }`, where `response` has
   * the answer's `status` and `headers` (such as the `x-ratelimit-*-requests` headers).
   *
   * The result type follows `return_documents`: omitted or `true` (the default), every result has
   * `document.text` (an answer with a result without it is an InvalidResponseError); `false`, no result has
   * a `document`. A `return_documents` typed `boolean` gives the contract's `RerankResponse`, whose
   * `document` is optional.
   */
  rerank(
    params: RerankRequest & { return_documents?: true | undefined },
    options?: RequestOptions,
  ): APIPromise<WithRequestId<RerankResponseWithDocuments>>;
  rerank(
    params: RerankRequest & { return_documents: false },
    options?: RequestOptions,
  ): APIPromise<WithRequestId<RerankResponseWithoutDocuments>>;
  rerank(params: RerankRequest, options?: RequestOptions): APIPromise<WithRequestId<RerankResponse>>;
  rerank(params: RerankRequest, options?: RequestOptions): APIPromise<WithRequestId<RerankResponse>> {
    return new APIPromise(this.#rerank(params, options));
  }

  /** The rerank call of {@link SeaLink.rerank} and of each `rerankAll` chunk. */
  #rerank(
    params: RerankRequest,
    options: RequestOptions | undefined,
  ): Promise<CallResult<WithRequestId<RerankResponse>>> {
    return this.#send({
      method: 'POST',
      path: '/rerank',
      body: params,
      schema: RerankResponse,
      schemaName: 'RerankResponse',
      options,
      check: (response) => checkRerankAnswer(response, params),
    });
  }

  /**
   * Ranks any number of documents: when they exceed the model's per-request limit (`max_documents` from
   * `models.retrieve`, or `chunkSize`) or the request body limit, they are split into chunks that are
   * sent with bounded concurrency (`concurrency`, 4 by default) and merged into one response: original
   * indices, one sort by score descending with ties by index, `top_n` over all documents, usage summed.
   *
   * The merge is exact for pointwise rerankers, where a document's score depends only on the query and
   * that document (cross-encoders such as `qwen3-rerank`). It is NOT exact for `bm25`: BM25's IDF and
   * average document length are computed over the documents of one request, so each chunk scores against
   * its own statistics and scores of different chunks are not on one scale. The merged order is then an
   * approximation; send at most `max_documents` documents per call when you need BM25's exact order.
   *
   * `usage.total_tokens` is the sum over the chunks, so the query is counted once per chunk.
   * The first failing chunk aborts the others and its error is thrown.
   *
   * `.withResponse()` gives `{ data, response, request_id }` of the LAST chunk's answer (the last request
   * sent, so its `x-ratelimit-*-requests` headers are the most recent), or of the one request when the
   * documents fit in one; `data.request_ids` has every chunk's request id. The `GET /models/{id}` lookup
   * of `max_documents` is not one of the answers.
   *
   * The result type follows `return_documents` as in {@link SeaLink.rerank}.
   */
  rerankAll(
    params: RerankRequest & { return_documents?: true | undefined },
    options?: RerankAllOptions,
  ): APIPromise<RerankAllResponse<RerankResponseWithDocuments>>;
  rerankAll(
    params: RerankRequest & { return_documents: false },
    options?: RerankAllOptions,
  ): APIPromise<RerankAllResponse<RerankResponseWithoutDocuments>>;
  rerankAll(params: RerankRequest, options?: RerankAllOptions): APIPromise<RerankAllResponse>;
  rerankAll(params: RerankRequest, options?: RerankAllOptions): APIPromise<RerankAllResponse> {
    return new APIPromise(
      rerankAll(
        {
          rerank: (chunk, chunkOptions) => this.#rerank(chunk, chunkOptions),
          maxDocuments: (model, requestOptions) => this.#maxDocuments(model, requestOptions),
        },
        params,
        options,
      ),
    );
  }

  /**
   * Closes the client's own connection pool once the requests in flight end; a call waiting to retry fails
   * at once with a `SeaLinkError`, as does any later call. A `dispatcher` passed in the options stays open.
   * Calling it again (or disposing a client already closed) waits for the same closing and does not throw.
   */
  close(): Promise<void> {
    const agent = this.#ownAgent;
    if (agent === undefined) return Promise.resolve();
    // undici rejects a second close of an Agent with ClientDestroyedError.
    if (this.#closed === undefined) {
      this.#closed = agent.close().then(() => undefined);
      // A call waiting to retry could only fail on the closed pool: it fails now, and its timer no longer
      // keeps the process alive for up to a minute.
      for (const end of this.#waits) end();
    }
    return this.#closed;
  }

  /** Closes the client, for `await using client = new SeaLink()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The client's settings, without the API key. */
  toJSON(): { baseURL: string; timeout: number; maxRetries: number } {
    return { baseURL: this.baseURL, timeout: this.timeout, maxRetries: this.maxRetries };
  }

  /** A description of the client, without the API key. */
  toString(): string {
    return `SeaLink(${this.baseURL})`;
  }

  /** What `util.inspect` and `console.log` show: the settings, without the API key. */
  [inspect.custom](): string {
    return `SeaLink ${inspect(this.toJSON())}`;
  }

  #maxDocuments(model: string, options: RequestOptions): Promise<number> {
    let limit = this.#maxDocumentsByModel.get(model);
    if (limit === undefined) {
      // The lookup is shared by concurrent calls, so one caller's abort must not end it for the others.
      const { signal: _signal, ...sharedOptions } = options;
      limit = this.models.retrieve(model, sharedOptions).then((found) => found.max_documents);
      this.#maxDocumentsByModel.set(model, limit);
      limit.catch(() => this.#maxDocumentsByModel.delete(model));
    }
    return options.signal === undefined ? limit : untilAborted(limit, options.signal);
  }

  async #send<T extends object>(call: ApiCall<T>): Promise<CallResult<WithRequestId<T>>> {
    const options = call.options ?? {};
    if (options.signal !== undefined) allowManyListeners(options.signal);
    const maxRetries = checkMaxRetries(options.maxRetries ?? this.maxRetries);
    const timeoutMs = checkTimeout(options.timeout ?? this.timeout);
    const url = `${this.baseURL}${call.path}`;
    const path = `${this.#basePath}${call.path}`;
    const body = call.body === undefined ? undefined : serializeBody(call.body);
    const idempotencyKey =
      call.method === 'POST'
        ? (options.idempotencyKey ?? `sealink-${globalThis.crypto.randomUUID()}`)
        : undefined;
    for (let retriesDone = 0; ; retriesDone++) {
      const requestHeaders = this.#headers(retriesDone, body !== undefined, idempotencyKey, options.headers);
      // The credential this call sends (the API key, or an Authorization header of the options), kept out
      // of errors should an answer echo it.
      const secret = credentialOf(requestHeaders.authorization);
      this.#logger?.debug('sealink request', { method: call.method, url, retriesDone });
      let answer: AttemptAnswer;
      try {
        answer = await sendAttempt({
          origin: this.#origin,
          path,
          method: call.method,
          headers: requestHeaders,
          body,
          dispatcher: this.#dispatcher,
          timeoutMs,
          signal: options.signal,
          secret,
          // Decided from the status and headers alone, so that the body of an answer that is retried is
          // not waited for; the last try's is read, to build the error from.
          willRetry:
            retriesDone < maxRetries
              ? (status, rawHeaders) => shouldRetryStatus(status, toHeaders(rawHeaders, secret))
              : undefined,
        });
      } catch (error) {
        if (!(error instanceof APIConnectionError) || retriesDone >= maxRetries) throw error;
        const delay = retryDelayMs({ retriesDone });
        await this.#wait(delay, call, retriesDone, error.message, error.request_id, options.signal);
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return this.#parse(call, url, answer, secret);
      const headers = toHeaders(answer.rawHeaders, secret);
      if (answer.discarded) {
        const reason = `${answer.status} status code (the body was not read, as the call is retried)`;
        const requestId = requestIdOfRaw(answer.rawHeaders, secret);
        const delay = retryDelayMs({ headers, retriesDone });
        await this.#wait(delay, call, retriesDone, reason, requestId, options.signal);
        continue;
      }
      // An answer that would be retried was discarded above: this one is not retried.
      const errorBody = parseErrorBody(redactSecret(answer.text, secret));
      throw createApiError({ status: answer.status, headers, body: errorBody });
    }
  }

  #headers(
    retriesDone: number,
    hasBody: boolean,
    idempotencyKey: string | undefined,
    extra: HeaderOverrides | undefined,
  ): Record<string, string> {
    const headers: Record<string, string> = { ...this.#baseHeaders };
    if (hasBody) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    headers[RETRY_COUNT_HEADER] = String(retriesDone);
    applyHeaders(headers, this.#defaultHeaders);
    applyHeaders(headers, extra);
    return headers;
  }

  async #wait(
    delayMs: number,
    call: ApiCall<unknown>,
    retriesDone: number,
    reason: string,
    requestId: string | null,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    this.#logger?.info('sealink retry', {
      method: call.method,
      path: call.path,
      retry: retriesDone + 1,
      delayMs,
      reason,
      requestId,
    });
    // The cause is the caller's reason, as for an abort in flight.
    if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
    if (this.#closed !== undefined) throw closedWhileWaiting();
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#waits.delete(onClose);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = (): void => finish(new APIUserAbortError({ cause: signal?.reason }));
      const onClose = (): void => finish(closedWhileWaiting());
      const timer = setTimeout(finish, delayMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waits.add(onClose);
    });
  }

  #parse<T extends object>(
    call: ApiCall<T>,
    url: string,
    answer: AttemptAnswer,
    secret: string | undefined,
  ): CallResult<WithRequestId<T>> {
    const invalidResponse = (problem: string, cause?: unknown): InvalidResponseError =>
      new InvalidResponseError({
        message: `The answer to ${call.method} ${call.path} (status ${answer.status}) ${problem}`,
        status: answer.status,
        headers: toHeaders(answer.rawHeaders, secret),
        body: redactSecret(answer.text, secret),
        cause,
      });
    if (answer.truncated) {
      throw invalidResponse(`is larger than the client's limit of ${MAX_RESPONSE_BYTES} bytes.`);
    }
    if (answer.text === '') throw invalidResponse('has an empty body; expected JSON.');
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch (error) {
      // The parser's message quotes the text near the error, where an echoed credential may be, cut short
      // where redacting the message cannot find it: message and cause are the redacted text's instead.
      const syntaxError =
        secret === undefined || !answer.text.includes(secret)
          ? (error as Error)
          : (jsonSyntaxError(redactSecret(answer.text, secret)) ??
            new SyntaxError('The text is JSON only where it echoes the credential.'));
      throw invalidResponse(`is not valid JSON: ${syntaxError.message}`, syntaxError);
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${formatJsonPath(issue.path) || '(root)'}: ${issue.message}`)
        .join('; ');
      throw invalidResponse(`does not match the API contract's ${call.schemaName}: ${issues}`);
    }
    const problem = call.check?.(parsed.data);
    if (problem !== undefined) throw invalidResponse(`does not fit the request: ${problem}`);
    const requestId = requestIdOfRaw(answer.rawHeaders, secret);
    return {
      data: withRequestId(parsed.data, requestId),
      requestId,
      // Built only when `withResponse()` asks: an `await` of the call makes no Headers.
      response: () => ({
        status: answer.status,
        headers: toHeaders(answer.rawHeaders, secret),
        url,
      }),
    };
  }
}

/**
 * What a rerank answer breaks of the contract for its request, beyond the schema: each result names a
 * document of the request once (an index out of range would be `undefined` in the caller's `documents`,
 * and another chunk's document in `rerankAll`), the results are sorted by score descending with ties by
 * index, there are `min(top_n, documents)` of them, and each has its `document` when the request asked
 * for documents (`return_documents` omitted or `true`), as the result type of `rerank` promises. The order
 * and count matter now that `usage` is optional: a broken answer, such as the mock's `contract-violation`,
 * may break nothing else. Scores and text are the server's to get right and are not checked here.
 *
 * With `return_documents: false`, a `document` the server sent anyway is dropped from the results, whose
 * type has none: the request has what it asked for, so the answer is not refused for it.
 */
function checkRerankAnswer(response: RerankResponse, params: RerankRequest): string | undefined {
  // Plain JavaScript may send anything, null included, to a server that may answer 200 to it.
  const request = params as Partial<RerankRequest> | null;
  const documents = request?.documents;
  const count = Array.isArray(documents) ? documents.length : 0;
  const seen = new Set<number>();
  let previous: RerankResponse['results'][number] | undefined;
  for (const [rank, result] of response.results.entries()) {
    const { index } = result;
    if (index >= count) return `results[${rank}].index is ${index}, but the request has ${count} documents.`;
    if (seen.has(index)) return `results[${rank}].index ${index} appears twice.`;
    seen.add(index);
    if (
      previous !== undefined &&
      (previous.relevance_score < result.relevance_score ||
        (previous.relevance_score === result.relevance_score && previous.index > index))
    ) {
      return `results[${rank}] is out of order: results go by relevance_score descending, ties by index ascending.`;
    }
    previous = result;
  }
  const topN = request?.top_n;
  // A top_n the contract refuses (its schema decides, as in rerankAll) was the server's to refuse; its
  // answer then has no count to check.
  if (Array.isArray(documents) && RerankRequest.shape.top_n.safeParse(topN).success) {
    const expected = Math.min(topN ?? count, count);
    if (response.results.length !== expected) {
      const asked = topN === undefined ? `all ${count} documents` : `top_n ${topN} of ${count} documents`;
      return `it has ${response.results.length} results, but the request asks for ${expected} (${asked}).`;
    }
  }
  const returnDocuments = request?.return_documents;
  if (returnDocuments === false) {
    for (const result of response.results) delete result.document;
  } else if (returnDocuments === undefined || returnDocuments === true) {
    // A non-boolean `return_documents` (plain JavaScript) was the server's to refuse; its answer has no
    // result type to keep.
    const rank = response.results.findIndex((result) => result.document === undefined);
    if (rank !== -1) {
      const asked =
        returnDocuments === undefined ? 'return_documents is true by default' : 'return_documents: true';
      return `results[${rank}] has no document, but the request asks for documents (${asked}).`;
    }
  }
  return undefined;
}

/** The error of a call whose wait between retries the client's `close()` ended. */
function closedWhileWaiting(): SeaLinkError {
  return new SeaLinkError(
    "The client's connection pool is closed: the client was closed while the call waited to retry.",
  );
}

/** The credential of an `Authorization` header: the token of `Bearer <token>`, else the whole value. */
function credentialOf(authorization: string | undefined): string | undefined {
  const credential = authorization?.replace(/^\s*Bearer\s+/i, '').trim();
  return credential === '' ? undefined : credential;
}

/** The request body as JSON; params that JSON cannot carry (a BigInt, a cycle) fail as a SeaLinkError. */
function serializeBody(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    throw new SeaLinkError(
      `Invalid request: the params cannot be sent as JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** Settles as `promise` does, or rejects with `APIUserAbortError` as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new APIUserAbortError({ cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new APIUserAbortError({ cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The error `JSON.parse` throws for `text`, or `undefined` when it is JSON. */
function jsonSyntaxError(text: string): Error | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

function parseErrorBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readEnvironment(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function resolveApiKey(apiKey: string | null | undefined): string | null {
  if (apiKey === null) return null;
  const key = apiKey ?? readEnvironment('SEALINK_API_KEY');
  if (key === undefined || key === '') {
    throw new SeaLinkError(
      'Missing API key: pass `apiKey` to new SeaLink() or set the SEALINK_API_KEY environment variable ' +
        '(pass `apiKey: null` for a server that needs no key).',
    );
  }
  if (!TOKEN_PATTERN.test(key)) {
    throw new SeaLinkError(
      'Invalid API key: it may only contain visible ASCII characters, without spaces or line breaks.',
    );
  }
  return key;
}

function resolveBaseUrl(baseURL: string): string {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new SeaLinkError(`Invalid baseURL ${JSON.stringify(baseURL)}: expected an absolute http(s) URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SeaLinkError(`Invalid baseURL ${JSON.stringify(baseURL)}: expected an http or https URL.`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new SeaLinkError(
      `Invalid baseURL ${JSON.stringify(baseURL)}: it may not have a query or fragment.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new SeaLinkError('Invalid baseURL: credentials in the URL are not supported; use apiKey.');
  }
  // Built from the parsed URL, not the text: white space around it, or an empty `?` or `#` (which the
  // parser drops), would otherwise end up in front of the paths. A bare origin means the API at its
  // version path: `/rerank` at the root is another API's route.
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path === '' ? VERSION_PATH : path}`;
}

function checkTimeout(timeout: number): number {
  if (!(Number.isFinite(timeout) && timeout > 0 && timeout <= 2_147_483_647)) {
    throw new SeaLinkError(`Invalid timeout ${String(timeout)}: expected milliseconds, above 0 and finite.`);
  }
  return timeout;
}

function checkMaxRetries(maxRetries: number): number {
  if (!(Number.isSafeInteger(maxRetries) && maxRetries >= 0)) {
    throw new SeaLinkError(`Invalid maxRetries ${String(maxRetries)}: expected an integer of 0 or more.`);
  }
  return maxRetries;
}
