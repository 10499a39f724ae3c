import type { IncomingMessage } from 'node:http';

/**
 * Request headers of which Node keeps only the first value when a request repeats them (see
 * `message.headers` in Node's documentation); every other header's values are joined with `, `. Only the
 * headers the app reads need to be here, but the list is Node's whole list so that the two never differ.
 */
const FIRST_VALUE_ONLY: ReadonlySet<string> = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

/**
 * A request header by lower-case name, read from `incoming.rawHeaders`, with the value that
 * `incoming.headers[name]` would give (first value only for the headers Node keeps once, all values
 * joined with `, ` for the others; `set-cookie` and `cookie` are not read this way).
 *
 * Why: Node builds `incoming.headers` lazily, lower-casing and classifying every header of the request,
 * while the app reads four; scanning the raw pairs for those four costs less per request, and a server
 * answering with nothing else to do spends a measurable share of its time there (the server-overhead
 * benchmark, whose raw `node:http` side never reads a header).
 */
export function rawHeaderValue(incoming: IncomingMessage, name: string): string | undefined {
  const raw = incoming.rawHeaders;
  let value: string | undefined;
  for (let index = 0; index < raw.length; index += 2) {
    const rawName = raw[index]!;
    if (rawName.length !== name.length || rawName.toLowerCase() !== name) continue;
    const rawValue = raw[index + 1]!;
    if (value === undefined) {
      value = rawValue;
      if (FIRST_VALUE_ONLY.has(name)) return value;
    } else {
      value = `${value}, ${rawValue}`;
    }
  }
  return value;
}
