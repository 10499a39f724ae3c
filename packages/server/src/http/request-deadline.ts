import type { ScoringAbort } from '../scoring/score-documents.js';
import type { DeadlineSweeper, SweptDeadline } from './deadline-sweeper.js';
import { ClientDisconnectedError, RequestDeadlineError } from './request-abort-reasons.js';

/**
 * One request's abort: its deadline rejects `whenAborted` (which the server races against the body read
 * and the backend, so work that ignores its signal cannot hold the answer) and aborts `signal`; the client
 * going away aborts `signal` too.
 *
 * Built for the hot path, where it runs once per request: the deadline is watched by a shared
 * {@link DeadlineSweeper} rather than a timer of its own, and the `AbortSignal` (and the watch on the
 * client's connection) is only set up when a backend reads `signal`; creating an `AbortSignal` costs
 * more than the rest of the request's bookkeeping together.
 */
export class RequestDeadline implements ScoringAbort, SweptDeadline, Disposable {
  /** Rejects with a {@link RequestDeadlineError} at the deadline. */
  readonly whenAborted: Promise<never>;
  /** When the deadline passes, in `performance.now()` milliseconds. */
  readonly expiresAt: number;
  readonly #timeoutMs: number;
  readonly #sweeper: DeadlineSweeper;
  readonly #clientSignal: () => AbortSignal;
  #controller: AbortController | undefined;
  #watchedClientSignal: AbortSignal | undefined;
  #reason: Error | undefined;
  #reject: (reason: unknown) => void = () => {};

  /**
   * @param timeoutMs the deadline, from now.
   * @param sweeper the app's sweeper, which calls {@link expire} when the deadline passes.
   * @param clientSignal gives the signal that aborts when the client disconnects; read only when a
   * backend reads {@link signal}.
   */
  constructor(timeoutMs: number, sweeper: DeadlineSweeper, clientSignal: () => AbortSignal) {
    this.#timeoutMs = timeoutMs;
    this.#sweeper = sweeper;
    this.#clientSignal = clientSignal;
    this.expiresAt = performance.now() + timeoutMs;
    this.whenAborted = new Promise<never>((_, reject) => {
      this.#reject = reject;
    });
    this.whenAborted.catch(() => {});
    sweeper.add(this);
  }

  /** Aborts at the deadline or when the client disconnects; give it to backends. Set up on first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason === undefined) {
        const client = this.#clientSignal();
        if (client.aborted) this.#onClientAbort();
        else {
          client.addEventListener('abort', this.#onClientAbort, { once: true });
          this.#watchedClientSignal = client;
        }
      } else {
        this.#controller.abort(this.#reason);
      }
    }
    return this.#controller.signal;
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
    this.#reject(reason);
  }

  /** Stops watching the deadline and the client; call it once the request is answered. */
  [Symbol.dispose](): void {
    this.#sweeper.delete(this);
    this.#watchedClientSignal?.removeEventListener('abort', this.#onClientAbort);
  }
}
