import { ErrorResponse } from '@sealink/rerank-contract';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useMockServer } from './testing/use-mock-server.js';

const API_KEY = 'order-key';
const AUTHORIZATION = `Bearer ${API_KEY}`;

async function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
) {
  const answer = await request(`${url}${path}`, { method: method as 'POST', headers, body: body ?? null });
  const text = await answer.body.text();
  const error = text === '' ? undefined : ErrorResponse.parse(JSON.parse(text)).error;
  return { status: answer.statusCode, code: error?.code, headers: answer.headers };
}

// What the real server (createRerankApp) answers when a request fails several checks at once: the route and
// method first (its 404 and 405 need no key and read no body), then the key, then the content type, then
// the body's size.
describe('the order of the checks, as on the real server', () => {
  const mock = useMockServer({ apiKeys: [API_KEY], maxBodyBytes: 1024 });

  it('answers 404 or 405 to a path or method the API does not have, with or without a key', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: AUTHORIZATION }]) {
      expect(await send(mock().url, 'GET', '/v1/nothing', headers)).toMatchObject({
        status: 404,
        code: 'route_not_found',
      });
      const wrongMethod = await send(mock().url, 'GET', '/v1/rerank', headers);
      expect(wrongMethod).toMatchObject({ status: 405, code: 'method_not_allowed' });
      expect(wrongMethod.headers.allow).toBe('POST');
      const post = await send(mock().url, 'POST', '/v1/models', headers, '{}');
      expect(post).toMatchObject({ status: 405, code: 'method_not_allowed' });
      expect(post.headers.allow).toBe('GET, HEAD');
      expect(await send(mock().url, 'DELETE', '/v2/rerank', headers)).toMatchObject({ status: 405 });
      expect(await send(mock().url, 'PATCH', '/rerank', headers, 'x')).toMatchObject({ status: 405 });
    }
    // The served routes still need the key.
    expect(await send(mock().url, 'GET', '/v1/models')).toMatchObject({
      status: 401,
      code: 'invalid_api_key',
    });
  });

  it('answers 405, not 413, to a body over the limit on a route that takes no body', async () => {
    const answer = await send(
      mock().url,
      'POST',
      '/v1/models',
      { authorization: AUTHORIZATION, 'content-type': 'application/json' },
      'x'.repeat(4096),
    );
    expect(answer).toMatchObject({ status: 405, code: 'method_not_allowed' });
  });

  it('answers 415, not 413, to a body over the limit with the wrong content type or encoding', async () => {
    const big = JSON.stringify({ model: 'bm25', query: 'q', documents: ['x'.repeat(4096)] });
    const sendBig = (headers: Record<string, string>) =>
      send(mock().url, 'POST', '/v1/rerank', { authorization: AUTHORIZATION, ...headers }, big);
    const typed = await sendBig({ 'content-type': 'text/plain' });
    expect(typed).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    const encoded = await sendBig({ 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(encoded).toMatchObject({ status: 415, code: 'unsupported_content_encoding' });
    const tooLarge = await sendBig({ 'content-type': 'application/json' });
    expect(tooLarge).toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('sends a 401 with the headers of the real server: no WWW-Authenticate', async () => {
    const answer = await send(mock().url, 'POST', '/v1/rerank', { 'content-type': 'application/json' }, '{}');
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBeUndefined();
    expect(answer.headers['x-request-id']).toMatch(/^req_/);
  });

  it('leaves a queued fault for an authenticated request when a keyless one gets 404', async () => {
    mock().clear();
    mock().faults.enqueue({ kind: 'error', status: 503 });
    expect(await send(mock().url, 'GET', '/v1/nothing')).toMatchObject({ status: 404 });
    expect(await send(mock().url, 'GET', '/v1/models', { authorization: AUTHORIZATION })).toMatchObject({
      status: 503,
    });
    expect(mock().requests.map((entry) => [entry.status, entry.fault?.kind])).toEqual([
      [404, undefined],
      [503, 'error'],
    ]);
  });
});
