import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the scripted server received. */
export interface ScriptedRequest {
  /** The HTTP method. */
  method: string;
  /** The path and query. */
  url: string;
  /** The request headers. */
  headers: IncomingHttpHeaders;
  /** The body as text. */
  body: string;
}

/** Answers one request; `socket` allows faults below HTTP such as resets. */
export type ScriptedHandler = (request: ScriptedRequest, response: ServerResponse, socket: Socket) => void;

/** A raw `node:http` server for transport faults, counting connections. */
export interface ScriptedServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Every request received, in order. */
  requests: ScriptedRequest[];
  /** How many TCP connections were opened. */
  connections(): number;
  /** Stops the server and destroys every connection. */
  close(): Promise<void>;
}

/** Starts a `node:http` server on 127.0.0.1 and port 0 that answers with `handler`. */
export async function startScriptedServer(handler: ScriptedHandler): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: ScriptedRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      handler(request, response, incoming.socket);
    });
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Sends a JSON answer. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
