import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_RERANK_RESPONSE_TEXT as PAGE_RESPONSE_EXAMPLE } from './code-samples.js';
import { RerankResponse } from './rerank-response.js';

/** The public API page, beside the project root; present for developers and CI, absent elsewhere. */
const API_PAGE = new URL('../../../../shared/seed/rerank-api-page.txt', import.meta.url);

describe('RerankResponse', () => {
  it('accepts the public API page response example, which carries no usage', () => {
    const parsed = RerankResponse.safeParse(JSON.parse(PAGE_RESPONSE_EXAMPLE));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.usage).toBeUndefined();
    expect(parsed.data?.results.map((result) => result.index)).toEqual([2, 0]);
  });

  it.runIf(existsSync(API_PAGE))('quotes the page example verbatim', () => {
    const page = readFileSync(API_PAGE, 'utf8');
    const example = page.slice(page.indexOf('Response example')).split('\n')[1]?.trim();
    expect(example).toBe(PAGE_RESPONSE_EXAMPLE);
  });

  it('still checks usage when an answer carries it', () => {
    const answer = JSON.parse(PAGE_RESPONSE_EXAMPLE) as Record<string, unknown>;
    expect(RerankResponse.safeParse({ ...answer, usage: { total_tokens: 41 } }).success).toBe(true);
    expect(RerankResponse.safeParse({ ...answer, usage: { total_tokens: -1 } }).success).toBe(false);
    expect(RerankResponse.safeParse({ ...answer, usage: {} }).success).toBe(false);
  });
});
