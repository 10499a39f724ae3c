import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

/** The outcome of {@link readLimitedBody}. */
export type LimitedBody =
  | {
      kind: 'read';
      /** The body as UTF-8 text; bytes that are not UTF-8 become U+FFFD here, for the journal. */
      text: string;
      /** Whether the bytes were valid UTF-8: the API answers `invalid_utf8` when they were not. */
      validUtf8: boolean;
      /** The body's bytes as received, for the validating proxy to forward unchanged. */
      bytes: Uint8Array;
    }
  | { kind: 'too-large' }
  /** The body did not arrive in full within the deadline; the rest is left unread. */
  | { kind: 'timed-out' };

// `ignoreBOM` keeps a leading byte order mark in the text, as the real server's `Buffer.toString` does, so
// that `JSON.parse` refuses it there and here alike (400 `invalid_json`).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function decodeBody(bytes: Uint8Array): LimitedBody {
  return { kind: 'read', text: decoder.decode(bytes), validUtf8: isUtf8(bytes), bytes };
}

function declaredLength(value: string | null | undefined): number {
  return value === null || value === undefined ? Number.NaN : Number(value);
}

/**
 * Reads a request body as UTF-8 text (saying whether its bytes were valid UTF-8), up to `maxBytes`. A declared
 * `Content-Length` over the limit is refused before reading; a body that grows past it while streaming is
 * refused as soon as it does, and the rest is not read. A body that has not arrived in full within
 * `timeoutMs` is given up on the same way.
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
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<LimitedBody> {
  if (declaredLength(request.headers.get('content-length')) > maxBytes) return { kind: 'too-large' };
  if (incoming !== undefined) return readIncoming(incoming, maxBytes, timeoutMs);
  if (request.body === null) return decodeBody(new Uint8Array(0));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timed-out'>((resolve) => {
    if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  try {
    return await readWebStream(request.body.getReader(), maxBytes, deadline);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a web stream up to `maxBytes`, or until `deadline` resolves. */
async function readWebStream(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  deadline: Promise<'timed-out'>,
): Promise<LimitedBody> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await Promise.race([reader.read(), deadline]);
    if (next === 'timed-out') {
      await reader.cancel().catch(() => undefined);
      return { kind: 'timed-out' };
    }
    const { done, value } = next;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { kind: 'too-large' };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return decodeBody(chunks[0]!);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeBody(bytes);
}

function readIncoming(incoming: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<LimitedBody> {
  if (incoming.readableEnded) return Promise.resolve(decodeBody(new Uint8Array(0)));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          cleanup();
          incoming.pause();
          resolve({ kind: 'timed-out' });
        }, timeoutMs)
      : undefined;
    const cleanup = () => {
      clearTimeout(timer);
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
      resolve(decodeBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
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
