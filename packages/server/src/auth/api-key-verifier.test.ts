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
