/** The outcome of {@link readLimitedBody}. */
export type LimitedBody = { kind: 'read'; text: string } | { kind: 'too-large' };

const decoder = new TextDecoder();

/**
 * Reads a request body as UTF-8 text (invalid bytes become U+FFFD), up to `maxBytes`. A declared
 * `Content-Length` over the limit is refused before reading; a body that grows past it while streaming is
 * refused as soon as it does, and the rest is not read.
 *
 * Written here rather than taken from `hono/body-limit` because the mock needs the text itself (for the
 * journal, the fault rules and the contract's `parseJsonBody`) from the same single pass.
 */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) return { kind: 'too-large' };
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
