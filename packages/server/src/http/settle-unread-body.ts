import type { IncomingMessage } from 'node:http';

/** An `Expect` header that asks for `100 Continue` (the token is case-insensitive), as Node matches it. */
const EXPECTS_CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

/** The bounds of {@link settleUnreadBody}. */
export interface UnreadBodyLimits {
  /** The most bytes read and thrown away; a declared `Content-Length` over it is not read at all. */
  maxBytes: number;
  /** How long the rest of the body may take to arrive, in milliseconds. */
  timeoutMs: number;
}

/**
 * Reads and throws away what is left of a request body that its answer does not need (a 401 or 415 sent
 * before reading it, a 404 or 405), within `limits`, so the connection can carry the next request.
 * Returns `true` at once when nothing is left to read (no body, or one read to its end), else resolves
 * `true` once the body has ended, or `false` when it went over a bound, failed, its client went away, or
 * its client waits for a `100 Continue` that was never sent (the body is then not invited):
 * the connection cannot then carry another request, and an answer not yet written should say
 * `Connection: close` (as Go's net/http does for a body it will not read).
 */
export function settleUnreadBody(
  incoming: IncomingMessage,
  limits: UnreadBodyLimits,
): true | Promise<boolean> {
  if (incoming.readableEnded) return true;
  const { headers } = incoming;
  const contentLength = headers['content-length'];
  if (headers['transfer-encoding'] === undefined && (contentLength === undefined || contentLength === '0')) {
    return true;
  }
  if (incoming.destroyed || Number(contentLength) > limits.maxBytes) return Promise.resolve(false);
  // A client that waits for `100 Continue` before it sends its body, and was never invited (nothing read
  // the body yet): reading now would invite the upload of a body nobody needs. The answer goes out at once
  // and closes the connection instead, as Go's net/http does.
  if (incoming.readableFlowing === null && EXPECTS_CONTINUE.test(headers.expect ?? '')) {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    let bytes = 0;
    const settle = (ended: boolean) => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onGone);
      incoming.off('close', onGone);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) settle(false);
    };
    const onEnd = () => settle(true);
    const onGone = () => settle(false);
    const timer = setTimeout(onGone, limits.timeoutMs);
    timer.unref();
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onGone);
    incoming.on('close', onGone);
    incoming.resume();
  });
}
