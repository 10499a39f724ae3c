import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DIALECTS } from '@sealink/rerank-contract/dialects';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startMockEngine } from './engines/start-mock-engine.js';
import { REDACTED, redactHeaders, redactSearch } from './request-journal.js';
import { startMockServer } from './start-mock-server.js';

const SECRET = 'sk-live-0123456789';

describe('redactHeaders', () => {
  it('redacts every credential header, whatever the case of its name, and keeps the others', () => {
    const names = [
      'Authorization',
      'Proxy-Authorization',
      'X-Api-Key',
      'Api-Key',
      'X-Goog-Api-Key',
      'Ocp-Apim-Subscription-Key',
      'X-Auth-Token',
      'X-Access-Token',
      'X-Amz-Security-Token',
      'Cookie',
      'Set-Cookie',
    ];
    const redacted = redactHeaders(
      Object.fromEntries([...names.map((name) => [name, SECRET]), ['X-Trace', 'kept']]),
    );
    for (const name of names) expect(redacted[name.toLowerCase()]).toBe(REDACTED);
    expect(redacted['x-trace']).toBe('kept');
    expect(JSON.stringify(redacted)).not.toContain(SECRET);
  });

  it('keeps the scheme of authorization and proxy-authorization', () => {
    const redacted = redactHeaders(
      new Headers({ authorization: `Bearer ${SECRET}`, 'proxy-authorization': `Basic ${SECRET}` }),
    );
    expect(redacted).toEqual({
      authorization: `Bearer ${REDACTED}`,
      'proxy-authorization': `Basic ${REDACTED}`,
    });
  });
});

describe('redactSearch', () => {
  it('redacts the values of credential query parameters, whatever their case, and keeps the rest as sent', () => {
    expect(redactSearch('')).toBe('');
    expect(redactSearch('?trace=1&x=a%20b')).toBe('?trace=1&x=a%20b');
    expect(
      redactSearch(
        `?api_key=${SECRET}&KEY=${SECRET}&access_token=${SECRET}&Token=${SECRET}&trace=1&apikey=${SECRET}` +
          `&subscription-key=${SECRET}&sig=${SECRET}&X-Goog-Signature=${SECRET}&AWSAccessKeyId=${SECRET}` +
          `&Signature=${SECRET}&client_secret=${SECRET}&password=${SECRET}&token`,
      ),
    ).toBe(
      `?api_key=${REDACTED}&KEY=${REDACTED}&access_token=${REDACTED}&Token=${REDACTED}&trace=1&apikey=${REDACTED}` +
        `&subscription-key=${REDACTED}&sig=${REDACTED}&X-Goog-Signature=${REDACTED}&AWSAccessKeyId=${REDACTED}` +
        `&Signature=${REDACTED}&client_secret=${REDACTED}&password=${REDACTED}&token`,
    );
  });

  it('recognises a percent-encoded or +-encoded name and redacts every repetition', () => {
    expect(redactSearch(`?api%5Fkey=${SECRET}&key=a&key=b&access+token=x`)).toBe(
      `?api%5Fkey=${REDACTED}&key=${REDACTED}&key=${REDACTED}&access+token=x`,
    );
    // A malformed escape in a name is compared as written, without throwing.
    expect(redactSearch('?%E0%A4%A=1&token=2')).toBe(`?%E0%A4%A=1&token=${REDACTED}`);
  });
});

describe('the journal of a mock server on a socket', () => {
  it('serves no credential from headers or query parameters on GET /__mock/requests nor in mock.requests', async () => {
    await using mock = await startMockServer({ apiKeys: [SECRET] });
    const answer = await request(
      `${mock.url}/v1/models?api_key=${SECRET}&key=${SECRET}&access_token=${SECRET}&token=${SECRET}&q=1`,
      {
        headers: {
          authorization: `Bearer ${SECRET}`,
          'api-key': SECRET,
          'x-goog-api-key': SECRET,
          'ocp-apim-subscription-key': SECRET,
          'x-auth-token': SECRET,
          'set-cookie': `session=${SECRET}`,
          cookie: `session=${SECRET}`,
        },
      },
    );
    await answer.body.dump();
    expect(answer.statusCode).toBe(200);
    const journal = await request(`${mock.url}/__mock/requests`, {
      headers: { origin: 'https://evil.example' },
    });
    const text = await journal.body.text();
    expect(journal.statusCode).toBe(200);
    expect(text).not.toContain(SECRET);
    const [entry] = (JSON.parse(text) as { requests: { search: string; headers: Record<string, string> }[] })
      .requests;
    expect(entry?.search).toBe(
      `?api_key=${REDACTED}&key=${REDACTED}&access_token=${REDACTED}&token=${REDACTED}&q=1`,
    );
    expect(entry?.headers).toMatchObject({
      authorization: `Bearer ${REDACTED}`,
      'api-key': REDACTED,
      'x-goog-api-key': REDACTED,
      'ocp-apim-subscription-key': REDACTED,
      'x-auth-token': REDACTED,
      'set-cookie': REDACTED,
      cookie: REDACTED,
    });
    expect(JSON.stringify(mock.requests)).not.toContain(SECRET);
  });
});

describe('the journal of a mock engine', () => {
  it('redacts credential headers and query parameters too', async () => {
    await using engine = await startMockEngine({ dialect: 'tei' });
    const answer = await request(`${engine.url}${DIALECTS.tei.paths[0]}?api_key=${SECRET}&trace=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': SECRET },
      body: '{}',
    });
    await answer.body.dump();
    expect(engine.requests[0]?.search).toBe(`?api_key=${REDACTED}&trace=1`);
    expect(engine.requests[0]?.headers['x-goog-api-key']).toBe(REDACTED);
    expect(JSON.stringify(engine.requests)).not.toContain(SECRET);
  });
});

describe('the journal of a validating proxy', () => {
  // Redacting the journal must not change what is forwarded: the upstream needs the real key.
  it('forwards the query string as sent and journals it redacted', async () => {
    const received: string[] = [];
    const upstream = createServer((incoming, outgoing) => {
      received.push(incoming.url ?? '');
      incoming.resume();
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ object: 'list', data: [] }));
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    try {
      const { port } = upstream.address() as AddressInfo;
      await using proxy = await startMockServer({ proxy: { url: `http://127.0.0.1:${port}` } });
      const answer = await request(`${proxy.url}/v1/models?api_key=${SECRET}&trace=1`);
      await answer.body.dump();
      expect(received).toEqual([`/v1/models?api_key=${SECRET}&trace=1`]);
      expect(proxy.requests[0]?.search).toBe(`?api_key=${REDACTED}&trace=1`);
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});
