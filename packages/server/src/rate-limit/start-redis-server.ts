import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A Redis server started for a test, stopped when disposed. */
export interface RedisServerHandle extends AsyncDisposable {
  /** The port it listens on, on 127.0.0.1. */
  port: number;
  /** Stops the server. */
  stop(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, as with a stalled Redis. */
  pause(): void;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

/** How many ports {@link startRedisServer} tries when another process takes the one it picked first. */
const PORT_ATTEMPTS = 5;

/**
 * Starts a real `redis-server` (Debian's, at /usr/bin/redis-server by default) on 127.0.0.1 and a free
 * port, without persistence, and waits until it accepts connections. For tests and benchmarks.
 *
 * The port is free when it is picked, but another process (a test running in parallel) may bind it before
 * Redis does: Redis then exits with "Address already in use", and it is started again on another port.
 */
export async function startRedisServer(executable = '/usr/bin/redis-server'): Promise<RedisServerHandle> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startRedisServerOn(executable, port);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/** Redis exited because another process had bound its port. */
class PortTakenError extends Error {}

async function startRedisServerOn(executable: string, port: number): Promise<RedisServerHandle> {
  const child: ChildProcess = spawn(
    executable,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start in 10 s:\n${output}`)),
      10_000,
    );
    child.stdout?.on('data', () => {
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // 'close', not 'exit': the output, which says why Redis stopped, may not all be read at 'exit'.
    child.once('close', (code) => {
      clearTimeout(timer);
      const message = `redis-server exited with code ${code}:\n${output}`;
      reject(output.includes('Address already in use') ? new PortTakenError(message) : new Error(message));
    });
  });
  await ready;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  return {
    port,
    stop,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    [Symbol.asyncDispose]: stop,
  };
}

/**
 * A connected ioredis client of a test's Redis server that fails commands at once while disconnected (no
 * offline queue) and retries each `maxRetriesPerRequest` times; its connection errors, which a test that
 * stops or pauses the server provokes, are ignored.
 */
export async function connectRedisClient(
  server: RedisServerHandle,
  maxRetriesPerRequest: number,
): Promise<Redis> {
  const client = new Redis({
    port: server.port,
    host: '127.0.0.1',
    enableOfflineQueue: false,
    lazyConnect: true,
    maxRetriesPerRequest,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}
