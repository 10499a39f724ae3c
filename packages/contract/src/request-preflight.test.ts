import { describe, expect, it } from 'vitest';
import {
  checkContentEncoding,
  checkJsonContentType,
  checkTransferEncoding,
  createRequestId,
  invalidUtf8Error,
  isJsonContentType,
  modelNotFoundError,
  parseJsonBody,
  sanitizeRequestId,
} from './request-preflight.js';

describe('request preflight', () => {
  it('keeps safe request ids and drops the rest', () => {
    expect(sanitizeRequestId(' abc-123_x.y:z ')).toBe('abc-123_x.y:z');
    for (const unsafe of ['', 'a b', 'x\ny', 'ä', 'a'.repeat(129), '<script>'])
      expect(sanitizeRequestId(unsafe)).toBeUndefined();
    expect(createRequestId()).toMatch(/^req_[0-9a-f]{20}$/);
  });

  it('accepts JSON content types with parameters and +json, and rejects others with 415', () => {
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('Application/JSON')).toBe(true);
    expect(isJsonContentType('application/vnd.api+json')).toBe(true);
    expect(isJsonContentType('text/plain')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
    expect(checkJsonContentType('text/plain', 'r')?.status).toBe(415);
    expect(checkJsonContentType('application/json', 'r')).toBeUndefined();
  });

  it('accepts JSON only in UTF-8: another charset parameter is 415 unsupported_charset', () => {
    for (const utf8 of [
      'application/json; charset=utf-8',
      'application/json;charset="UTF-8"',
      'application/json; CHARSET=utf8',
    ])
      expect(checkJsonContentType(utf8, 'r'), utf8).toBeUndefined();
    for (const [header, charset] of [
      ['application/json; charset=iso-8859-1', 'iso-8859-1'],
      ['application/json;charset="UTF-16"', 'utf-16'],
      ['application/vnd.api+json; version=2; charset=latin1', 'latin1'],
    ] as const) {
      const answer = checkJsonContentType(header, 'r');
      expect(answer?.status, header).toBe(415);
      expect(answer?.body.error).toMatchObject({ code: 'unsupported_charset', request_id: 'r' });
      expect(answer?.body.error.message).toContain(`'${charset}'`);
    }
  });

  it('refuses any Content-Encoding but identity, and any Transfer-Encoding but chunked, with 415', () => {
    for (const none of [undefined, null, '', 'identity', ' Identity '])
      expect(checkContentEncoding(none, 'r')).toBeUndefined();
    for (const coding of ['gzip', 'br', 'deflate', 'gzip, identity', 'x-junk']) {
      const answer = checkContentEncoding(coding, 'r');
      expect(answer?.status, coding).toBe(415);
      expect(answer?.body.error).toMatchObject({
        type: 'unsupported_media_type',
        code: 'unsupported_content_encoding',
      });
    }
    for (const none of [undefined, null, '', 'chunked', ' Chunked '])
      expect(checkTransferEncoding(none, 'r')).toBeUndefined();
    for (const codings of ['gzip, chunked', 'deflate,chunked', 'identity, chunked', 'x-junk']) {
      const answer = checkTransferEncoding(codings, 'r');
      expect(answer?.status, codings).toBe(415);
      expect(answer?.body.error).toMatchObject({
        type: 'unsupported_media_type',
        code: 'unsupported_transfer_encoding',
        request_id: 'r',
      });
    }
    expect(invalidUtf8Error('r')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_utf8', request_id: 'r' } },
    });
  });

  it('parses JSON and says where broken JSON broke', () => {
    expect(parseJsonBody('{"a":1}', 'r')).toEqual({ success: true, value: { a: 1 } });
    const broken = parseJsonBody('{"a":', 'r');
    expect(broken.success).toBe(false);
    if (!broken.success)
      expect(broken.error.body.error).toMatchObject({ code: 'invalid_json', request_id: 'r' });
    const empty = parseJsonBody('  ', 'r');
    expect(!empty.success && empty.error.body.error.message).toContain('the body is empty');
  });

  it('lists the available models when one is unknown', () => {
    const answer = modelNotFoundError('qwen3-rerank', ['bm25'], 'r', 'Configure it with SEALINK_MODELS.');
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect(answer.body.error.message).toContain('Available models: bm25.');
    expect(answer.body.error.message).toContain('SEALINK_MODELS');
  });
});
