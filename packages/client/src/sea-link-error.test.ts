import { describe, expect, it } from 'vitest';
import { APIConnectionTimeoutError } from './api-connection-error.js';
import { createApiError, NotFoundError, UnexpectedStatusError } from './api-error.js';
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
