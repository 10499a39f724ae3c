import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { nodeHeaderValue } from './node-header-value.js';

/** The request Node parses from `head`, sent raw over a real socket. */
async function parsedRequest(head: string): Promise<IncomingMessage> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const received = new Promise<IncomingMessage>((resolve) =>
      server.once('request', (incoming: IncomingMessage, outgoing) => {
        outgoing.end();
        resolve(incoming);
      }),
    );
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(head);
    const incoming = await received;
    socket.destroy();
    return incoming;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('nodeHeaderValue', () => {
  it('reads headers case-insensitively, first value only where Node keeps one, others joined', async () => {
    const incoming = await parsedRequest(
      'GET / HTTP/1.1\r\nHost: x\r\nAUTHORIZATION: Bearer first\r\nauthorization: Bearer second\r\n' +
        'X-Tag: a\r\nx-tag: b\r\nSet-Cookie: one\r\nSet-Cookie: two\r\nContent-Type: application/json\r\n\r\n',
    );
    expect(nodeHeaderValue(incoming, 'authorization')).toBe('Bearer first');
    expect(nodeHeaderValue(incoming, 'x-tag')).toBe('a, b');
    expect(nodeHeaderValue(incoming, 'set-cookie')).toBe('one, two');
    expect(nodeHeaderValue(incoming, 'content-type')).toBe('application/json');
    expect(nodeHeaderValue(incoming, 'content-encoding')).toBeUndefined();
  });
});
