import { describe, expect, it } from 'vitest';
import {
  checkJsonContentType,
  createRequestId,
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
