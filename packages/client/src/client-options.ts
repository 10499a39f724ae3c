import type { Dispatcher } from 'undici';

/**
 * What the client needs of a dispatcher: undici 7's `dispatch`, the only method it calls. Any undici 7
 * `Dispatcher` is one, also of another copy of undici than the client's (an app's own undici 7 release,
 * whose other types may differ from the client's).
 */
export type SeaLinkDispatcher = Pick<Dispatcher, 'dispatch'>;

/**
 * Where the client writes what it does: `console` fits, or any logger with these methods (pino, winston).
 * Messages never carry the API key or request headers.
 */
export interface SeaLinkLogger {
  /** One line per request try. */
  debug(message: string, details: Record<string, unknown>): void;
  /** One line per retry, with the wait (`delayMs`), its `reason` and the `requestId` of the try that failed. */
  info(message: string, details: Record<string, unknown>): void;
}

/** Headers to add to requests; a `null` value removes a header the client would send. */
export type HeaderOverrides = Record<string, string | null | undefined>;

/** Options of the {@link SeaLink} client. */
export interface ClientOptions {
  /**
   * The API key, sent as `Authorization: Bearer <key>`. Defaults to the `SEALINK_API_KEY` environment
   * variable; construction fails when neither is set. Pass `null` for a server that needs no key.
   */
  apiKey?: string | null | undefined;
  /**
   * The API's base URL, with its version path; a bare origin such as `https://test.sealink.io` means its
   * `/v1`. Defaults to the `SEALINK_BASE_URL` environment variable, else `https://test.sealink.io/v1`.
   */
  baseURL?: string | undefined;
  /**
   * The time limit of one try, in milliseconds, covering connect, headers and body; 60,000 by default.
   * Each retry gets the full limit again.
   */
  timeout?: number | undefined;
  /** How many times a failed request is retried (connection errors, timeouts, 408, 409, 429, 5xx); 2 by default. */
  maxRetries?: number | undefined;
  /**
   * The undici dispatcher (`Agent`, `Pool`, `ProxyAgent`, a mock agent...) every request goes through. By
   * default the client makes its own keep-alive `Agent` and closes it in {@link SeaLink.close}; a given
   * dispatcher is never closed by the client.
   */
  dispatcher?: SeaLinkDispatcher | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: HeaderOverrides | undefined;
  /** Where to log requests and retries; nothing is logged by default. */
  logger?: SeaLinkLogger | undefined;
}

/** Options of one call; each overrides the client's option of the same name. */
export interface RequestOptions {
  /** Aborts the call, including its retries and waits, with an `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** The time limit of each try, in milliseconds, covering connect, headers and body. */
  timeout?: number | undefined;
  /** How many times the call is retried. */
  maxRetries?: number | undefined;
  /** Extra headers; a `null` value removes a header the client would send. */
  headers?: HeaderOverrides | undefined;
  /**
   * The `Idempotency-Key` sent with every try of a POST, so that a server can recognise retries of one
   * call. A fresh random key per call by default.
   */
  idempotencyKey?: string | undefined;
}
