import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

/** A pino logger whose lines a test can read back. */
export interface CapturedLogger {
  /** The logger to inject. */
  logger: Logger;
  /** Every line written so far, raw. */
  lines: string[];
  /** Every line written so far, parsed. */
  records(): Record<string, unknown>[];
}

/** Creates a pino logger at `debug` level that writes its JSON lines to memory, synchronously. */
export function captureLogger(level = 'debug'): CapturedLogger {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(line);
      callback();
    },
  });
  const logger = pino({ level }, stream);
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
