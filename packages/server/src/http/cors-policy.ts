/** Options of {@link CorsPolicy}. */
export interface CorsOptions {
  /**
   * The browser origins that may call the API, each as a browser sends it in `Origin`
   * (`https://app.example.com`, `http://localhost:5173`: scheme, host and port, no path), or `*` for any.
   */
  allowedOrigins: readonly string[];
}

/** The request headers a browser page may send: those of the API page, the SDK and the request id. */
const ALLOWED_REQUEST_HEADERS =
  'authorization, content-type, x-request-id, idempotency-key, x-sealink-retry-count';
/** The answer headers a browser page may read, besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'retry-after',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-should-retry',
].join(', ');
/** How long a browser may reuse a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * Whether `origin` may be listed in {@link CorsOptions.allowedOrigins}: `*`, or an `http(s)` origin in the
 * serialised form browsers send in `Origin` (`new URL(origin).origin` gives it back: lower case, no
 * default port, no path or trailing slash).
 */
export function isCorsOrigin(origin: string): boolean {
  if (origin === '*') return true;
  if (!URL.canParse(origin)) return false;
  const { origin: serialized, protocol } = new URL(origin);
  return serialized === origin && (protocol === 'http:' || protocol === 'https:');
}

/**
 * Cross-origin resource sharing, off unless configured: which browser origins may call the API, and the
 * headers that tell the browser so. Answers to an allowed origin carry `Access-Control-Allow-Origin`
 * (errors too, so a page can read the contract's error body); a preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) from an allowed origin gets 204 with the route's methods and the
 * request headers the API uses. Requests from other origins get no CORS headers, so browsers refuse them.
 * No credentials mode: the API authenticates with the `Authorization` header, never with cookies.
 */
export class CorsPolicy {
  readonly #anyOrigin: boolean;
  readonly #origins: ReadonlySet<string>;

  /** @throws TypeError for an origin that is neither `*` nor a serialised `http(s)` origin without path. */
  constructor(options: CorsOptions) {
    for (const origin of options.allowedOrigins) {
      if (!isCorsOrigin(origin)) {
        throw new TypeError(
          `The CORS origin '${origin}' is not an origin: give a scheme, host and optional port with no path or trailing slash (such as https://app.example.com), or * for any origin.`,
        );
      }
    }
    this.#anyOrigin = options.allowedOrigins.includes('*');
    this.#origins = new Set(options.allowedOrigins);
  }

  /** The `Access-Control-Allow-Origin` value for a request's `Origin`, or `undefined` when it is not allowed. */
  #allowOrigin(origin: string | undefined): string | undefined {
    if (origin === undefined) return undefined;
    if (this.#anyOrigin) return '*';
    return this.#origins.has(origin) ? origin : undefined;
  }

  /** The CORS headers of an answer to a request with this `Origin`; `undefined` when there are none to add. */
  answerHeaders(origin: string | undefined): Record<string, string> | undefined {
    // With `*` every answer says so, `Origin` or not, as the Fetch standard advises for answers that do not
    // depend on it (a cache may then hand any of them to any page).
    const allowOrigin = this.#anyOrigin ? '*' : this.#allowOrigin(origin);
    if (allowOrigin === undefined) return undefined;
    const headers: Record<string, string> = {
      'access-control-allow-origin': allowOrigin,
      'access-control-expose-headers': EXPOSED_HEADERS,
    };
    if (allowOrigin !== '*') headers.vary = 'Origin';
    return headers;
  }

  /**
   * The headers of an answer to a request whose `Origin` is missing or not allowed: `Vary: Origin` when the
   * policy names origins (the Fetch standard's advice for answers that depend on `Origin`), so that a shared
   * cache never hands such an answer to an allowed page, nor one origin's answer to another; `undefined`
   * for `*`, whose answers do not depend on `Origin`.
   */
  otherOriginHeaders(): Record<string, string> | undefined {
    return this.#anyOrigin ? undefined : { vary: 'Origin' };
  }

  /**
   * The headers of the 204 answer to a preflight for a route that takes `allowedMethods`; `undefined`
   * when the request is not a preflight from an allowed origin for one of those methods.
   */
  preflightHeaders(
    origin: string | undefined,
    requestedMethod: string | undefined,
    allowedMethods: readonly string[],
  ): Record<string, string> | undefined {
    const allowOrigin = this.#allowOrigin(origin);
    if (allowOrigin === undefined || requestedMethod === undefined) return undefined;
    if (!allowedMethods.includes(requestedMethod.trim().toUpperCase())) return undefined;
    const headers: Record<string, string> = {
      'access-control-allow-origin': allowOrigin,
      'access-control-allow-methods': allowedMethods.join(', '),
      'access-control-allow-headers': ALLOWED_REQUEST_HEADERS,
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
    };
    if (allowOrigin !== '*') headers.vary = 'Origin';
    return headers;
  }
}
