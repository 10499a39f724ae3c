import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorAnswer } from './create-error-response.js';
import { ErrorResponse } from './error-response.js';
import { statusOfErrorType } from './error-types.js';
import {
  checkContentEncoding,
  checkJsonContentType,
  checkTransferEncoding,
  parseJsonBody,
  sanitizeRequestId,
} from './request-preflight.js';
import { RerankRequest } from './rerank-request.js';
import { rerankRequestArbitrary } from './testing/arbitraries.js';
import { validateRerankRequest } from './validate-rerank-request.js';

const REQUEST_ID = 'req_property';
/** What `sanitizeRequestId` documents it keeps: 1 to 128 letters, digits, `.`, `_`, `:` and `-`. */
const KEPT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Checks an error answer: the contract's body, the status of its type, and the request id. */
function expectErrorAnswer(answer: ErrorAnswer, code?: string) {
  const { error } = ErrorResponse.parse(answer.body);
  expect(answer.status).toBe(statusOfErrorType(error.type));
  expect(error.request_id).toBe(REQUEST_ID);
  if (code !== undefined) expect(error.code).toBe(code);
  return error;
}

/** Any string: ASCII, full Unicode, lone surrogates, and ids with white space around them. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc
    .tuple(
      fc.constantFrom('', ' ', '\t', '\n', '\u00a0', '\ufeff'),
      fc.stringMatching(/^[A-Za-z0-9._:-]{1,140}$/),
    )
    .map(([space, id]) => `${space}${id}${space}`),
);

/** Any value, including the ones JSON cannot hold, in any depth. */
const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

describe('request preflight, properties', () => {
  it('sanitizeRequestId keeps the trimmed id when it is in the documented charset and length, else drops it', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.constant(null), fc.constant(undefined)), (header) => {
        const kept = sanitizeRequestId(header);
        if (kept === undefined) {
          if (typeof header === 'string') expect(KEPT_ID.test(header.trim())).toBe(false);
          return;
        }
        expect(kept).toMatch(KEPT_ID);
        expect(kept).toBe(header?.trim());
        expect(sanitizeRequestId(kept)).toBe(kept);
      }),
      { numRuns: 1000 },
    );
  });

  it('parseJsonBody never throws: the value JSON.parse gives, or the 400 invalid_json answer', () => {
    const jsonText = fc.jsonValue().map((value) => JSON.stringify(value));
    fc.assert(
      fc.property(
        fc.oneof(
          anyString,
          jsonText,
          jsonText.map((text) => text.slice(0, -1)),
        ),
        (text) => {
          let expected: { value: unknown } | undefined;
          try {
            expected = { value: JSON.parse(text) };
          } catch {
            expected = undefined;
          }
          const parsed = parseJsonBody(text, REQUEST_ID);
          if (expected !== undefined) {
            expect(parsed).toEqual({ success: true, value: expected.value });
            return;
          }
          expect(parsed.success).toBe(false);
          if (!parsed.success) {
            const error = expectErrorAnswer(parsed.error, 'invalid_json');
            expect(error.type).toBe('invalid_request_error');
            if (text.trim() === '') expect(error.message).toContain('the body is empty');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('validateRerankRequest takes any value without throwing: a valid request, or a 400 in the contract shape', () => {
    const nearlyValid = fc
      .tuple(
        rerankRequestArbitrary({ maxDocuments: 3 }),
        fc.constantFrom(
          'model',
          'query',
          'documents',
          'top_n',
          'return_documents',
          'instruction',
          'max_tokens_per_doc',
          '__proto__',
          'constructor',
          'toString',
        ),
        anything,
      )
      .map(([request, key, value]) => {
        const body: Record<string, unknown> = { ...request };
        Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
        return body;
      });
    fc.assert(
      fc.property(fc.oneof(anything, nearlyValid), (body) => {
        const validation = validateRerankRequest(body, REQUEST_ID);
        if (validation.success) {
          expect(RerankRequest.safeParse(body).success).toBe(true);
          const { request } = validation;
          expect(request.documents.every((document) => typeof document === 'string')).toBe(true);
          expect(request.topN).toBeGreaterThanOrEqual(1);
          expect(request.topN).toBeLessThanOrEqual(request.documents.length);
          return;
        }
        const error = expectErrorAnswer(validation.error);
        expect(error.type).toBe('invalid_request_error');
        expect(RerankRequest.safeParse(body).success).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('the header checks never throw: JSON content types and identity coding pass, the rest get a 415', () => {
    fc.assert(
      fc.property(fc.option(anyString, { nil: undefined }), (header) => {
        const contentType = checkJsonContentType(header, REQUEST_ID);
        if (contentType !== undefined) expectErrorAnswer(contentType, 'unsupported_media_type');
        const coding = checkContentEncoding(header, REQUEST_ID);
        if (coding === undefined) expect(['', 'identity']).toContain((header ?? '').trim().toLowerCase());
        else expectErrorAnswer(coding, 'unsupported_content_encoding');
        const transfer = checkTransferEncoding(header, REQUEST_ID);
        if (transfer === undefined) expect(['', 'chunked']).toContain((header ?? '').trim().toLowerCase());
        else expectErrorAnswer(transfer, 'unsupported_transfer_encoding');
      }),
      { numRuns: 1000 },
    );
  });
});
