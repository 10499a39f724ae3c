import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { postToReplica } from './post-to-replica.js';
import { UpstreamAbort } from './upstream-abort.js';

/** A server on 127.0.0.1, port 0, and a pool to it; `await using` closes both. */
async function replica(listener: RequestListener, poolOptions: Pool.Options = {}) {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, poolOptions);
  return {
    pool,
    async [Symbol.asyncDispose]() {
      await pool.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const post = { path: '/rerank', headers: { 'content-type': 'application/json' }, body: '{"query":"q"}' };

describe('postToReplica', () => {
  it('sends the body and collects a chunked answer whole, with status and headers', async () => {
    await using target = await replica((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
        response.write('{"echo":');
        setTimeout(() => response.end(`${JSON.stringify(body)},"path":"${request.url}"}`), 5);
      });
    });
    const answer = await postToReplica(target.pool, post, new UpstreamAbort());
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('3');
    expect(JSON.parse(answer.text)).toEqual({ echo: '{"query":"q"}', path: '/rerank' });
  });

  it("rejects with the abort's reason in flight, and at once when already aborted", async () => {
    await using target = await replica(() => {
      // Never answers.
    });
    const abort = new UpstreamAbort();
    const pending = postToReplica(target.pool, post, abort);
    setTimeout(() => abort.abort(new Error('attempt timed out')), 20);
    await expect(pending).rejects.toThrow('attempt timed out');
    await expect(postToReplica(target.pool, post, abort)).rejects.toThrow('attempt timed out');
    expect(abort.listenerCount('abort')).toBe(0);
  });

  it("rejects with undici's error when the replica resets the connection or answers too much", async () => {
    await using resetting = await replica((request) => request.socket.destroy());
    await expect(postToReplica(resetting.pool, post, new UpstreamAbort())).rejects.toMatchObject({
      code: 'UND_ERR_SOCKET',
    });
    await using flooding = await replica((_request, response) => response.end('x'.repeat(10_000)), {
      maxResponseSize: 1_000,
    });
    await expect(postToReplica(flooding.pool, post, new UpstreamAbort())).rejects.toMatchObject({
      code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE',
    });
  });
});
