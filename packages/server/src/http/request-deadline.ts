import type { ScoringAbort } from '../scoring/score-documents.js';
import type { DeadlineSweeper, SweptDeadline } from './deadline-sweeper.js';
import { ClientDisconnectedError, RequestDeadlineError } from './request-abort-reasons.js';

/**
 * One request's abort: its deadline rejects every pending {@link race} (the server races the body read
 * and the backend against it, so work that ignores its signal cannot hold the answer) and aborts `signal`;
 * the client going away does the same.
 *
 * Built for the hot path, where it runs once per request: the deadline is watched by a shared
 * {@link DeadlineSweeper} rather than a timer of its own, and the `AbortSignal` (and the watch on the
 * client's connection) is only set up when a backend reads `signal`; creating an `AbortSignal` costs
 * more than the rest of the request's bookkeeping together. A race keeps its rejecter only while it is
 * pending: a promise that stayed pending for the request's life and collected reactions would keep every
 * result it was raced against reachable from wherever the deadline lives, and the young generation's
 * garbage collector would then promote whole requests to the old generation.
 */
export class RequestDeadline implements ScoringAbort, SweptDeadline, Disposable {
  /** When the deadline passes, in `performance.now()` milliseconds. */
  readonly expiresAt: number;
  readonly #timeoutMs: number;
  readonly #sweeper: DeadlineSweeper;
  readonly #watchClient: (onGone: () => void) => () => void;
  #controller: AbortController | undefined;
  #stopWatchingClient: (() => void) | undefined;
  #reason: Error | undefined;
  readonly #pendingRejects = new Set<(reason: unknown) => void>();

  /**
   * @param timeoutMs the deadline, from now.
   * @param sweeper the app's sweeper, which calls {@link expire} when the deadline passes.
   * @param watchClient calls its callback if the client disconnects, and returns what stops watching;
   * called only when a backend reads {@link signal}.
   */
  constructor(timeoutMs: number, sweeper: DeadlineSweeper, watchClient: (onGone: () => void) => () => void) {
    this.#timeoutMs = timeoutMs;
    this.#sweeper = sweeper;
    this.#watchClient = watchClient;
    this.expiresAt = performance.now() + timeoutMs;
    sweeper.add(this);
  }

  /** Aborts at the deadline or when the client disconnects; give it to backends. Set up on first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason === undefined) {
        this.#stopWatchingClient = this.#watchClient(this.#onClientAbort);
      } else {
        this.#controller.abort(this.#reason);
      }
    }
    return this.#controller.signal;
  }

  /** Settles like `work`, or rejects with the abort reason as soon as the request is aborted. */
  race<T>(work: PromiseLike<T>): Promise<T> {
    if (this.#reason !== undefined) return Promise.reject(this.#reason);
    return new Promise<T>((resolve, reject) => {
      this.#pendingRejects.add(reject);
      work.then(
        (value) => {
          this.#pendingRejects.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.#pendingRejects.delete(reject);
          reject(error);
        },
      );
    });
  }

  /** The abort reason, once aborted. */
  get reason(): Error | undefined {
    return this.#reason;
  }

  /** Called by the sweeper when the deadline passes. */
  expire(): void {
    this.#abort(new RequestDeadlineError(this.#timeoutMs));
  }

  readonly #onClientAbort = (): void => {
    this.#abort(new ClientDisconnectedError());
  };

  #abort(reason: Error): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
    for (const reject of this.#pendingRejects) reject(reason);
    this.#pendingRejects.clear();
  }

  /** Stops watching the deadline and the client; call it once the request is answered. */
  [Symbol.dispose](): void {
    this.#sweeper.delete(this);
    this.#stopWatchingClient?.();
  }
}
