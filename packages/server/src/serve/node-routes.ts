import type { IncomingMessage, ServerResponse } from 'node:http';

/** A handler that answers a request straight on Node's request and response. */
export type NodeRouteHandler = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

/** Routes that an app also serves straight from `node:http`, bypassing its fetch handler. */
export interface NodeRoutes {
  /** The one method these routes answer; other methods go to the app's fetch handler. */
  readonly method: string;
  /** The handlers by exact path (no trailing slash, no percent-encoding); a query string is allowed. */
  readonly handlers: ReadonlyMap<string, NodeRouteHandler>;
}

const routesByApp = new WeakMap<object, NodeRoutes>();

/**
 * Declares that `app` also answers these routes straight from `node:http`, with behaviour identical to
 * its fetch handler's for the same request. `serveRerankApp` then dispatches them without the
 * fetch adapter: no web `Request` or `Response` per request.
 */
export function registerNodeRoutes(app: object, routes: NodeRoutes): void {
  routesByApp.set(app, routes);
}

/**
 * The `Host` values `@hono/node-server` takes as they are, without parsing them as a URL (its own
 * `reValidHost`): a lower-case host name or IPv4 address, with a port of four or five digits.
 */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/**
 * The `node:http` handler for a request, when `app` registered one for its method and path; `undefined`
 * sends the request to the app's fetch handler. Only an exact path (with an optional query string)
 * matches, so anything unusual (`/v1/rerank/`, an absolute URL, percent-encoding) gets the fetch
 * handler's answer; so does a `Host` that is not plainly a host name, which the fetch adapter checks
 * (400 `invalid_request_target` when it is no host at all, as on every other route).
 */
export function nodeRouteOf(app: object, incoming: IncomingMessage): NodeRouteHandler | undefined {
  const routes = routesByApp.get(app);
  if (routes === undefined || incoming.method !== routes.method) return undefined;
  const host = incoming.headers.host;
  if (host !== undefined && host !== '' && !PLAIN_HOST.test(host)) return undefined;
  const url = incoming.url ?? '';
  const query = url.indexOf('?');
  return routes.handlers.get(query === -1 ? url : url.slice(0, query));
}
