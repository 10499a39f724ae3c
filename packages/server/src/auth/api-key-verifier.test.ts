import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiKeyVerifier, digestApiKey } from './api-key-verifier.js';

describe('ApiKeyVerifier', () => {
  it('accepts exactly the configured keys as Bearer tokens', () => {
    const verifier = new ApiKeyVerifier({ apiKeys: ['key-one', 'key-two'] });
    expect(verifier.verify('Bearer key-one')).toBe(true);
    expect(verifier.verify('bearer key-two')).toBe(true);
    expect(verifier.verify('Bearer  key-one ')).toBe(true);
    for (const header of [
      undefined,
      null,
      '',
      'key-one',
      'Basic key-one',
      'Bearer',
      'Bearer key-on',
      'Bearer key-one x',
    ]) {
      expect(verifier.verify(header)).toBe(false);
    }
  });

  it('accepts digests, so a configuration need not hold the key', () => {
    const verifier = new ApiKeyVerifier({
      apiKeyDigests: [createHash('sha256').update('secret').digest('hex').toUpperCase()],
    });
    expect(verifier.verify('Bearer secret')).toBe(true);
    expect(digestApiKey('secret')).toBe(createHash('sha256').update('secret').digest('hex'));
    expect(() => new ApiKeyVerifier({ apiKeyDigests: ['abc'] })).toThrow(/64 hexadecimal/);
    expect(() => new ApiKeyVerifier({ apiKeys: ['has space'] })).toThrow(/white space/);
  });

  it('never accepts a random header that is not a configured key', () => {
    const verifier = new ApiKeyVerifier({ apiKeys: ['the-only-key'] });
    fc.assert(
      fc.property(fc.string(), (header) => {
        fc.pre(
          header
            .trim()
            .replace(/^bearer\s+/i, '')
            .trim() !== 'the-only-key',
        );
        expect(verifier.verify(header)).toBe(false);
      }),
    );
  });

  it('answers a repeated header as the first time, whatever the order', () => {
    const verifier = new ApiKeyVerifier({ apiKeys: ['key-one', 'key-two'] });
    const header = fc.oneof(
      fc.constantFrom('Bearer key-one', 'Bearer key-two', 'Bearer key-three', 'Bearer key-on', 'key-one'),
      // Many distinct accepted spellings of the same keys.
      fc
        .tuple(fc.constantFrom('Bearer', 'bearer', 'BEARER'), fc.integer({ min: 1, max: 200 }), fc.boolean())
        .map(([scheme, spaces, second]) => `${scheme}${' '.repeat(spaces)}key-${second ? 'two' : 'one'}`),
    );
    fc.assert(
      fc.property(fc.array(header, { maxLength: 400 }), (headers) => {
        for (const value of headers) {
          const expected = new ApiKeyVerifier({ apiKeys: ['key-one', 'key-two'] }).verify(value);
          expect(verifier.verify(value)).toBe(expected);
          expect(verifier.verify(value)).toBe(/^bearer +key-(one|two)$/i.test(value));
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('ApiKeyVerifier and keys that HTTP cannot carry', () => {
  it('refuses a key that is not visible ASCII, which no request could ever present', async () => {
    // Over a real socket, a key sent as UTF-8 bytes reaches the server as one character per byte (latin1),
    // and fetch refuses such a header outright: a configured 'sk-clé' would answer 401 to every request.
    const { createServer } = await import('node:http');
    const { connect } = await import('node:net');
    const server = createServer((incoming, outgoing) => outgoing.end(incoming.headers.authorization));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const received = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(
            Buffer.from(
              'GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-clé\r\nConnection: close\r\n\r\n',
            ),
          ),
        );
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
        });
        socket.on('close', () => resolve(text));
      });
      expect(received).not.toContain('Bearer sk-clé');
      // What the server got is not the key: the key's digest never matches it.
      const presented = received.split('\r\n\r\n')[1];
      expect(new ApiKeyVerifier({ apiKeyDigests: [digestApiKey('sk-clé')] }).verify(presented)).toBe(false);
    } finally {
      server.close();
    }
    for (const apiKey of ['sk-clé', 'sk-ключ', 'sk-\u0000x', 'sk-\u007fx', 'sk-🔑']) {
      expect(() => new ApiKeyVerifier({ apiKeys: [apiKey] }), JSON.stringify(apiKey)).toThrow(
        /visible ASCII/,
      );
    }
    expect(new ApiKeyVerifier({ apiKeys: ['sk-AZaz09_-.~!#$%&*+/=?^`|'] }).size).toBe(1);
  });
});
