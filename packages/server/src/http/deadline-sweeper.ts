/** Something with a deadline that a {@link DeadlineSweeper} expires. */
export interface SweptDeadline {
  /** When it expires, in `performance.now()` milliseconds. */
  readonly expiresAt: number;
  /** Called once, when the sweeper finds it expired. */
  expire(): void;
}

/**
 * Expires request deadlines with one shared interval timer instead of a `setTimeout` per request: a
 * request costs a `Set` insert and delete, and the timer only runs while some request is open (it is
 * unref'd, so it never keeps the process alive). Deadlines fire up to one interval late.
 */
export class DeadlineSweeper {
  readonly #active = new Set<SweptDeadline>();
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  /** @param intervalMs how often open deadlines are checked; also the most a deadline fires late. */
  constructor(intervalMs: number) {
    this.#intervalMs = Math.max(1, Math.floor(intervalMs));
  }

  /** Starts watching a deadline. */
  add(deadline: SweptDeadline): void {
    this.#active.add(deadline);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), this.#intervalMs);
      this.#timer.unref();
    }
  }

  /** Stops watching a deadline; the timer stops at its next tick when nothing is left. */
  delete(deadline: SweptDeadline): void {
    this.#active.delete(deadline);
  }

  #sweep(): void {
    if (this.#active.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const now = performance.now();
    for (const deadline of this.#active) {
      if (deadline.expiresAt <= now) {
        this.#active.delete(deadline);
        deadline.expire();
      }
    }
  }
}
