import type { IncomingMessage } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ContractServerAnswer } from './contract-server-answer.js';
import { createContractHttpServer } from './create-contract-http-server.js';
import { listenForTest } from './listen-for-test.js';

/**
 * The contract's server on 127.0.0.1 port 0 answering 200 `ok` once it read a request's body, reporting
 * its own answers to `answered`.
 */
async function startServer(answered: ContractServerAnswer[], seen: IncomingMessage[] = []) {
  const server = createContractHttpServer(
    (incoming, outgoing) => {
      seen.push(incoming);
      incoming.on('end', () => outgoing.end('ok'));
      incoming.resume();
    },
    { onAnswered: (answer) => answered.push(answer) },
  );
  return await listenForTest(server);
}

/** Writes `bytes` on a fresh connection; resolves with what came back once the server closed it (5 s at most). */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
    });
    socket.on('error', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('connect', () => socket.write(bytes));
    socket.setTimeout(5000, () => socket.destroy());
  });
}

describe('createContractHttpServer', () => {
  it('reports each answer it gives outside the listener to onAnswered, with its status and code, and no other', async () => {
    const answered: ContractServerAnswer[] = [];
    await using server = await startServer(answered);
    const cases = [
      ['GARBAGE\r\n\r\n', 400, 'malformed_http'],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`, 400, 'headers_too_large'],
      ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400, 'malformed_http'],
      ['GET / HTTP/1.1\r\n\r\n', 400, 'missing_host'],
      ['GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n', 400, 'duplicate_host'],
      ['CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n', 405, 'method_not_allowed'],
    ] as const;
    for (const [bytes, status, code] of cases) {
      const received = await exchange(server.port, bytes);
      expect({ code, statusLine: received.slice(0, 12) }).toEqual({ code, statusLine: `HTTP/1.1 ${status}` });
    }
    expect(answered.map(({ status, code }) => ({ status, code }))).toEqual(
      cases.map(([, status, code]) => ({ status, code })),
    );
    // Requests the listener answers are its own to count.
    const ok = await exchange(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(ok).toMatch(/^HTTP\/1\.1 200 /);
    expect(answered).toHaveLength(cases.length);
  });

  it('reports malformed bytes after a valid request on the same connection once, after the valid answer', async () => {
    const answered: ContractServerAnswer[] = [];
    await using server = await startServer(answered);
    const received = await exchange(
      server.port,
      'GET / HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\nMORE GARBAGE\r\n\r\n',
    );
    expect(received).toMatch(/^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 400 /);
    expect(answered).toEqual([{ status: 400, code: 'malformed_http', requestId: expect.any(String) }]);
    // The malformed bytes are no part of the request the listener got, which was answered in full.
    expect(answered[0]!.request).toBeUndefined();
  });

  it('reports an answer to the broken body of a request the listener already has with that request and its X-Request-Id', async () => {
    const answered: ContractServerAnswer[] = [];
    const seen: IncomingMessage[] = [];
    await using server = await startServer(answered, seen);
    const received = await exchange(
      server.port,
      'POST / HTTP/1.1\r\nHost: x\r\nX-Request-Id: broken-body-1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n',
    );
    expect(received).toMatch(
      /^HTTP\/1\.1 400 [\s\S]*\r\nX-Request-Id: broken-body-1\r\n[\s\S]*"request_id":"broken-body-1"/,
    );
    // The listener sees that request fail too: it can count it once, with this answer, rather than twice.
    expect(seen).toHaveLength(1);
    expect(answered).toHaveLength(1);
    expect(answered[0]).toEqual({
      status: 400,
      code: 'malformed_http',
      requestId: 'broken-body-1',
      request: seen[0],
    });
    // Without an X-Request-Id of its own, the answer's fresh one is reported.
    const fresh = await exchange(
      server.port,
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    );
    expect(answered).toHaveLength(2);
    expect(answered[1]!.request).toBe(seen[1]);
    expect(fresh).toContain(`\r\nX-Request-Id: ${answered[1]!.requestId}\r\n`);
  });

  it('reports only the answers it writes: of pipelined requests without Host, the first, which closes the connection', async () => {
    const answered: ContractServerAnswer[] = [];
    await using server = await startServer(answered);
    const received = await exchange(server.port, 'GET / HTTP/1.1\r\n\r\n'.repeat(3));
    expect([...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]))).toEqual([400]);
    expect(answered).toEqual([{ status: 400, code: 'missing_host', requestId: expect.any(String) }]);
  });

  it('still answers, and keeps serving, when onAnswered throws', async () => {
    const server = createContractHttpServer(
      (incoming, outgoing) => {
        incoming.on('end', () => outgoing.end('ok'));
        incoming.resume();
      },
      {
        onAnswered: () => {
          throw new Error('metrics are broken');
        },
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await using _closer = {
      async [Symbol.asyncDispose]() {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
    const cases = [
      ['GARBAGE\r\n\r\n', 400],
      ['GET / HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n', 400],
      ['GET / HTTP/1.1\r\n\r\n', 400],
      ['CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n', 405],
    ] as const;
    for (const [bytes, status] of cases) {
      const received = await exchange(port, bytes);
      const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
      expect({ bytes, lastStatus: statuses.at(-1) }).toEqual({ bytes, lastStatus: status });
      expect(received).toMatch(/\r\n\r\n\{"error":\{/);
    }
    const ok = await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(ok).toMatch(/^HTTP\/1\.1 200 /);
  });
});
