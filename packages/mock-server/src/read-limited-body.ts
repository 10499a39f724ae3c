import type { IncomingMessage } from 'node:http';

/** The outcome of {@link readLimitedBody}. */
export type LimitedBody = { kind: 'read'; text: string } | { kind: 'too-large' };

const decoder = new TextDecoder();

function declaredLength(value: string | null | undefined): number {
  return value === null || value === undefined ? Number.NaN : Number(value);
}

/**
 * Reads a request body as UTF-8 text (invalid bytes become U+FFFD), up to `maxBytes`. A declared
 * `Content-Length` over the limit is refused before reading; a body that grows past it while streaming is
 * refused as soon as it does, and the rest is not read.
 *
 * Given the Node request behind a `Request` (`incoming`, on @hono/node-server), it reads the socket's
 * stream directly, which spares the per-chunk cost of the web stream that `request.body` wraps around it.
 *
 * Written here rather than taken from `hono/body-limit` because the mock needs the text itself (for the
 * journal, the fault rules and the contract's `parseJsonBody`) from the same single pass.
 * @throws the stream's error when the client goes away in the middle of the body.
 */
export async function readLimitedBody(
  request: Request,
  maxBytes: number,
  incoming?: IncomingMessage,
): Promise<LimitedBody> {
  if (declaredLength(request.headers.get('content-length')) > maxBytes) return { kind: 'too-large' };
  if (incoming !== undefined) return readIncoming(incoming, maxBytes);
  if (request.body === null) return { kind: 'read', text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { kind: 'too-large' };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { kind: 'read', text: decoder.decode(chunks[0]) };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: 'read', text: decoder.decode(bytes) };
}

function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<LimitedBody> {
  if (incoming.readableEnded) return Promise.resolve({ kind: 'read', text: '' });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        cleanup();
        incoming.pause();
        resolve({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({
        kind: 'read',
        text: decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)),
      });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('The client closed the connection in the middle of the body.'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}
