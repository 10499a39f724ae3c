import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, MAX_SERVER_RETRY_DELAY_MS, retryDelayMs } from './retry-policy.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const now = () => NOW;
const noJitter = () => 0;

/** Strings that a `Headers` accepts as a value (no CR, LF or NUL, Latin-1 only). */
const headerValue = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fc.stringMatching(/^[ \t]*[-+]?(\d{1,12}(\.\d{0,6})?|0x[0-9a-f]{1,6}|\d+e\d{1,3})[ \t]*$/),
    fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
    fc.constantFrom('x 2', 'Wed 1', 'May 5', 'Infinity', 'NaN', '1e3', '0x10', '-0', '.5'),
  )
  .filter((value) => {
    try {
      new Headers({ v: value });
      return true;
    } catch {
      return false;
    }
  });

describe('retryDelayMs for any server answer (property)', () => {
  it('waits within [0, 60 s] whatever retry-after-ms and Retry-After say', () => {
    fc.assert(
      fc.property(
        fc.option(headerValue),
        fc.option(headerValue),
        fc.nat(40),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (ms, seconds, retriesDone, jitter) => {
          const headers = new Headers();
          if (ms !== null) headers.set('retry-after-ms', ms);
          if (seconds !== null) headers.set('retry-after', seconds);
          const delay = retryDelayMs({ headers, retriesDone, random: () => jitter, now });
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(MAX_SERVER_RETRY_DELAY_MS);
        },
      ),
    );
  });

  it('backs off for any value outside the header grammar (never an immediate retry on junk)', () => {
    const junk = headerValue.filter(
      (value) => !/^[ \t]*\d+(\.\d+)?[ \t]*$/.test(value) && !/ GMT$/.test(value.trim()),
    );
    fc.assert(
      fc.property(junk, (value) => {
        for (const name of ['retry-after', 'retry-after-ms']) {
          const delay = retryDelayMs({
            headers: new Headers({ [name]: value }),
            retriesDone: 0,
            random: noJitter,
            now,
          });
          expect(delay, `${name}: ${JSON.stringify(value)}`).toBe(500);
        }
      }),
    );
  });

  it('backs off for the junk that Number() and Date.parse() read as a wait', () => {
    // Date.parse reads "x 2" or "May 5" as a date in 2001 (a past date: no wait); Number reads hex and
    // exponents. None of them is Retry-After's grammar (delay-seconds or an HTTP-date).
    for (const value of ['x 2', 'Wed 1', 'May 5', '0x10', '1e1', '+3', 'Wed, 1 May 2099']) {
      const headers = new Headers({ 'retry-after': value });
      expect(retryDelayMs({ headers, retriesDone: 0, random: noJitter, now }), value).toBe(500);
    }
    for (const value of ['0x10', '1e3', '+5', '.5e2']) {
      const headers = new Headers({ 'retry-after-ms': value });
      expect(retryDelayMs({ headers, retriesDone: 0, random: noJitter, now }), value).toBe(500);
    }
  });

  it('never backs off beyond the maximum, however many retries came before', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        const delay = retryDelayMs({ retriesDone: n, random: () => r });
        expect(delay).toBeGreaterThan(0);
        expect(delay).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
      }),
    );
  });
});
