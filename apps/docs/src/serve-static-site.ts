import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';

/** Options of {@link serveStaticSite}. */
export interface ServeStaticSiteOptions {
  /** The folder to serve, for example the build's `dist`. */
  root: string;
  /** The port; 0 (any free port) by default. */
  port?: number;
  /** The address to listen on; `127.0.0.1` by default. */
  host?: string;
}

/** A running static file server; `await using` closes it. */
export interface StaticSiteServer extends AsyncDisposable {
  /** The server's URL, with a trailing slash, for example `http://127.0.0.1:41237/`. */
  url: string;
  /** Stops the server, ending open keep-alive connections. */
  close(): Promise<void>;
}

/** The methods a static site serves; the others get 405. */
const ALLOWED_METHODS = 'GET, HEAD';
/**
 * One byte range with positions of at most 15 digits (under 2^53: past it, `fs` refuses the position as
 * out of range).
 */
const SINGLE_RANGE = /^bytes=(\d{1,15})-(\d{0,15})$/;

/**
 * Whether sirv answers this `Range` value correctly: one `bytes=first-last` with `first <= last` and
 * `last > 0`, or `bytes=first-`. sirv reads any other as a range of its own making: `bytes=5-2` or a
 * `last` past 2^53 made it throw after writing the headers (crashing the process and leaving the
 * connection hanging), `bytes=abc`, `bytes=-5` and `bytes=0-0` got a 206 with the wrong bytes. A server
 * may ignore a `Range` (RFC 9110, section 14.2), so those get the whole file with 200.
 */
function isServableRange(range: string): boolean {
  const match = SINGLE_RANGE.exec(range);
  if (match === null) return false;
  const [, first, last] = match as unknown as [string, string, string];
  return last === '' || (Number(last) > 0 && Number(first) <= Number(last));
}

function answerPlainText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.statusCode = status;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.setHeader('content-type', 'text/plain; charset=utf-8');
  response.end(text);
}

/**
 * Serves a folder over HTTP with `sirv` (content types, ETags, `index.html` for folders, single byte
 * ranges), a plain 404 for anything else and 405 for methods other than GET and HEAD. Meant for local
 * previews and tests; any static host serves the build as well.
 */
export async function serveStaticSite(options: ServeStaticSiteOptions): Promise<StaticSiteServer> {
  const serveFiles = sirv(options.root, { dev: false, etag: true, dotfiles: false });
  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      answerPlainText(response, 405, 'Method not allowed\n', { allow: ALLOWED_METHODS });
      return;
    }
    const range = request.headers.range;
    if (range !== undefined && !isServableRange(range)) delete request.headers.range;
    try {
      serveFiles(request, response, () => answerPlainText(response, 404, 'Not found\n'));
    } catch (error) {
      // Not expected (the checks above keep sirv on the inputs it handles): a failed answer, never a crash.
      console.error('[serve-static-site] unexpected error:', error);
      if (response.headersSent) response.destroy();
      else answerPlainText(response, 500, 'Internal server error\n');
    }
  });
  // A CONNECT request has no route here: without this Node closes its connection with no answer. The
  // socket is the listener's from here on, its errors (a client that resets) included.
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${ALLOWED_METHODS}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      server.closeAllConnections();
    });
    return closing;
  };
  return { url: `http://${host}:${address.port}/`, close, [Symbol.asyncDispose]: close };
}
