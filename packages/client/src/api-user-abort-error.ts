import { ERROR_KIND, SeaLinkError } from './sea-link-error.js';

/** The caller's `AbortSignal` aborted the request. Never retried. */
export class APIUserAbortError extends SeaLinkError {
  override name = 'APIUserAbortError';
  static override readonly [ERROR_KIND]: string = 'APIUserAbortError';
  /**
   * The `X-Request-Id` of the answer whose body was being read when the signal aborted (its headers had
   * arrived), to quote when asking for support; `null` when no answer had started (the abort came before
   * the response headers, before sending, or during the wait between retries) or it sent none.
   */
  readonly request_id: string | null;

  constructor(options?: { cause?: unknown; requestId?: string | null | undefined }) {
    super('Request was aborted.', options);
    this.request_id = options?.requestId ?? null;
  }
}
