import { ErrorResponse } from '@sealink/rerank-contract';
import { BAD_INPUT_CASES } from '@sealink/rerank-contract/testing';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startMockServer } from './start-mock-server.js';

const API_KEY = 'test-key';

describe('shared bad-input table', () => {
  it.each(BAD_INPUT_CASES.map((badInput) => [badInput.name, badInput] as const))(
    '%s',
    async (_name, badInput) => {
      await using mock = await startMockServer({ apiKeys: [API_KEY] });
      const headers: Record<string, string> = { ...badInput.headers };
      if (badInput.withoutAuth !== true) headers.authorization = `Bearer ${API_KEY}`;
      const answer = await request(`${mock.url}${badInput.path}`, {
        method: badInput.method as 'POST',
        headers,
        body: badInput.body ?? null,
      });
      const body = ErrorResponse.parse(await answer.body.json());
      expect(answer.statusCode).toBe(badInput.status);
      expect(body.error.type).toBe(badInput.type);
      if (badInput.code !== undefined) expect(body.error.code).toBe(badInput.code);
      if (badInput.param !== undefined) expect(body.error.param).toBe(badInput.param);
      expect(body.error.request_id).toBe(answer.headers['x-request-id']);
      expect(mock.requests).toHaveLength(1);
      expect(mock.requests[0]?.status).toBe(badInput.status);
    },
  );
});
