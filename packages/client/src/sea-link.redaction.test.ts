import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from './api-error.js';
import { InvalidResponseError } from './invalid-response-error.js';
import { SeaLink } from './sea-link.js';
import { EXAMPLE_REQUEST } from './testing/fixed-rerank-response.js';
import { startScriptedServer } from './testing/start-scripted-server.js';

describe('the API key an answer echoes', () => {
  // Short enough that the JSON parser's message, which quotes about ten characters of the text, holds it whole.
  const apiKey = 'k-7Qz';

  it('is redacted at every occurrence, in bodies, messages and header values', async () => {
    await using server = await startScriptedServer((request, response) => {
      const token = request.headers.authorization?.replace('Bearer ', '');
      response.writeHead(401, { 'content-type': 'application/json', 'x-echo': `${token} and ${token}` });
      response.end(JSON.stringify({ error: { message: `token ${token} refused; ${token} is no key` } }));
    });
    await using client = new SeaLink({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe('401 status code: token [redacted] refused; [redacted] is no key');
    expect(error.body).toEqual({ error: { message: 'token [redacted] refused; [redacted] is no key' } });
    expect(error.headers.get('x-echo')).toBe('[redacted] and [redacted]');
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });

  it("is redacted from the JSON parser's message about a 2xx answer that is not JSON", async () => {
    await using server = await startScriptedServer((request, response) => {
      const token = request.headers.authorization?.replace('Bearer ', '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"auth": ${token}}`);
    });
    await using client = new SeaLink({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const error = (await client.models.list().catch((caught: unknown) => caught)) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/is not valid JSON: .*\[redacted\]/);
    expect(error.message).not.toContain(apiKey);
    expect(error.body).toBe('{"auth": [redacted]}');
    expect(JSON.stringify(error)).not.toContain(apiKey);
    expect(inspect(error, { depth: 10 })).not.toContain(apiKey);
  });

  it("leaves no part of a longer key in the JSON parser's message or the error's cause", async () => {
    const longKey = 'sk-Qv83tR6w1YpL0mXz';
    await using server = await startScriptedServer((request, response) => {
      const token = request.headers.authorization?.replace('Bearer ', '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"auth": ${token}}`);
    });
    await using client = new SeaLink({ apiKey: longKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const error = (await client.models.list().catch((caught: unknown) => caught)) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    // The parser quotes about ten characters from the error on: 'sk-Qv83tR6' before the fix.
    expect(error.message).toMatch(/is not valid JSON: .*\[redacted\]/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    for (const text of [error.message, (error.cause as Error).message, inspect(error, { depth: 10 })]) {
      expect(text).not.toContain('Qv83tR');
    }
  });

  it('of a short test key is redacted where it stands alone, not inside the words and codes of the answer', async () => {
    await using server = await startScriptedServer((request, response) => {
      const token = request.headers.authorization?.replace('Bearer ', '');
      response.writeHead(401, { 'content-type': 'application/json', 'x-echo': `Bearer ${token}` });
      response.end(
        JSON.stringify({
          error: {
            type: 'authentication_error',
            code: 'invalid_api_key',
            message: `The key '${token}' is not known; check your keys.`,
            request_id: 'req_kk1',
          },
        }),
      );
    });
    await using client = new SeaLink({ apiKey: 'k', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('invalid_api_key');
    expect(error.request_id).toBe('req_kk1');
    expect(error.message).toBe(
      "401 authentication_error (invalid_api_key): The key '[redacted]' is not known; check your keys.",
    );
    expect(error.headers.get('x-echo')).toBe('Bearer [redacted]');
  });

  it('of eight characters or more is redacted at every occurrence, inside words too', async () => {
    const key = 'abcd1234';
    await using server = await startScriptedServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `x${key}y and ${key}_z` } }));
    });
    await using client = new SeaLink({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const error = (await client
      .rerank(EXAMPLE_REQUEST)
      .catch((caught: unknown) => caught)) as AuthenticationError;
    expect(error.message).toBe('401 status code: x[redacted]y and [redacted]_z');
  });
});
