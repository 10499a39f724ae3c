import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRedisClient, startRedisServer } from './start-redis-server.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * A stand-in for redis-server that fails like it when another process took its port first (the message
 * Redis 7 logs, exit code 1) on its first `failures` starts, then runs the real one.
 */
function portTakenFirst(failures: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'sealink-redis-'));
  folders.push(folder);
  const script = join(folder, 'redis-server');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `count_file=${JSON.stringify(join(folder, 'starts'))}`,
      'starts=$(cat "$count_file" 2>/dev/null || echo 0)',
      'echo $((starts + 1)) > "$count_file"',
      `if [ "$starts" -lt ${failures} ]; then`,
      '  echo "# Warning: Could not create server TCP listening socket 127.0.0.1:$2: bind: Address already in use"',
      '  echo "# Failed listening on port $2 (TCP), aborting."',
      '  exit 1',
      'fi',
      'exec /usr/bin/redis-server "$@"',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return script;
}

describe('startRedisServer', () => {
  it('starts again on another free port when a process took the one it picked before Redis bound it', async () => {
    await using server = await startRedisServer(portTakenFirst(2));
    const client = await connectRedisClient(server, 0);
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('still fails at once when Redis cannot start for another reason, with its output', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sealink-redis-'));
    folders.push(folder);
    const script = join(folder, 'redis-server');
    const starts = join(folder, 'starts');
    writeFileSync(
      script,
      `#!/bin/sh\necho started >> ${JSON.stringify(starts)}\necho "# Fatal error, can't open config file"\nexit 1\n`,
    );
    chmodSync(script, 0o755);
    await expect(startRedisServer(script)).rejects.toThrow(/exited with code 1:\n# Fatal error/);
    expect(readFileSync(starts, 'utf8')).toBe('started\n');
  });
});
