import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/**
 * Serves a folder over HTTP with `sirv` (content types, ETags, `index.html` for folders) and a plain 404
 * for anything else. Meant for local previews and tests; any static host serves the build as well.
 */
export async function serveStaticSite(options: ServeStaticSiteOptions): Promise<StaticSiteServer> {
  const serveFiles = sirv(options.root, { dev: false, etag: true, dotfiles: false });
  const server = createServer((request, response) => {
    serveFiles(request, response, () => {
      response.statusCode = 404;
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      response.end('Not found\n');
    });
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
