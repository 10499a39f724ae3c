import type { IncomingMessage } from 'node:http';

/** How long the rest of an unread body may take to arrive before its connection is closed. */
const DISCARD_TIMEOUT_MS = 500;
/** The most bytes of an unread body read and thrown away before its connection is closed. */
const DISCARD_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Throws away the rest of a request body that the answer did not need (a 401 or 415 sent before reading
 * it, a 413 that stopped reading), so a keep-alive connection can carry the next request; a body that
 * keeps coming past {@link DISCARD_MAX_BYTES} or {@link DISCARD_TIMEOUT_MS} gets its connection closed.
 * The same bounds as `@hono/node-server` applies to the requests it serves, which does not export its
 * helper; Node's own discard has no bound.
 */
export function discardUnreadBody(incoming: IncomingMessage): void {
  if (incoming.readableEnded || incoming.destroyed) return;
  let bytes = 0;
  const cleanup = () => {
    clearTimeout(timer);
    incoming.off('data', onData);
    incoming.off('end', cleanup);
    incoming.off('error', cleanup);
  };
  const forceClose = () => {
    cleanup();
    if (!incoming.socket.destroyed) incoming.socket.destroySoon();
  };
  const onData = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > DISCARD_MAX_BYTES) forceClose();
  };
  const timer = setTimeout(forceClose, DISCARD_TIMEOUT_MS);
  timer.unref();
  incoming.on('data', onData);
  incoming.on('end', cleanup);
  incoming.on('error', cleanup);
  incoming.resume();
}
