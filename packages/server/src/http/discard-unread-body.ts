import type { IncomingMessage } from 'node:http';
import { settleUnreadBody } from './settle-unread-body.js';

/** How long the rest of an unread body may take to arrive before its connection is closed. */
export const DISCARD_TIMEOUT_MS = 500;
/** The most bytes of an unread body read and thrown away before its connection is closed. */
const DISCARD_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Throws away the rest of a request body after its answer was sent (a 413 that stopped reading), so the
 * connection closes only once the answer is out; a body that keeps coming past {@link DISCARD_MAX_BYTES}
 * or {@link DISCARD_TIMEOUT_MS} gets its connection closed. The same bounds as `@hono/node-server`
 * applies to the requests it serves, which does not export its helper; Node's own discard has no bound.
 */
export function discardUnreadBody(incoming: IncomingMessage): void {
  const settled = settleUnreadBody(incoming, { maxBytes: DISCARD_MAX_BYTES, timeoutMs: DISCARD_TIMEOUT_MS });
  if (settled === true) return;
  void settled.then((ended) => {
    if (!ended && !incoming.socket.destroyed) incoming.socket.destroySoon();
  });
}
