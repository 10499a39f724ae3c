import { CohereV2RerankResponse } from '@sealink/rerank-contract/dialects';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useMockServer } from './testing/use-mock-server.js';

const API_KEY = 'sk-mock-null-fields-0123456789';
const DOCUMENTS = [
  'Feed a sourdough starter every day.',
  'The gateway routes API calls.',
  'Flour and water.',
];

const mock = useMockServer({ apiKeys: [API_KEY], models: ['bm25'] });

async function post(body: unknown) {
  const answer = await request(`${mock().url}/v2/rerank`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify(body),
  });
  return { status: answer.statusCode, json: (await answer.body.json()) as unknown };
}

describe('the mock’s POST /v2/rerank, as the real server', () => {
  it('reads top_n: null and max_tokens_per_doc: null (cohere-python’s None) as not given', async () => {
    const base = { model: 'bm25', query: 'sourdough starter', documents: DOCUMENTS };
    const withNulls = await post({ ...base, top_n: null, max_tokens_per_doc: null });
    const omitted = await post(base);
    expect(withNulls.status).toBe(200);
    expect(CohereV2RerankResponse.parse(withNulls.json).results).toEqual(
      CohereV2RerankResponse.parse(omitted.json).results,
    );
    expect(CohereV2RerankResponse.parse(withNulls.json).results).toHaveLength(3);
  });
});
