import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawHeaderValue } from './raw-header-value.js';

const NAMES = ['authorization', 'content-type', 'x-request-id', 'user-agent', 'x-custom', 'accept'];

/** Sends one raw request with these header lines and resolves with the server's view of it. */
function sendRaw(port: number, headers: readonly (readonly [string, string])[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.end(`GET / HTTP/1.1\r\nHost: localhost\r\n${lines}Connection: close\r\n\r\n`);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.resume();
  });
}

describe('rawHeaderValue', () => {
  it("gives what Node's incoming.headers gives, for any casing, repetition and order", async () => {
    let seen: IncomingMessage | undefined;
    const server = createServer((incoming, outgoing) => {
      seen = incoming;
      outgoing.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const headerName = fc
        .tuple(fc.constantFrom(...NAMES), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }))
        .map(([name, upper]) =>
          [...name].map((letter, index) => (upper[index] ? letter.toUpperCase() : letter)).join(''),
        );
      const headerValue = fc.stringMatching(/^[!-~]([ !-~]{0,20}[!-~])?$/);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(headerName, headerValue), { maxLength: 8 }), async (headers) => {
          seen = undefined;
          await sendRaw(port, headers);
          expect(seen).toBeDefined();
          const incoming = seen!;
          for (const name of [...NAMES, 'host']) {
            const expected = incoming.headers[name];
            expect(rawHeaderValue(incoming, name)).toBe(
              Array.isArray(expected) ? expected.join(', ') : expected,
            );
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
