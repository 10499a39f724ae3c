import { describe, expect, it } from 'vitest';
import { urlHost } from './url-host.js';

describe('urlHost', () => {
  it('brackets IPv6 addresses in their canonical form and leaves other hosts alone', () => {
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
    expect(urlHost('localhost')).toBe('localhost');
    expect(urlHost('::')).toBe('[::]');
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('[::1]')).toBe('[::1]');
    expect(urlHost('0:0:0:0:0:0:0:1')).toBe('[::1]');
    expect(urlHost('::ffff:127.0.0.1')).toBe('[::ffff:7f00:1]');
    expect(urlHost('FE80::A')).toBe('[fe80::a]');
    expect(urlHost('fe80::1%eth0')).toBe('[fe80::1%eth0]');
  });
});
