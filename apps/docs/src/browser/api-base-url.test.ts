import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeApiBaseUrl, rerankEndpoint, resolveApiBaseUrl } from './api-base-url.js';

describe('normalizeApiBaseUrl', () => {
  it.each([
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['  http://127.0.0.1:4010/  ', 'http://127.0.0.1:4010'],
    ['http://127.0.0.1:4010/v1', 'http://127.0.0.1:4010'],
    ['http://127.0.0.1:4010/v1/', 'http://127.0.0.1:4010'],
    ['https://test.sealink.io', 'https://test.sealink.io'],
    ['https://example.com/rerank-api/v1', 'https://example.com/rerank-api'],
    ['HTTPS://Example.COM:443/', 'https://example.com'],
  ])('reads %j as %j', (input, expected) => {
    expect(normalizeApiBaseUrl(input)).toEqual({ ok: true, url: expected });
  });

  it.each([
    ['', 'Enter the URL of a SeaLink server'],
    ['localhost:8080', 'must start with http:// or https://'],
    ['not a url', 'is not a URL'],
    ['ftp://example.com', 'must start with http:// or https://'],
    ['http://127.0.0.1:8080/?x=1', 'may not have a query string'],
    ['http://user:secret@127.0.0.1:8080', 'Put credentials in the API key field'],
  ])('rejects %j with a message', (input, message) => {
    const parsed = normalizeApiBaseUrl(input);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(message);
  });

  it('gives a URL that normalizes to itself and to which /v1/rerank appends cleanly, for any web URL', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: false, withFragments: false }), (input) => {
        const parsed = normalizeApiBaseUrl(input);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        expect(normalizeApiBaseUrl(parsed.url)).toEqual(parsed);
        expect(normalizeApiBaseUrl(`${parsed.url}/v1/`)).toEqual(parsed);
        const endpoint = new URL(rerankEndpoint(parsed.url));
        expect(endpoint.pathname.endsWith('/v1/rerank')).toBe(true);
        expect(endpoint.pathname).not.toContain('//');
      }),
      { numRuns: 300 },
    );
  });
});

describe('resolveApiBaseUrl', () => {
  const buildDefault = 'https://test.sealink.io';

  it('takes the query string first, then the stored URL, then the build default', () => {
    expect(
      resolveApiBaseUrl({
        search: '?base_url=http://127.0.0.1:4010/v1',
        stored: 'http://a.test',
        buildDefault,
      }),
    ).toBe('http://127.0.0.1:4010');
    expect(resolveApiBaseUrl({ search: '', stored: 'http://a.test/', buildDefault })).toBe('http://a.test');
    expect(resolveApiBaseUrl({ search: '', stored: null, buildDefault })).toBe(buildDefault);
  });

  it("takes a link's base_url only for this machine or the build default's server, never for a server a link chose", () => {
    // A link to the public docs with ?base_url=https://attacker.example would otherwise send the API key the
    // reader types to that server (as Swagger UI's ?url= did, turned off by default since 4.1.3).
    for (const foreign of [
      'https://attacker.example',
      'https://test.sealink.io.attacker.example',
      'http://test.sealink.io',
      'https://127.0.0.1.attacker.example',
      'http://localhost.attacker.example:4010',
      'http://10.0.0.5:8080',
    ]) {
      expect(
        resolveApiBaseUrl({ search: `?base_url=${encodeURIComponent(foreign)}`, stored: null, buildDefault }),
      ).toBe(buildDefault);
      expect(
        resolveApiBaseUrl({
          search: `?base_url=${encodeURIComponent(foreign)}`,
          stored: 'http://a.test',
          buildDefault,
        }),
      ).toBe('http://a.test');
    }
    for (const [local, expected] of [
      ['http://127.0.0.1:4010/v1', 'http://127.0.0.1:4010'],
      ['http://127.8.9.10:8080', 'http://127.8.9.10:8080'],
      ['http://localhost:8080/', 'http://localhost:8080'],
      ['http://LOCALHOST:8080', 'http://localhost:8080'],
      ['http://[::1]:8080', 'http://[::1]:8080'],
      ['https://test.sealink.io/v1', 'https://test.sealink.io'],
    ]) {
      expect(
        resolveApiBaseUrl({
          search: `?base_url=${encodeURIComponent(local!)}`,
          stored: 'http://a.test',
          buildDefault,
        }),
      ).toBe(expected);
    }
  });

  it('skips values that are not usable URLs', () => {
    expect(
      resolveApiBaseUrl({ search: '?base_url=javascript:alert(1)', stored: 'nonsense', buildDefault }),
    ).toBe(buildDefault);
  });
});
