import { describe, expect, it } from 'vitest';
import { retryDelayMs, shouldRetryStatus } from './retry-policy.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const now = () => NOW;

describe('shouldRetryStatus', () => {
  it('retries 408, 409, 429 and every 5xx, and nothing else', () => {
    const retried = [408, 409, 429, 500, 502, 503, 504, 599];
    for (const status of retried) expect(shouldRetryStatus(status, new Headers()), String(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 405, 413, 415, 422, 301]) {
      expect(shouldRetryStatus(status, new Headers()), String(status)).toBe(false);
    }
  });

  it('obeys x-should-retry over the status', () => {
    expect(shouldRetryStatus(400, new Headers({ 'x-should-retry': 'true' }))).toBe(true);
    expect(shouldRetryStatus(503, new Headers({ 'x-should-retry': 'false' }))).toBe(false);
    expect(shouldRetryStatus(503, new Headers({ 'x-should-retry': 'maybe' }))).toBe(true);
  });
});

describe('retryDelayMs', () => {
  it('takes retry-after-ms first', () => {
    const headers = new Headers({ 'retry-after-ms': '250', 'retry-after': '7' });
    expect(retryDelayMs({ headers, retriesDone: 0, now })).toBe(250);
  });

  it('takes Retry-After seconds, fractions included', () => {
    expect(retryDelayMs({ headers: new Headers({ 'retry-after': '3' }), retriesDone: 0, now })).toBe(3000);
    expect(retryDelayMs({ headers: new Headers({ 'retry-after': '0.5' }), retriesDone: 0, now })).toBe(500);
    expect(retryDelayMs({ headers: new Headers({ 'retry-after': '0' }), retriesDone: 1, now })).toBe(0);
  });

  it('takes a Retry-After HTTP date relative to now, and a past date as no wait', () => {
    const inTenSeconds = new Date(NOW + 10_000).toUTCString();
    expect(retryDelayMs({ headers: new Headers({ 'retry-after': inTenSeconds }), retriesDone: 0, now })).toBe(
      10_000,
    );
    const past = new Date(NOW - 10_000).toUTCString();
    expect(retryDelayMs({ headers: new Headers({ 'retry-after': past }), retriesDone: 0, now })).toBe(0);
  });

  it('takes the obsolete HTTP-date forms that RFC 9110 has recipients accept: RFC 850 and asctime (GMT)', () => {
    // NOW is Thursday 2026-11-26 12:00:00 GMT.
    const retryAfter = (value: string) =>
      retryDelayMs({ headers: new Headers({ 'retry-after': value }), retriesDone: 0, random: () => 0, now });
    expect(retryAfter('Thursday, 26-Nov-26 12:00:10 GMT')).toBe(10_000);
    expect(retryAfter('Thu Nov 26 12:00:10 2026')).toBe(10_000);
    expect(retryAfter('Thu Nov 26 12:00:07 2026')).toBe(7000);
    expect(retryAfter('Wednesday, 25-Nov-26 12:00:00 GMT')).toBe(0);
    // One day a month has one digit, padded with a space in asctime.
    const early = () => Date.parse('2026-11-06T08:49:30Z');
    expect(
      retryDelayMs({
        headers: new Headers({ 'retry-after': 'Fri Nov  6 08:49:37 2026' }),
        retriesDone: 0,
        now: early,
      }),
    ).toBe(7000);
    // An asctime date is GMT wherever the client runs, not the machine's local time.
    const zone = process.env.TZ;
    try {
      for (const timeZone of ['America/New_York', 'Asia/Tokyo']) {
        process.env.TZ = timeZone;
        expect(new Date(NOW).getHours(), timeZone).not.toBe(12);
        expect(retryAfter('Thu Nov 26 12:00:10 2026'), timeZone).toBe(10_000);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    // Near misses of the grammar are junk: backoff.
    for (const junk of [
      'Thu, 26-Nov-26 12:00:10 GMT',
      'Thursday, 26-Nov-26 12:00:10',
      'Thu Nov 26 12:00:10 26',
    ]) {
      expect(retryAfter(junk), junk).toBe(500);
    }
  });

  it('falls back to backoff when the server asks for more than 60 s or sends junk', () => {
    const random = () => 0;
    for (const value of ['61', '3600', 'soon', '-1', '']) {
      expect(
        retryDelayMs({ headers: new Headers({ 'retry-after': value }), retriesDone: 0, random, now }),
        value,
      ).toBe(500);
    }
    expect(
      retryDelayMs({ headers: new Headers({ 'retry-after-ms': '60001' }), retriesDone: 1, random }),
    ).toBe(1000);
    expect(retryDelayMs({ headers: new Headers({ 'retry-after': '60' }), retriesDone: 0, now })).toBe(60_000);
  });

  it('backs off exponentially from 0.5 s to at most 8 s, less up to 25 % jitter', () => {
    const noJitter = () => 0;
    const fullJitter = () => 0.999_999;
    const expected = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    expected.forEach((delay, retriesDone) => {
      expect(retryDelayMs({ retriesDone, random: noJitter })).toBe(delay);
      const jittered = retryDelayMs({ retriesDone, random: fullJitter });
      expect(jittered).toBeGreaterThan(delay * 0.75);
      expect(jittered).toBeLessThan(delay);
    });
  });
});
