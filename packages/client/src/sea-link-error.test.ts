import { describe, expect, it, vi } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError } from './api-connection-error.js';
import {
  APIError,
  BadRequestError,
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

  it('tells the classes apart across copies whose class names a minifier renamed, and keeps instanceof', async () => {
    vi.resetModules();
    const copy = await import('./index.js');
    // A minifier renames classes, and two builds (ESM and CommonJS) rename them independently: here the
    // copy's classes get short names, one of which this copy's BadRequestError also gets.
    const renames: [object, string][] = [
      [copy.RateLimitError, 'e'],
      [copy.APIError, 't'],
      [copy.APIConnectionError, 'n'],
      [copy.SeaLinkError, 'r'],
      [BadRequestError, 'e'],
      [APIError, 'o'],
    ];
    const originalNames = renames.map(([errorClass]) => (errorClass as { name: string }).name);
    try {
      for (const [errorClass, name] of renames) Object.defineProperty(errorClass, 'name', { value: name });
      const rateLimited = createApiError({ status: 429, headers: new Headers(), body: undefined });
      const badRequest = createApiError({ status: 400, headers: new Headers(), body: undefined });
      expect(copy.RateLimitError.isInstance(rateLimited)).toBe(true);
      expect(copy.APIError.isInstance(rateLimited)).toBe(true);
      expect(copy.SeaLinkError.isInstance(rateLimited)).toBe(true);
      expect(copy.RateLimitError.isInstance(badRequest)).toBe(false);
      expect(copy.APIConnectionError.isInstance(badRequest)).toBe(false);
      const fromCopy = new copy.RateLimitError({ status: 429, headers: new Headers(), body: undefined });
      expect(RateLimitError.isInstance(fromCopy)).toBe(true);
      expect(APIError.isInstance(fromCopy)).toBe(true);
      expect(BadRequestError.isInstance(fromCopy)).toBe(false);
      expect(NotFoundError.isInstance(fromCopy)).toBe(false);
      // instanceof still holds within one copy, and only there.
      expect(rateLimited).toBeInstanceOf(RateLimitError);
      expect(rateLimited).toBeInstanceOf(APIError);
      expect(rateLimited).toBeInstanceOf(SeaLinkError);
      expect(fromCopy).toBeInstanceOf(copy.RateLimitError);
      expect(fromCopy).not.toBeInstanceOf(RateLimitError);
    } finally {
      for (const [index, [errorClass]] of renames.entries()) {
        Object.defineProperty(errorClass, 'name', { value: originalNames[index] });
      }
    }
  });

  it('brands each error with its kind under Symbol.for, so that code without the classes can tell it', () => {
    const kindOf = (error: unknown) => (error as Record<symbol, unknown>)[Symbol.for('sealink.rerank.error')];
    expect(kindOf(createApiError({ status: 429, headers: new Headers(), body: undefined }))).toBe(
      'SeaLinkError/APIError/RateLimitError',
    );
    expect(kindOf(createApiError({ status: 418, headers: new Headers(), body: undefined }))).toBe(
      'SeaLinkError/APIError/UnexpectedStatusError',
    );
    expect(kindOf(new APIConnectionTimeoutError({ phase: 'body', timeoutMs: 5 }))).toBe(
      'SeaLinkError/APIConnectionError/APIConnectionTimeoutError',
    );
    expect(kindOf(new SeaLinkError('x'))).toBe('SeaLinkError');
    // An app's own subclass keeps the kind of the class it extends; its isInstance is instanceof.
    class AppRateLimitError extends RateLimitError {}
    const appError = new AppRateLimitError({ status: 429, headers: new Headers(), body: undefined });
    expect(kindOf(appError)).toBe('SeaLinkError/APIError/RateLimitError');
    expect(RateLimitError.isInstance(appError)).toBe(true);
    expect(AppRateLimitError.isInstance(appError)).toBe(true);
    expect(
      AppRateLimitError.isInstance(createApiError({ status: 429, headers: new Headers(), body: undefined })),
    ).toBe(false);
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
