import { ERROR_KIND, SeaLinkError } from './sea-link-error.js';
import { requestIdOf } from './with-request-id.js';

/** What an {@link InvalidResponseError} is made of. */
export interface InvalidResponseErrorInit {
  /** What is wrong with the response. */
  message: string;
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The raw response body, cut to its first 2,000 characters. */
  body: string;
  /** The cause, for example the `SyntaxError` of `JSON.parse`. */
  cause?: unknown;
}

/**
 * A 2xx answer that breaks the API contract: an empty body, JSON that does not parse, or JSON of the
 * wrong shape. Not retried: the same request would most likely get the same answer.
 */
export class InvalidResponseError extends SeaLinkError {
  override name = 'InvalidResponseError';
  static override readonly [ERROR_KIND]: string = 'InvalidResponseError';
  /** The HTTP status. */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;
  /** The request id from the `X-Request-Id` response header, or `null`. */
  readonly request_id: string | null;
  /** The raw response body, cut to its first 2,000 characters. */
  readonly body: string;

  constructor(init: InvalidResponseErrorInit) {
    super(init.message, { cause: init.cause });
    this.status = init.status;
    this.headers = init.headers;
    this.request_id = requestIdOf(init.headers);
    this.body = init.body.length > 2000 ? init.body.slice(0, 2000) : init.body;
  }
}
