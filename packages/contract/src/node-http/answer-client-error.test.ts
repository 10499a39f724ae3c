import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ErrorResponse } from '../error-response.js';
import { answerClientError, answerConnectRequest, clientErrorResponse } from './answer-client-error.js';
import { listenForTest } from './listen-for-test.js';

/** A Node HTTP server on 127.0.0.1 port 0 that answers parser errors with {@link answerClientError}. */
async function startServer(options: ServerOptions, listener: RequestListener) {
  const server = createServer(options, listener);
  server.on('clientError', answerClientError);
  return await listenForTest(server);
}

/** Writes `first`, then `then.send` once `then.when` accepts what came back; resolves with all received until close. */
function rawExchange(
  port: number,
  first: string,
  then?: { when: (received: string) => boolean; send: string },
) {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let sent = false;
    socket.on('data', (data) => {
      received += data.toString('latin1');
      if (then !== undefined && !sent && then.when(received)) {
        sent = true;
        socket.write(then.send);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve(received);
      else reject(error);
    });
    socket.on('close', () => resolve(received));
    socket.on('connect', () => socket.write(first));
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`no close within 5 s; received ${JSON.stringify(received)}`));
    });
  });
}

function parseAnswer(raw: string) {
  const split = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = raw.slice(0, split).split('\r\n');
  const headers = new Map(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return { statusLine, headers, body: raw.slice(split + 4) };
}

const codedError = (code: string) => Object.assign(new Error(code), { code });

describe('clientErrorResponse', () => {
  it('is a complete HTTP/1.1 answer with the contract error body, its request id and an exact length', () => {
    const answer = parseAnswer(clientErrorResponse(codedError('HPE_INVALID_METHOD'), 'req_abc'));
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('x-request-id')).toBe('req_abc');
    expect(answer.headers.get('connection')).toBe('close');
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(answer.body));
    expect(ErrorResponse.parse(JSON.parse(answer.body)).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'malformed_http',
      request_id: 'req_abc',
    });
  });

  it('names header overflows, timeouts and chunk extension overflows by their own codes', () => {
    const codeOf = (error: Error) => {
      const answer = parseAnswer(clientErrorResponse(error, 'r'));
      return { status: answer.statusLine, code: JSON.parse(answer.body).error.code };
    };
    expect(codeOf(codedError('HPE_HEADER_OVERFLOW'))).toEqual({
      status: 'HTTP/1.1 400 Bad Request',
      code: 'headers_too_large',
    });
    expect(codeOf(codedError('ERR_HTTP_REQUEST_TIMEOUT'))).toEqual({
      status: 'HTTP/1.1 400 Bad Request',
      code: 'request_receive_timeout',
    });
    expect(codeOf(codedError('HPE_CHUNK_EXTENSIONS_OVERFLOW'))).toEqual({
      status: 'HTTP/1.1 413 Payload Too Large',
      code: 'chunk_extensions_too_large',
    });
    expect(codeOf(new Error('no code'))).toEqual({
      status: 'HTTP/1.1 400 Bad Request',
      code: 'malformed_http',
    });
  });

  it('generates a fresh request id per answer', () => {
    const idOf = (raw: string) => parseAnswer(raw).headers.get('x-request-id');
    const first = idOf(clientErrorResponse(new Error('x')));
    expect(first).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(idOf(clientErrorResponse(new Error('x')))).not.toBe(first);
  });
});

describe('answerClientError', () => {
  it('only destroys a socket whose peer reset it, writing nothing', () => {
    const socket = new PassThrough();
    answerClientError(codedError('ECONNRESET'), socket);
    expect(socket.destroyed).toBe(true);
    expect(socket.read()).toBeNull();
  });

  it('answers a request not received in time with the contract error body over a real socket', async () => {
    await using server = await startServer(
      { headersTimeout: 100, requestTimeout: 100, connectionsCheckingInterval: 20 },
      (_request, response) => response.end('unexpected'),
    );
    // The headers never end: Node's request timeout fires.
    const answer = parseAnswer(await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n'));
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    const { error } = ErrorResponse.parse(JSON.parse(answer.body));
    expect(error.code).toBe('request_receive_timeout');
    expect(error.request_id).toBe(answer.headers.get('x-request-id'));
  });

  it('writes no raw answer into a response that has already started: the 400 follows it once it ends, then the connection closes', async () => {
    await using server = await startServer({}, (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '13' });
      response.write('partial ');
      // Ended only after the garbage that follows on this connection has found this response in flight.
      setTimeout(() => response.end('rest.'), 200);
    });
    const raw = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', {
      when: (received) => received.includes('partial '),
      send: 'GARBAGE\r\n\r\n',
    });
    const split = raw.indexOf('HTTP/1.1 400 ');
    expect(raw.slice(0, split)).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\npartial rest\.$/);
    const answer = parseAnswer(raw.slice(split));
    expect(answer.headers.get('connection')).toBe('close');
    expect(ErrorResponse.parse(JSON.parse(answer.body)).error.code).toBe('malformed_http');
  });

  it('answers pipelined requests received before malformed bytes in full and in order, then the 400', async () => {
    await using server = await startServer({}, (request, response) => {
      // Answered later than the malformed bytes are parsed, as an app that awaits anything is.
      setTimeout(() => {
        const body = `answer to ${request.url}`;
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
        response.end(body);
      }, 50);
    });
    const raw = await rawExchange(
      server.port,
      'GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n',
    );
    const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1]);
    expect(statuses).toEqual(['200', '200', '400']);
    expect(raw.indexOf('answer to /first')).toBeLessThan(raw.indexOf('answer to /second'));
    const answer = parseAnswer(raw.slice(raw.indexOf('HTTP/1.1 400 ')));
    expect(ErrorResponse.parse(JSON.parse(answer.body)).error.code).toBe('malformed_http');
    expect(answer.headers.get('connection')).toBe('close');
  });

  it('answers a malformed body of the request in flight at once, without waiting for the app', async () => {
    let requests = 0;
    await using server = await startServer({}, (request) => {
      requests++;
      // The app waits for a body that never ends well: the parser's 400 must not wait for it.
      request.resume();
    });
    const raw = await rawExchange(
      server.port,
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n',
    );
    expect(requests).toBe(1);
    const answer = parseAnswer(raw);
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(ErrorResponse.parse(JSON.parse(answer.body)).error.code).toBe('malformed_http');
  });

  it('closes the connection when a response before the malformed bytes never ends, within the grace period', async () => {
    // A response that never ends (an app stuck, or the mock's hang fault): the connection, which can carry
    // nothing more after the malformed bytes, must not stay open for as long as the client likes.
    await using server = await startServer({}, () => {});
    const started = performance.now();
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      socket.on('connect', () => socket.write('GET /hang HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n'));
      socket.on('error', () => {});
      socket.on('close', () => resolve('closed'));
      setTimeout(() => {
        socket.destroy();
        resolve('still open');
      }, 8000).unref();
    });
    expect(outcome).toBe('closed');
    expect(performance.now() - started).toBeGreaterThan(4000);
  }, 15_000);

  it('survives a peer that resets the connection while a CONNECT waits for the response before it', async () => {
    // Node takes its own error listener off a CONNECT's socket: without one of ours, the reset would be an
    // uncaught exception that brings the whole server down.
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await using server = await startServer({}, (_request, response) => {
        setTimeout(() => response.end('ok'), 300);
      });
      server.on('connect', answerConnectRequest);
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => {});
      await new Promise((resolve) => socket.on('connect', resolve));
      socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\nCONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n');
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });
});
