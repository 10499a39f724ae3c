import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bearerTokenOf } from './request-preflight.js';

/** A token as an API key is: visible ASCII, no white space. */
const token = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);
/** `Bearer` in any mix of upper and lower case (the scheme is case-insensitive, RFC 9110 section 11.1). */
const scheme = fc
  .array(fc.boolean(), { minLength: 6, maxLength: 6 })
  .map((upper) =>
    [...'bearer'].map((letter, index) => (upper[index] ? letter.toUpperCase() : letter)).join(''),
  );
const blanks = fc.stringMatching(/^[ \t]{1,3}$/);

describe('bearerTokenOf', () => {
  it('reads the token whatever the case of the scheme and the blanks around the token', () => {
    fc.assert(
      fc.property(scheme, blanks, token, fc.stringMatching(/^[ \t]{0,2}$/), (bearer, gap, key, trailing) => {
        expect(bearerTokenOf(`${bearer}${gap}${key}${trailing}`)).toBe(key);
      }),
    );
    expect(bearerTokenOf('bearer sk-1')).toBe('sk-1');
    expect(bearerTokenOf('BEARER sk-1')).toBe('sk-1');
  });

  it('refuses a header with anything after the token, so `Bearer <key> junk` is no key', () => {
    fc.assert(
      fc.property(scheme, token, blanks, token, (bearer, key, gap, junk) => {
        expect(bearerTokenOf(`${bearer} ${key}${gap}${junk}`)).toBeUndefined();
      }),
    );
    expect(bearerTokenOf('Bearer sk-1 sk-2')).toBeUndefined();
  });

  it('refuses other schemes, a missing token and a missing header', () => {
    for (const header of [
      'Basic c2stMQ==',
      'Bearer',
      'Bearer ',
      'Bearersk-1',
      'Token sk-1',
      ' Bearer sk-1',
      '',
    ]) {
      expect(bearerTokenOf(header), JSON.stringify(header)).toBeUndefined();
    }
    expect(bearerTokenOf(undefined)).toBeUndefined();
    expect(bearerTokenOf(null)).toBeUndefined();
  });
});
