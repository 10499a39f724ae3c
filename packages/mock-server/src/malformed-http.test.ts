import { connect } from 'node:net';
import { ErrorResponse } from '@sealink/rerank-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMockApp } from './create-mock-app.js';
import { useMockServer } from './testing/use-mock-server.js';

/** Writes raw bytes to the mock and resolves with all it sends back until the connection closes. */
async function rawExchange(port: number, bytes: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.setTimeout(5000, () =>
    socket.destroy(new Error('the mock did not close the connection within 5 s')),
  );
  socket.write(bytes, 'latin1');
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of socket) chunks.push(chunk as Buffer);
  } catch (error) {
    // The mock may close while the rest of an oversized request is still being written.
    if (!['ECONNRESET', 'EPIPE'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
  return Buffer.concat(chunks).toString('latin1');
}

/** The status and contract error of a raw answer, after checking its framing and request id. */
function contractError(raw: string) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:[ \t]*(.*)$`, 'im').exec(head)?.[1];
  expect(header('connection')).toBe('close');
  expect(Number(header('content-length'))).toBe(Buffer.byteLength(body));
  const { error } = ErrorResponse.parse(JSON.parse(body));
  expect(error.request_id).toBe(header('x-request-id'));
  return { status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]), error };
}

describe('requests Node’s parser rejects, over a socket', () => {
  const mock = useMockServer();

  it('answers a malformed request line with 400 malformed_http in the contract shape', async () => {
    const { status, error } = contractError(await rawExchange(mock().port, 'NOT A REQUEST\r\n\r\n'));
    expect(status).toBe(400);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'malformed_http' });
  });

  it('answers headers over the size limit with 400 headers_too_large, as the server does', async () => {
    const raw = await rawExchange(
      mock().port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    );
    const { status, error } = contractError(raw);
    expect(status).toBe(400);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'headers_too_large' });
  });

  it('answers what the adapter or Node would answer empty in the contract shape, as the server does', async () => {
    for (const [request, status, code] of [
      ['GET /healthz HTTP/1.1\r\nHost: bad host\r\n', 400, 'invalid_request_target'],
      ['GET /v1\\models HTTP/1.1\r\nHost: x\r\n', 400, 'invalid_request_target'],
      ['OPTIONS * HTTP/1.1\r\nHost: x\r\n', 400, 'invalid_request_target'],
      ['GET /healthz HTTP/1.1\r\n', 400, 'missing_host'],
      ['GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n', 400, 'duplicate_host'],
      ['CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n', 405, 'method_not_allowed'],
    ] as const) {
      const answer = contractError(await rawExchange(mock().port, `${request}Connection: close\r\n\r\n`));
      expect({ request, status: answer.status, code: answer.error.code }).toEqual({ request, status, code });
    }
  });

  it('answers an HTTP/1.0 request without Host and one with an empty Host, as the server does', async () => {
    for (const request of [
      'GET /healthz HTTP/1.0\r\n\r\n',
      'GET /v1/models HTTP/1.0\r\n\r\n',
      'GET /readyz HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n',
    ]) {
      const raw = await rawExchange(mock().port, request);
      expect({ request, statusLine: raw.slice(0, raw.indexOf('\r\n')) }).toEqual({
        request,
        statusLine: 'HTTP/1.1 200 OK',
      });
    }
  });

  it('answers a request with an unknown Expect as if it had none, not with an empty 417', async () => {
    const raw = await rawExchange(
      mock().port,
      'GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nConnection: close\r\n\r\n',
    );
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('still answers a good request after a bad one on another connection', async () => {
    await rawExchange(mock().port, 'GARBAGE\r\n\r\n');
    const answer = await fetch(`${mock().url}/healthz`);
    expect(answer.status).toBe(200);
    await answer.arrayBuffer();
  });

  it('property: a broken request line gets a 4xx in the contract shape with its request id, never a bare status line', async () => {
    const token = fc.string({
      minLength: 1,
      maxLength: 12,
      unit: fc.constantFrom(...'AZaz09 /:@{}<>"\\\t\x01\x7f'),
    });
    const brokenLine = fc
      .tuple(token, token, fc.constantFrom('HTTP/1.1', 'HTTP/9.9', 'HTTX/1.1', '', 'http/1.1'))
      .map(([method, target, version]) => `${method} ${target} ${version}`)
      .filter((line) => !/^[A-Z]+ \/\S* HTTP\/1\.1$/.test(line));
    await fc.assert(
      fc.asyncProperty(brokenLine, async (line) => {
        const raw = await rawExchange(mock().port, `${line}\r\nHost: x\r\n\r\n`);
        const { status } = contractError(raw);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});

describe('transfer codings, over a socket', () => {
  const mock = useMockServer();

  it('refuses a body compressed as a transfer coding (gzip, chunked) with 415, as the server does', async () => {
    const body = 'not really gzip';
    const raw = await rawExchange(
      mock().port,
      `POST /v1/rerank HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    );
    const { status, error } = contractError(raw);
    expect(status).toBe(415);
    expect(error).toMatchObject({ type: 'unsupported_media_type', code: 'unsupported_transfer_encoding' });
  });
});

describe('a body that does not arrive in time, over a socket', () => {
  const mock = useMockServer({ requestTimeoutMs: 300 });

  it('answers 400 request_receive_timeout and closes, as the server does, instead of waiting for Node’s 300 s', async () => {
    // Promises 100 bytes, sends 10 and then nothing: the socket stays open until the mock answers.
    const raw = await rawExchange(
      mock().port,
      'POST /v1/rerank HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":',
    );
    const { status, error } = contractError(raw);
    expect(status).toBe(400);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'request_receive_timeout' });
    expect(error.message).toContain('300 ms');
  });

  it('gives up on a web stream body in process the same way', async () => {
    const app = createMockApp({ requestTimeoutMs: 100 });
    const stalled = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('{"model":')),
    });
    const response = await app.request('/v1/rerank', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stalled,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(400);
    expect(response.headers.get('connection')).toBe('close');
    const { error } = ErrorResponse.parse(await response.json());
    expect(error.code).toBe('request_receive_timeout');
  });
});
