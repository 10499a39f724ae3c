import { describe, expect, it } from 'vitest';
import {
  exchangeRaw,
  PROPERTY_API_KEY,
  parseRawAnswer,
  startPropertyServer,
} from './http-property-test-kit.js';

/** The head of a request that asks `Expect: 100-continue` before sending a body of `length` bytes. */
function expectingHead(method: string, path: string, headers: string, length: number): string {
  return `${method} ${path} HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n${headers}Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
}

describe('Expect: 100-continue, over a real socket', () => {
  for (const [name, method, path, headers, status] of [
    ['a rerank request without a key (401)', 'POST', '/v1/rerank', '', 401],
    [
      'a rerank request of another media type (415)',
      'POST',
      '/v1/rerank',
      `Authorization: Bearer ${PROPERTY_API_KEY}\r\n`.concat('X-Ignored: 1\r\n'),
      415,
    ],
    [
      'a POST to a GET route (405)',
      'POST',
      '/v1/models',
      `Authorization: Bearer ${PROPERTY_API_KEY}\r\n`,
      405,
    ],
    ['a POST to no route (404)', 'POST', '/nope', '', 404],
  ] as const) {
    it(`answers ${name} refused from its headers at once, without inviting a small body it will not read`, async () => {
      await using server = await startPropertyServer();
      const head = expectingHead(method, path, headers, 64);
      const started = performance.now();
      // Only the headers are sent: a client that waits for 100 Continue before it uploads anything.
      const sent = (
        await exchangeRaw(server.port, [
          status === 415 ? head.replace('application/json', 'text/plain') : head,
        ])
      ).toString('latin1');
      expect(sent).not.toContain('100 Continue');
      const answer = parseRawAnswer(sent);
      expect(answer.status).toBe(status);
      // The connection cannot carry another request: the body the client was about to send is not read.
      expect(answer.headers.get('connection')).toBe('close');
      // Answered at once rather than after waiting for a body that was never invited (the exchange gives up
      // at 5 s): the bound is half that.
      expect(performance.now() - started).toBeLessThan(2_500);
    });
  }
});
