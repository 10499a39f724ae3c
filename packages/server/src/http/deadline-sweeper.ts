/** Something with a deadline that a {@link DeadlineSweeper} expires. */
export interface SweptDeadline {
  /** When it expires, in `performance.now()` milliseconds. */
  readonly expiresAt: number;
  /** Called once, when the sweeper finds it expired. */
  expire(): void;
}

/** A deadline's place among a {@link DeadlineSweeper}'s open deadlines; {@link remove} stops watching it. */
export class SweepEntry {
  /** The deadline watched; `undefined` only for a sweeper's own ring head. */
  readonly deadline: SweptDeadline | undefined;
  /** The neighbours in the sweeper's ring, the entry itself when alone, `undefined` once removed. */
  #previous: SweepEntry | undefined;
  #next: SweepEntry | undefined;

  /** Entries are made by {@link DeadlineSweeper.add}. */
  constructor(deadline: SweptDeadline | undefined) {
    this.deadline = deadline;
    this.#previous = this;
    this.#next = this;
  }

  /** The entry after this one in its ring; `undefined` once removed. */
  get next(): SweepEntry | undefined {
    return this.#next;
  }

  /**
   * Links this entry into `anchor`'s ring, just before `anchor`.
   * @throws Error when this entry is already in a ring with others.
   */
  insertBefore(anchor: SweepEntry): void {
    if (this.#next !== this && this.#next !== undefined) throw new Error('the entry is already in a ring');
    const last = anchor.#previous!;
    this.#previous = last;
    this.#next = anchor;
    last.#next = this;
    anchor.#previous = this;
  }

  /** Stops watching the deadline (at once, in constant time); removing twice does nothing. */
  remove(): void {
    const previous = this.#previous;
    const next = this.#next;
    if (previous === undefined || next === undefined) return;
    previous.#next = next;
    next.#previous = previous;
    this.#previous = undefined;
    this.#next = undefined;
  }
}

/**
 * Expires request deadlines with one shared interval timer instead of a `setTimeout` per request. Open
 * deadlines sit in a doubly linked ring, so that a request costs a constant-time link and unlink with
 * no hashing and no table to grow or shrink (a `Set` rehashed itself as requests came and went, which
 * showed in the server-overhead benchmark's allocation profile). The timer only runs while some deadline
 * is open (it is unref'd, so it never keeps the process alive). Deadlines fire up to one interval late.
 */
export class DeadlineSweeper {
  /** The ring's head, which holds no deadline: the ring is empty when it points to itself. */
  readonly #head = new SweepEntry(undefined);
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  /** @param intervalMs how often open deadlines are checked; also the most a deadline fires late. */
  constructor(intervalMs: number) {
    this.#intervalMs = Math.max(1, Math.floor(intervalMs));
  }

  /** Starts watching a deadline; the entry's `remove` stops it. */
  add(deadline: SweptDeadline): SweepEntry {
    const entry = new SweepEntry(deadline);
    entry.insertBefore(this.#head);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), this.#intervalMs);
      this.#timer.unref();
    }
    return entry;
  }

  /** How many deadlines are watched now. */
  get size(): number {
    let count = 0;
    for (let entry = this.#head.next!; entry !== this.#head; entry = entry.next!) count++;
    return count;
  }

  #sweep(): void {
    const head = this.#head;
    if (head.next === head) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const now = performance.now();
    // Expired deadlines are unlinked first and expired after the walk: `expire` runs callers' code, which
    // may remove other entries.
    const expired: SweptDeadline[] = [];
    for (let entry = head.next!; entry !== head; ) {
      const next = entry.next!;
      if (entry.deadline!.expiresAt <= now) {
        expired.push(entry.deadline!);
        entry.remove();
      }
      entry = next;
    }
    for (const deadline of expired) deadline.expire();
  }
}
