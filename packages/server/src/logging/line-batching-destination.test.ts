import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogDestination, LineBatchingDestination } from './line-batching-destination.js';

const run = promisify(execFile);

/** A target that records each batch it is given. */
function recordingTarget() {
  const batches: string[] = [];
  let flushes = 0;
  return {
    batches,
    get flushes() {
      return flushes;
    },
    write(batch: Buffer) {
      batches.push(batch.toString('utf8'));
    },
    flush(callback: (error?: Error | null) => void) {
      flushes++;
      callback();
    },
    flushSync() {
      flushes++;
    },
  };
}

const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('LineBatchingDestination', () => {
  it('hands the lines of one burst to its target in one write, in order, after the delay', async () => {
    const target = recordingTarget();
    const destination = new LineBatchingDestination(target, { maxDelayMs: 5 });
    for (let index = 0; index < 100; index++) destination.write(`line ${index}\n`);
    expect(target.batches).toEqual([]);
    await wait(30);
    expect(target.batches).toHaveLength(1);
    expect(target.batches[0]).toBe(Array.from({ length: 100 }, (_, index) => `line ${index}\n`).join(''));
    destination.close();
  });

  it('writes at once when a batch is full, and first when the next line would not fit', () => {
    const target = recordingTarget();
    const destination = new LineBatchingDestination(target, { maxDelayMs: 60_000, maxBatchBytes: 12 });
    destination.write('12345\n');
    expect(target.batches).toEqual([]);
    destination.write('67890\n');
    expect(target.batches).toEqual(['12345\n67890\n']);
    destination.write('next\n');
    // 'é' is two bytes in UTF-8: 5 + 8 bytes do not fit in 12, so 'next' goes first.
    destination.write('éééé\n');
    expect(target.batches).toEqual(['12345\n67890\n', 'next\n']);
    destination.close();
    expect(target.batches).toEqual(['12345\n67890\n', 'next\n', 'éééé\n']);
  });

  it('hands a line longer than a batch over on its own, after the lines before it', () => {
    const target = recordingTarget();
    const destination = new LineBatchingDestination(target, { maxDelayMs: 60_000, maxBatchBytes: 8 });
    destination.write('a\n');
    destination.write(`${'€'.repeat(5)}\n`);
    destination.write('b\n');
    destination.close();
    expect(target.batches).toEqual(['a\n', `${'€'.repeat(5)}\n`, 'b\n']);
  });

  it('gives its target a batch it may keep: later lines do not change it', () => {
    const kept: Buffer[] = [];
    const destination = new LineBatchingDestination(
      { write: (batch) => kept.push(batch) },
      { maxDelayMs: 60_000 },
    );
    destination.write('first\n');
    destination.flushSync();
    destination.write('SECOND\n');
    destination.flushSync();
    expect(kept.map((batch) => batch.toString('utf8'))).toEqual(['first\n', 'SECOND\n']);
    destination.close();
  });

  it('hands pending lines over on flush and flushSync, and passes them on to the target', async () => {
    const target = recordingTarget();
    const destination = new LineBatchingDestination(target, { maxDelayMs: 60_000 });
    destination.write('a\n');
    await new Promise<void>((resolve, reject) =>
      destination.flush((error) => (error ? reject(error) : resolve())),
    );
    expect(target.batches).toEqual(['a\n']);
    destination.write('b\n');
    destination.flushSync();
    expect(target.batches).toEqual(['a\n', 'b\n']);
    expect(target.flushes).toBe(2);
    destination.close();
  });

  it("keeps pino's lines whole and in order through sonic-boom to a file", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sealink-log-')), 'server.log');
    const destination = createLogDestination(path);
    const logger = pino({ level: 'info' }, destination);
    for (let index = 0; index < 2000; index++) logger.info({ index, text: 'é'.repeat(index % 7) }, 'request');
    destination.flush();
    // sonic-boom writes asynchronously (its flush callback does not wait for the writes when minLength is
    // 0): wait until every line is in the file, for up to 10 s, which a loaded machine may need.
    let lines: string[] = [];
    const deadline = performance.now() + 10_000;
    while (lines.length < 2000 && performance.now() < deadline) {
      await wait(10);
      lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    }
    expect(lines).toHaveLength(2000);
    expect(lines.map((line) => (JSON.parse(line) as { index: number }).index)).toEqual(
      Array.from({ length: 2000 }, (_, index) => index),
    );
    destination.close();
  });

  it('loses no line when the process exits right after logging', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sealink-log-'));
    const path = join(directory, 'exit.log');
    const script = [
      `import { pino } from 'pino';`,
      `import { createLogDestination } from ${JSON.stringify(new URL('./line-batching-destination.ts', import.meta.url).pathname)};`,
      `const logger = pino({ level: 'info' }, createLogDestination(${JSON.stringify(path)}));`,
      `for (let index = 0; index < 500; index++) logger.info({ index }, 'before exit');`,
      'process.exit(3);',
    ].join('\n');
    const child = run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      cwd: new URL('../..', import.meta.url).pathname,
    });
    await expect(child).rejects.toMatchObject({ code: 3 });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(500);
    expect((JSON.parse(lines[499]!) as { index: number }).index).toBe(499);
  });
});
