/**
 * The HTTP answer behind a successful call, as {@link APIPromise.withResponse} gives it: the status and the
 * headers, such as `x-request-id` and the `x-ratelimit-*-requests` headers a rate-limited server sends.
 */
export interface APIResponse {
  /** The HTTP status of the answer, a 2xx (an error status throws instead). */
  readonly status: number;
  /**
   * The answer's headers. A header the server sent twice is joined with `, `; a credential of the call
   * that a header echoes reads `[redacted]`, as in errors.
   */
  readonly headers: Headers;
  /** The URL the request was sent to, for example `https://test.sealink.io/v1/rerank`. */
  readonly url: string;
}

/** What {@link APIPromise.withResponse} resolves to: the parsed body, the HTTP answer and its request id. */
export interface WithResponse<T> {
  /** The parsed answer: exactly what awaiting the call gives. */
  data: T;
  /** The HTTP answer the data came from; for a retried call, the try that succeeded. */
  response: APIResponse;
  /** The answer's `X-Request-Id`, the same as `data.request_id`; `null` when the server sent none. */
  request_id: string | null;
}

/** What the client's request loop settles with: the body, and the answer's metadata on demand. @internal */
export interface CallResult<T> {
  /** The parsed, checked body. */
  readonly data: T;
  /** The answer's request id. */
  readonly requestId: string | null;
  /** Builds the answer's {@link APIResponse}; called only by `withResponse()`, so an `await` builds nothing. */
  readonly response: () => APIResponse;
}

/**
 * What every method of the client returns: a `Promise` of the parsed answer, so `await client.rerank(...)`
 * gives the body, with {@link APIPromise.withResponse} to also read the HTTP answer (status, headers,
 * request id).
 *
 * The request is sent when the method is called, whether or not the promise is awaited; the answer's
 * metadata is kept as undici gave it and turned into `Headers` only when `withResponse()` asks for it.
 */
export class APIPromise<T> extends Promise<T> {
  /** Methods of a plain `Promise` that create a promise make a plain `Promise`, not an `APIPromise`. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #result: Promise<CallResult<T>>;
  #data: Promise<T> | undefined;

  /**
   * @param result What the client's request loop settles with. An `APIPromise` is made by the client's
   * methods; an app has no need to make one. @internal
   */
  constructor(result: Promise<CallResult<T>>) {
    // The base promise is never read: then, catch and finally go to the call's result instead.
    super((resolve) => resolve(undefined as T));
    this.#result = result;
  }

  /**
   * The parsed answer together with the HTTP answer it came from: `{ data, response, request_id }`, where
   * `data` is what awaiting the call gives and `response` has the `status` and the `headers` (for example
   * the rate-limit headers). Rejects with the same error as awaiting the call.
   */
  async withResponse(): Promise<WithResponse<T>> {
    const result = await this.#result;
    return { data: result.data, response: result.response(), request_id: result.requestId };
  }

  /** Attaches callbacks for the parsed answer or the call's error, as `Promise.prototype.then` does. */
  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass, awaited for the parsed answer.
  override then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | null | undefined,
    // biome-ignore lint/suspicious/noExplicitAny: Promise's own type, so a callback typed `(error: Error) =>` still fits.
    onrejected?: ((reason: any) => TResult2 | PromiseLike<TResult2>) | null | undefined,
  ): Promise<TResult1 | TResult2> {
    return this.#parsed().then(onfulfilled, onrejected);
  }

  /** Attaches a callback for the call's error, as `Promise.prototype.catch` does. */
  override catch<TResult = never>(
    // biome-ignore lint/suspicious/noExplicitAny: Promise's own type, so a callback typed `(error: Error) =>` still fits.
    onrejected?: ((reason: any) => TResult | PromiseLike<TResult>) | null | undefined,
  ): Promise<T | TResult> {
    return this.#parsed().catch(onrejected);
  }

  /** Attaches a callback for when the call settles, as `Promise.prototype.finally` does. */
  override finally(onfinally?: (() => void) | null | undefined): Promise<T> {
    return this.#parsed().finally(onfinally);
  }

  /** The parsed answer, made once however often the promise is awaited. */
  #parsed(): Promise<T> {
    this.#data ??= this.#result.then((result) => result.data);
    return this.#data;
  }
}
