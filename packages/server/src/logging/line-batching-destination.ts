import { openSync } from 'node:fs';
import { pino } from 'pino';

/**
 * Where a {@link LineBatchingDestination} hands its batches: a destination that takes bytes, such as
 * `pino.destination({ contentMode: 'buffer' })`.
 */
export interface LineBatchTarget {
  /** Takes one batch of whole lines, UTF-8 encoded. */
  write(batch: Buffer): unknown;
  /** Calls back once everything taken so far is written. */
  flush?(callback: (error?: Error | null) => void): void;
  /** Writes everything taken so far before returning. */
  flushSync?(): void;
}

/** Options of {@link LineBatchingDestination}. */
export interface LineBatchingOptions {
  /** The longest a line waits before it is handed over, in milliseconds; 100 by default. */
  maxDelayMs?: number | undefined;
  /**
   * The size of a batch in bytes, 262,144 (256 KiB) by default: a batch goes at once when it is full or
   * the next line would not fit. A longer line goes on its own.
   */
  maxBatchBytes?: number | undefined;
}

/**
 * A pino destination that collects log lines and hands them to its target in batches: when a batch of
 * `maxBatchBytes` is full, or `maxDelayMs` after its first line, whichever comes first. A line reaches the
 * target at most 100 ms late by default, and in the order it was logged.
 *
 * Why not give pino its `pino.destination()` (sonic-boom) directly: in asynchronous mode sonic-boom
 * starts a write to the file descriptor (`fs.write` on libuv's thread pool) as soon as the previous one
 * is done, so under load it writes a line or two at a time, and each write costs the event loop more
 * than the line's serialisation (a thread-pool round trip, a copy of the written string into a new Buffer,
 * events). Measured in the server-overhead benchmark (`apps/server/bench`), the request log line cost the
 * server about a tenth of its throughput through sonic-boom alone. sonic-boom stays the writer underneath,
 * for what it does well (non-blocking file descriptors, partial writes, `EAGAIN`, `EPIPE`), given each batch
 * as one Buffer (its `buffer` content mode), which spares it measuring and re-encoding strings (about half
 * a microsecond a line, measured).
 *
 * Each line is encoded into one reused staging buffer as it arrives, not kept as a string until its batch
 * goes: a string held for up to 100 ms outlives V8's young-generation collections (tens of milliseconds
 * apart under load), so every line was copied and promoted to the old generation, which made each
 * collection about three times as long (measured with `--trace-gc` in the server-overhead benchmark).
 *
 * Nothing is lost at exit: `flushSync` (which pino's exit handling and {@link flushSync} callers use)
 * hands the pending lines over first, and the process's `exit` does the same.
 */
export class LineBatchingDestination {
  readonly #target: LineBatchTarget;
  readonly #maxDelayMs: number;
  readonly #maxBatchBytes: number;
  /** The pending lines, UTF-8 encoded. */
  readonly #staging: Buffer;
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #exitReference = new WeakRef(this);

  constructor(target: LineBatchTarget, options: LineBatchingOptions = {}) {
    this.#target = target;
    this.#maxDelayMs = options.maxDelayMs ?? 100;
    this.#maxBatchBytes = Math.max(1, Math.floor(options.maxBatchBytes ?? 262_144));
    this.#staging = Buffer.allocUnsafeSlow(this.#maxBatchBytes);
    if (flushedAtExit.size === 0) process.once('exit', flushAtExit);
    flushedAtExit.add(this.#exitReference);
  }

  /** Takes one line (pino writes each log line with its newline); it reaches the target with its batch. */
  write(line: string): boolean {
    const free = this.#maxBatchBytes - this.#pendingBytes;
    // A UTF-16 code unit takes at most three bytes in UTF-8: most lines need no exact count.
    if (line.length * 3 > free) {
      const bytes = Buffer.byteLength(line, 'utf8');
      if (bytes > free) {
        this.#handOver();
        if (bytes > this.#maxBatchBytes) {
          this.#target.write(Buffer.from(line, 'utf8'));
          return true;
        }
      }
    }
    this.#pendingBytes += this.#staging.write(line, this.#pendingBytes, 'utf8');
    if (this.#pendingBytes >= this.#maxBatchBytes) this.#handOver();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(this.#handOver, this.#maxDelayMs);
      // The exit hook hands pending lines over, so the timer need not keep the process alive.
      this.#timer.unref();
    }
    return true;
  }

  /** Hands the pending lines over, then calls back once the target has written them. */
  flush(callback: (error?: Error | null) => void = () => {}): void {
    this.#handOver();
    if (this.#target.flush === undefined) callback();
    else this.#target.flush(callback);
  }

  /** Hands the pending lines over and has the target write everything before returning. */
  flushSync(): void {
    this.#handOver();
    this.#target.flushSync?.();
  }

  /** Hands the pending lines over and stops watching the process's exit; the target stays open. */
  close(): void {
    this.#handOver();
    flushedAtExit.delete(this.#exitReference);
    if (flushedAtExit.size === 0) process.off('exit', flushAtExit);
  }

  readonly #handOver = (): void => {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#pendingBytes === 0) return;
    // The target keeps the Buffer it is given until it has written it: it gets a copy, and the staging
    // buffer is reused.
    const batch = Buffer.from(this.#staging.subarray(0, this.#pendingBytes));
    this.#pendingBytes = 0;
    this.#target.write(batch);
  };
}

/**
 * The destinations to flush when the process exits, held weakly so that one that is dropped is not kept
 * alive (as pino's own exit hook, `on-exit-leak-free`, does; that package ships no types, and this is all
 * of it that is needed here).
 */
const flushedAtExit = new Set<WeakRef<LineBatchingDestination>>();

function flushAtExit(): void {
  for (const reference of flushedAtExit) {
    try {
      reference.deref()?.flushSync();
    } catch {
      // The target is closed or broken (for example a closed pipe): nothing more can be written at exit.
    }
  }
}

/**
 * The log destination of a server process: a file descriptor (1 for stdout) or a file path (opened for
 * appending before this returns, so that no line waits on the file being opened), written asynchronously
 * by `pino.destination()`, behind a {@link LineBatchingDestination}.
 */
export function createLogDestination(destination: number | string): LineBatchingDestination {
  const fd = typeof destination === 'number' ? destination : openSync(destination, 'a');
  // One write per batch: sonic-boom's default `maxWrite` (16 KiB) would cut a batch into several writes,
  // each a round trip through libuv's thread pool that costs the event loop far more than its bytes.
  const sonic = pino.destination({ dest: fd, sync: false, contentMode: 'buffer', maxWrite: 1_048_576 });
  return new LineBatchingDestination({
    // In its buffer content mode sonic-boom's `write` takes a Buffer; its type declares only strings.
    write: (batch) => sonic.write(batch as unknown as string),
    flush: (callback) => sonic.flush(callback),
    flushSync: () => sonic.flushSync(),
  });
}
