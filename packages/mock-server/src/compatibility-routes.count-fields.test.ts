import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useMockServer } from './testing/use-mock-server.js';

/**
 * The mock's compatibility routes take the count fields the real server's take: any integer of 1 or more,
 * beyond 2^53 too (Python's `sys.maxsize`, sent as raw text as a Python client writes it).
 */

const API_KEY = 'sk-mock-count-fields-0123456789';
const SYS_MAXSIZE = '9223372036854775807';
const DOCUMENTS = JSON.stringify(['feed the starter', 'stock markets', 'a starter needs feeding']);

const mock = useMockServer({ apiKeys: [API_KEY], models: ['bm25'] });

async function post(path: string, text: string) {
  const answer = await request(`${mock().url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: text,
  });
  return { status: answer.statusCode, json: (await answer.body.json()) as Record<string, unknown> };
}

describe('the mock’s compatibility routes with count fields beyond 2^53', () => {
  it('POST /v2/rerank ranks every document for a top_n and max_tokens_per_doc of sys.maxsize', async () => {
    const answer = await post(
      '/v2/rerank',
      `{"model":"bm25","query":"starter","documents":${DOCUMENTS},"top_n":${SYS_MAXSIZE},"max_tokens_per_doc":${SYS_MAXSIZE}}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.json.results).toHaveLength(3);
  });

  it('POST /v2/rerank still answers 400 naming top_n for a top_n of 1.5', async () => {
    const answer = await post(
      '/v2/rerank',
      `{"model":"bm25","query":"starter","documents":${DOCUMENTS},"top_n":1.5}`,
    );
    expect(answer.status).toBe(400);
    expect((answer.json.error as { param?: string }).param).toBe('top_n');
  });
});
