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

describe('RequestDeadline races', () => {
  it('rejects every race pending at once when the client goes, and none that settled before', async () => {
    const sweeper = new DeadlineSweeper(5);
    let clientGone: (() => void) | undefined;
    const deadline = new RequestDeadline(60_000, sweeper, (onGone) => {
      clientGone = onGone;
      return () => {};
    });
    expect(await deadline.race(Promise.resolve('first'))).toBe('first');
    const pending = [1, 2, 3].map(() => deadline.race(new Promise(() => {})));
    const settled = deadline.race(Promise.resolve('second'));
    expect(await settled).toBe('second');
    void deadline.signal;
    clientGone?.();
    for (const race of pending) await expect(race).rejects.toThrow(/closed the connection/);
    deadline[Symbol.dispose]();
  });
});

describe('DeadlineSweeper', () => {
  it('expires exactly the open deadlines that passed, whatever order they were added and removed in', async () => {
    const sweeper = new DeadlineSweeper(5);
    const expired: number[] = [];
    const now = performance.now();
    const entries = Array.from({ length: 12 }, (_, index) =>
      sweeper.add({
        // Even ones are already due; odd ones are far away.
        expiresAt: index % 2 === 0 ? now - 1 : now + 60_000,
        expire: () => expired.push(index),
      }),
    );
    expect(sweeper.size).toBe(12);
    // Removed before the sweep: 0 and 4 (due) and 3 (not due); removing twice does nothing.
    for (const index of [4, 0, 3, 4]) entries[index]!.remove();
    expect(sweeper.size).toBe(9);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(expired.sort((a, b) => a - b)).toEqual([2, 6, 8, 10]);
    expect(sweeper.size).toBe(5);
    for (const entry of entries) entry.remove();
    expect(sweeper.size).toBe(0);
  });

  it('lets an expiring deadline remove others that are open', async () => {
    const sweeper = new DeadlineSweeper(5);
    const now = performance.now();
    const expired: string[] = [];
    const later = sweeper.add({ expiresAt: now + 60_000, expire: () => expired.push('later') });
    sweeper.add({
      expiresAt: now - 1,
      expire: () => {
        expired.push('due');
        later.remove();
      },
    });
    const alsoDue = sweeper.add({ expiresAt: now - 1, expire: () => expired.push('also due') });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(expired).toEqual(['due', 'also due']);
    expect(sweeper.size).toBe(0);
    alsoDue.remove();
  });
});
