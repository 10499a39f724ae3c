import { describe, expect, it } from 'vitest';
import { DeadlineSweeper } from './deadline-sweeper.js';
import { RequestDeadlineError } from './request-abort-reasons.js';
import { RequestDeadline } from './request-deadline.js';

describe('RequestDeadline on a DeadlineSweeper', () => {
  it('rejects whenAborted and aborts a signal read before or after the deadline', async () => {
    const sweeper = new DeadlineSweeper(5);
    const early = new RequestDeadline(20, sweeper, () => () => {});
    const signal = early.signal;
    await expect(early.race(new Promise(() => {}))).rejects.toBeInstanceOf(RequestDeadlineError);
    expect(signal.aborted).toBe(true);
    expect(early.reason).toBeInstanceOf(RequestDeadlineError);
    const late = new RequestDeadline(10, sweeper, () => () => {});
    await expect(late.race(new Promise(() => {}))).rejects.toThrow('10 ms');
    await expect(late.race(Promise.resolve(1))).rejects.toThrow('10 ms');
    expect(late.signal.aborted).toBe(true);
  });

  it('does not fire once disposed, and follows the client signal once read', async () => {
    const sweeper = new DeadlineSweeper(5);
    const disposed = new RequestDeadline(10, sweeper, () => () => {});
    disposed[Symbol.dispose]();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(disposed.reason).toBeUndefined();
    let clientGone: (() => void) | undefined;
    let watching = false;
    const followed = new RequestDeadline(60_000, sweeper, (onGone) => {
      clientGone = onGone;
      watching = true;
      return () => {
        watching = false;
      };
    });
    expect(await followed.race(Promise.resolve('done'))).toBe('done');
    const pending = followed.race(new Promise(() => {}));
    expect(clientGone).toBeUndefined();
    const signal = followed.signal;
    expect(watching).toBe(true);
    clientGone?.();
    expect(signal.aborted).toBe(true);
    expect((followed.reason as Error).name).toBe('ClientDisconnectedError');
    await expect(pending).rejects.toThrow(/closed the connection/);
    followed[Symbol.dispose]();
    expect(watching).toBe(false);
  });
});
