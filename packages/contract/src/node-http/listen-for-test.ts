import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * For tests: `server` listening on 127.0.0.1 port 0, with its port, disposed (`await using`) by cutting its
 * connections and closing it.
 */
export async function listenForTest<S extends Server>(
  server: S,
): Promise<S & { port: number } & AsyncDisposable> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(server, {
    port,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}
