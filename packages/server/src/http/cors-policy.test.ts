import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorsPolicy } from './cors-policy.js';

const APP = 'https://app.example.com';

describe('CorsPolicy', () => {
  it('refuses origins a browser never sends: paths, trailing slashes, other schemes, bare hosts', () => {
    for (const origin of [
      'https://app.example.com/',
      'https://app.example.com/path',
      'app.example.com',
      'ftp://app.example.com',
      'https://app.example.com:443',
      'HTTPS://APP.EXAMPLE.COM',
      '',
      'null',
    ]) {
      expect(() => new CorsPolicy({ allowedOrigins: [origin] }), origin).toThrow(TypeError);
    }
    expect(
      () => new CorsPolicy({ allowedOrigins: [APP, 'http://localhost:5173', 'http://[::1]:8080', '*'] }),
    ).not.toThrow();
  });

  it('lets the listed origins read answers, and no other', () => {
    const policy = new CorsPolicy({ allowedOrigins: [APP, 'http://localhost:5173'] });
    expect(policy.answerHeaders(APP)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-expose-headers':
        'x-request-id, retry-after, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-should-retry',
      vary: 'Origin',
    });
    expect(policy.answerHeaders('http://localhost:5173')?.['access-control-allow-origin']).toBe(
      'http://localhost:5173',
    );
    for (const origin of [
      undefined,
      'https://evil.example.com',
      `${APP}.evil.com`,
      'http://app.example.com',
    ]) {
      expect(policy.answerHeaders(origin), String(origin)).toBeUndefined();
    }
  });

  it('lets any origin read answers with *, without Vary', () => {
    const policy = new CorsPolicy({ allowedOrigins: ['*'] });
    expect(policy.answerHeaders('https://anywhere.example')).toMatchObject({
      'access-control-allow-origin': '*',
    });
    expect(policy.answerHeaders('https://anywhere.example')).not.toHaveProperty('vary');
    // Answers to requests without an Origin (non-browser clients, caches) say * too.
    expect(policy.answerHeaders(undefined)?.['access-control-allow-origin']).toBe('*');
    expect(policy.preflightHeaders(undefined, 'POST', ['POST'])).toBeUndefined();
    expect(policy.otherOriginHeaders()).toBeUndefined();
  });

  it('marks answers to other origins Vary: Origin when it names origins', () => {
    expect(new CorsPolicy({ allowedOrigins: [APP] }).otherOriginHeaders()).toEqual({ vary: 'Origin' });
  });

  it('answers a preflight for a method of the route from an allowed origin only', () => {
    const policy = new CorsPolicy({ allowedOrigins: [APP] });
    expect(policy.preflightHeaders(APP, 'POST', ['POST'])).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers':
        'authorization, content-type, x-request-id, idempotency-key, x-sealink-retry-count',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect(policy.preflightHeaders(APP, 'post', ['POST'])).toBeDefined();
    expect(policy.preflightHeaders(APP, 'DELETE', ['POST'])).toBeUndefined();
    expect(policy.preflightHeaders(APP, undefined, ['POST'])).toBeUndefined();
    expect(policy.preflightHeaders('https://evil.example.com', 'POST', ['POST'])).toBeUndefined();
    expect(policy.preflightHeaders(APP, 'GET', [])).toBeUndefined();
  });

  it('allows exactly the listed origins, whatever string comes as Origin (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.webUrl().map((url) => new URL(url).origin),
          { maxLength: 4 },
        ),
        fc.string(),
        (origins, sent) => {
          const listed = origins.filter((origin) => origin.startsWith('http'));
          const policy = new CorsPolicy({ allowedOrigins: listed });
          for (const origin of [sent, ...listed]) {
            const headers = policy.answerHeaders(origin);
            expect(headers?.['access-control-allow-origin']).toBe(
              listed.includes(origin) ? origin : undefined,
            );
          }
        },
      ),
    );
  });
});
