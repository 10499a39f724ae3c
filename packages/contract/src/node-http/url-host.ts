/**
 * A listen address as the host of a URL: an IPv6 address in brackets and in the canonical form a URL
 * parser gives it (`0:0:0:0:0:0:0:1` becomes `[::1]`, `::ffff:127.0.0.1` becomes `[::ffff:7f00:1]`),
 * anything else as it is. A request without a `Host` is given this host, so it must be the form the
 * fetch adapter's URL check accepts, or such requests would get 400 on those listeners only.
 */
export function urlHost(hostname: string): string {
  if (!hostname.includes(':')) return hostname;
  const bracketed = hostname.startsWith('[') ? hostname : `[${hostname}]`;
  try {
    return new URL(`http://${bracketed}/`).hostname;
  } catch {
    // Not an address a URL can carry (an IPv6 zone id, say): bracketed as given.
    return bracketed;
  }
}
