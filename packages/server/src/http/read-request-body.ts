import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

/** The outcome of {@link readRequestBody}. */
export type RequestBodyRead =
  | {
      /** The body was read whole, within the limit. */
      status: 'complete';
      /** The body, decoded as UTF-8. */
      text: string;
    }
  | {
      /** The body was read whole, but its bytes are not valid UTF-8 (never silently replaced by U+FFFD). */
      status: 'invalid_utf8';
    }
  | {
      /** The declared or streamed size went over the limit; reading stopped there. */
      status: 'too_large';
    };

/** The error {@link readRequestBody} rejects with when the client goes away before the body's end. */
export class RequestBodyAbortedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the request body could not be read to its end', options);
    this.name = 'RequestBodyAbortedError';
  }
}

/** Options of {@link readRequestBody}. */
export interface ReadRequestBodyOptions {
  /** The most bytes accepted; one byte more stops the read with `too_large`. */
  maxBytes: number;
  /** The `Content-Length` header, when sent: a declared size over the limit answers before any byte is read. */
  contentLength?: string | undefined;
}

/** The body's text, or `invalid_utf8` when its bytes are not UTF-8 (checked with simdutf, then decoded). */
function decodeBody(buffer: Buffer): RequestBodyRead {
  return isUtf8(buffer) ? { status: 'complete', text: buffer.toString('utf8') } : { status: 'invalid_utf8' };
}

function declaredTooLarge(contentLength: string | undefined, maxBytes: number): boolean {
  if (contentLength === undefined) return false;
  const declared = Number(contentLength);
  return Number.isFinite(declared) && declared > maxBytes;
}

/**
 * Reads a request body with a size limit that holds while streaming, before any parsing: a declared
 * `Content-Length` over the limit stops at once, and a body that streams past the limit (chunked, or a
 * `Content-Length` that lies) stops at the first byte too many. Nothing past the limit is buffered.
 *
 * It reads straight from Node's `IncomingMessage` when the server runs on Node (the fast path: no web
 * stream in between), and from a web `ReadableStream` otherwise (in-process `app.request`, other runtimes).
 * It has no deadline of its own: callers race it against theirs.
 */
export function readRequestBody(
  source: IncomingMessage | ReadableStream<Uint8Array> | null,
  options: ReadRequestBodyOptions,
): Promise<RequestBodyRead> {
  if (declaredTooLarge(options.contentLength, options.maxBytes)) {
    return Promise.resolve({ status: 'too_large' });
  }
  if (source === null) return Promise.resolve({ status: 'complete', text: '' });
  if (source instanceof ReadableStream) return readWebStream(source, options);
  return readIncomingMessage(source, options);
}

function readIncomingMessage(
  incoming: IncomingMessage,
  options: ReadRequestBodyOptions,
): Promise<RequestBodyRead> {
  if (incoming.readableEnded) return Promise.resolve({ status: 'complete', text: '' });
  // The client went away before the read began (the request waited, say for its rate limit): the request's
  // 'error' and 'close' have been emitted already, so a read that waited for them would wait for ever.
  if (incoming.destroyed) {
    return Promise.reject(new RequestBodyAbortedError({ cause: incoming.errored ?? undefined }));
  }
  // Anonymous listeners that outlive the read harmlessly (they die with the request, and ignore events
  // once settled): cheaper per request than naming four functions and removing them again.
  return new Promise<RequestBodyRead>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    incoming.on('data', (chunk: Buffer) => {
      if (settled) return;
      length += chunk.length;
      if (length > options.maxBytes) {
        settled = true;
        // Stop reading; the HTTP adapter drains or drops the rest after the answer is sent.
        incoming.pause();
        chunks.length = 0;
        resolve({ status: 'too_large' });
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => {
      if (settled) return;
      settled = true;
      const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
      resolve(decodeBody(buffer));
    });
    incoming.on('error', (error: Error) => {
      if (settled) return;
      settled = true;
      reject(new RequestBodyAbortedError({ cause: error }));
    });
    incoming.on('close', () => {
      if (settled || incoming.readableEnded) return;
      settled = true;
      reject(new RequestBodyAbortedError());
    });
  });
}

async function readWebStream(
  stream: ReadableStream<Uint8Array>,
  options: ReadRequestBodyOptions,
): Promise<RequestBodyRead> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        throw new RequestBodyAbortedError({ cause: error });
      }
      if (next.done) break;
      length += next.value.byteLength;
      if (length > options.maxBytes) {
        await reader.cancel().catch(() => {});
        return { status: 'too_large' };
      }
      chunks.push(next.value);
    }
  } finally {
    reader.releaseLock();
  }
  return decodeBody(Buffer.concat(chunks, length));
}
