import type { IncomingMessage } from 'node:http';

/**
 * A request header of Node's `IncomingMessage` by lower-case name, as one string: Node's own value
 * (first value only for the headers Node keeps once, the others joined with `, `), and `set-cookie`'s
 * list joined the same way.
 *
 * Read from `incoming.headers` rather than by scanning `incoming.rawHeaders`: Node builds the headers
 * object before the request listener runs anyway (its own `Host` and `Expect` checks read it, on Node 20
 * and 24 alike), so a lookup there is the cheapest read and the one that can never disagree with Node.
 */
export function nodeHeaderValue(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
