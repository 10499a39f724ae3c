import type { ScoringAbort } from '../scoring/score-documents.js';
import type { DeadlineSweeper, SweepEntry, SweptDeadline } from './deadline-sweeper.js';
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
  readonly #sweepEntry: SweepEntry;
  readonly #watchClient: (onGone: () => void) => () => void;
  #controller: AbortController | undefined;
  #stopWatchingClient: (() => void) | undefined;
  #reason: Error | undefined;
  /** The pending race's rejecter (a request races one thing at a time: its body, then its backend). */
  #pendingReject: ((reason: unknown) => void) | undefined;
  /** Rejecters of further races pending at the same time, when there are any. */
  #morePendingRejects: Set<(reason: unknown) => void> | undefined;

  /**
   * @param timeoutMs the deadline, from now.
   * @param sweeper the app's sweeper, which calls {@link expire} when the deadline passes.
   * @param watchClient calls its callback if the client disconnects, and returns what stops watching;
   * called only when a backend reads {@link signal}.
   */
  constructor(timeoutMs: number, sweeper: DeadlineSweeper, watchClient: (onGone: () => void) => () => void) {
    this.#timeoutMs = timeoutMs;
    this.#watchClient = watchClient;
    this.expiresAt = performance.now() + timeoutMs;
    this.#sweepEntry = sweeper.add(this);
  }

  /** Aborts at the deadline or when the client disconnects; give it to backends. Set up on first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason === undefined) {
        this.#stopWatchingClient = this.#watchClient(() => this.#abort(new ClientDisconnectedError()));
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
      this.#addPendingReject(reject);
      work.then(
        (value) => {
          this.#deletePendingReject(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.#deletePendingReject(reject);
          reject(error);
        },
      );
    });
  }

  #addPendingReject(reject: (reason: unknown) => void): void {
    if (this.#pendingReject === undefined) {
      this.#pendingReject = reject;
      return;
    }
    this.#morePendingRejects ??= new Set();
    this.#morePendingRejects.add(reject);
  }

  #deletePendingReject(reject: (reason: unknown) => void): void {
    if (this.#pendingReject === reject) this.#pendingReject = undefined;
    else this.#morePendingRejects?.delete(reject);
  }

  /** The abort reason, once aborted. */
  get reason(): Error | undefined {
    return this.#reason;
  }

  /** Called by the sweeper when the deadline passes. */
  expire(): void {
    this.#abort(new RequestDeadlineError(this.#timeoutMs));
  }

  #abort(reason: Error): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const pendingReject = this.#pendingReject;
    const morePendingRejects = this.#morePendingRejects;
    this.#pendingReject = undefined;
    this.#morePendingRejects = undefined;
    pendingReject?.(reason);
    if (morePendingRejects !== undefined) for (const reject of morePendingRejects) reject(reason);
  }

  /** Stops watching the deadline and the client; call it once the request is answered. */
  [Symbol.dispose](): void {
    this.#sweepEntry.remove();
    this.#stopWatchingClient?.();
  }
}
