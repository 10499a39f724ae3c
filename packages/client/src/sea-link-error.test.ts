import { describe, expect, it, vi } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError } from './api-connection-error.js';
import {
  APIError,
  createApiError,
  NotFoundError,
  RateLimitError,
  UnexpectedStatusError,
} from './api-error.js';
import { SeaLinkError } from './sea-link-error.js';

describe('SeaLinkError', () => {
  it('recognises errors of any copy of the package by its Symbol.for brand', () => {
    class CopiedSeaLinkError extends Error {
      constructor(message: string) {
        super(message);
        Object.defineProperty(this, Symbol.for('sealink.rerank.error'), { value: true });
      }
    }
    expect(SeaLinkError.isInstance(new CopiedSeaLinkError('from another copy'))).toBe(true);
    expect(SeaLinkError.isInstance(new APIConnectionTimeoutError({ phase: 'body', timeoutMs: 5 }))).toBe(
      true,
    );
    for (const value of [new Error('plain'), null, undefined, 'SeaLinkError', { name: 'SeaLinkError' }]) {
      expect(SeaLinkError.isInstance(value)).toBe(false);
    }
  });

  it("answers a subclass's isInstance for that class and its subclasses only, in any copy of the package", async () => {
    vi.resetModules();
    const copy = await import('./index.js');
    expect(copy.RateLimitError).not.toBe(RateLimitError);
    const rateLimited = createApiError({ status: 429, headers: new Headers(), body: undefined });
    const badRequest = createApiError({ status: 400, headers: new Headers(), body: undefined });
    const timedOut = new APIConnectionTimeoutError({ phase: 'body', timeoutMs: 5 });
    for (const classes of [
      { RateLimitError, APIError, APIConnectionError, APIConnectionTimeoutError, SeaLinkError },
      copy,
    ]) {
      expect(classes.RateLimitError.isInstance(rateLimited)).toBe(true);
      expect(classes.APIError.isInstance(rateLimited)).toBe(true);
      expect(classes.SeaLinkError.isInstance(rateLimited)).toBe(true);
      expect(classes.RateLimitError.isInstance(badRequest)).toBe(false);
      expect(classes.APIError.isInstance(timedOut)).toBe(false);
      expect(classes.APIConnectionError.isInstance(timedOut)).toBe(true);
      expect(classes.APIConnectionTimeoutError.isInstance(new APIConnectionError())).toBe(false);
      expect(classes.RateLimitError.isInstance(new Error('plain'))).toBe(false);
    }
  });

  it('names each class and keeps the standard Error behaviour', () => {
    const error = createApiError({ status: 404, headers: new Headers(), body: undefined });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe('404 status code (no body)');
    expect(error.stack).toContain('NotFoundError');
    const other = createApiError({ status: 501, headers: new Headers(), body: { detail: 'x' } });
    expect(other).toBeInstanceOf(UnexpectedStatusError);
    expect(other.message).toBe('501 status code: {"detail":"x"}');
  });
});
