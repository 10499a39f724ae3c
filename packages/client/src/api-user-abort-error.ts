import { ERROR_KIND, SeaLinkError } from './sea-link-error.js';

/** The caller's `AbortSignal` aborted the request. Never retried. */
export class APIUserAbortError extends SeaLinkError {
  override name = 'APIUserAbortError';
  static override readonly [ERROR_KIND]: string = 'APIUserAbortError';

  constructor(options?: { cause?: unknown }) {
    super('Request was aborted.', options);
  }
}
