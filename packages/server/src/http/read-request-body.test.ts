import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RequestBodyAbortedError, readRequestBody } from './read-request-body.js';

function incoming(): PassThrough & IncomingMessage {
  return new PassThrough() as PassThrough & IncomingMessage;
}

describe('readRequestBody', () => {
  it('reads a body in chunks, multi-byte characters split across them', async () => {
    const stream = incoming();
    const reading = readRequestBody(stream, { maxBytes: 100 });
    const bytes = Buffer.from('{"q":"Straße 検索"}');
    stream.write(bytes.subarray(0, 9));
    stream.end(bytes.subarray(9));
    expect(await reading).toEqual({ status: 'complete', text: '{"q":"Straße 検索"}' });
  });

  it('stops at the first byte over the limit, and at once for a declared length over it', async () => {
    const stream = incoming();
    const reading = readRequestBody(stream, { maxBytes: 10 });
    stream.write('0123456789');
    stream.write('x');
    expect(await reading).toEqual({ status: 'too_large' });
    expect(await readRequestBody(incoming(), { maxBytes: 10, contentLength: '11' })).toEqual({
      status: 'too_large',
    });
    const exact = incoming();
    const exactReading = readRequestBody(exact, { maxBytes: 10, contentLength: '10' });
    exact.end('0123456789');
    expect(await exactReading).toEqual({ status: 'complete', text: '0123456789' });
  });

  it('rejects at once for a request whose client went away before the read began (the request waited, say for a rate limit)', async () => {
    const gone = incoming();
    gone.write('{"whole":"body"}');
    // Node's IncomingMessage emits no 'error' without a listener when its client goes away; this stand-in
    // stream would, as an uncaught error.
    gone.on('error', () => {});
    gone.destroy(new Error('aborted'));
    // Its 'close' has been and gone: a read that only listened for it would wait for the deadline.
    await new Promise((resolve) => setImmediate(resolve));
    await expect(readRequestBody(gone, { maxBytes: 100 })).rejects.toBeInstanceOf(RequestBodyAbortedError);
  });

  it('rejects when the stream closes or fails before its end', async () => {
    const closed = incoming();
    const reading = readRequestBody(closed, { maxBytes: 100 });
    closed.write('{"partial":');
    closed.destroy();
    await expect(reading).rejects.toBeInstanceOf(RequestBodyAbortedError);
    const failed = incoming();
    const failing = readRequestBody(failed, { maxBytes: 100 });
    failed.destroy(new Error('ECONNRESET'));
    await expect(failing).rejects.toBeInstanceOf(RequestBodyAbortedError);
  });

  it('reads web streams with the same limit', async () => {
    const chunks = ['ab', 'cd', 'ef'];
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      });
    expect(await readRequestBody(stream(), { maxBytes: 6 })).toEqual({ status: 'complete', text: 'abcdef' });
    expect(await readRequestBody(stream(), { maxBytes: 5 })).toEqual({ status: 'too_large' });
    expect(await readRequestBody(null, { maxBytes: 5 })).toEqual({ status: 'complete', text: '' });
  });

  it('reports bytes that are not UTF-8 instead of replacing them, from Node and web streams alike', async () => {
    const invalid = [
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
      Buffer.from('{"q":"caf\xe9"}', 'latin1'),
      Buffer.from([0xed, 0xa0, 0x80]), // a UTF-16 surrogate encoded as UTF-8
      Buffer.from('"Straße"').subarray(0, 6), // cut inside a two-byte character
    ];
    for (const bytes of invalid) {
      const stream = incoming();
      const reading = readRequestBody(stream, { maxBytes: 100 });
      stream.end(bytes);
      expect(await reading).toEqual({ status: 'invalid_utf8' });
      const web = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(bytes));
          controller.close();
        },
      });
      expect(await readRequestBody(web, { maxBytes: 100 })).toEqual({ status: 'invalid_utf8' });
    }
  });
});
