import type { IncomingMessage } from 'node:http';

/** An answer that `serveRerankApp` wrote itself, outside the app. */
export interface OutsideAnswer {
  /** The HTTP status sent. */
  readonly status: number;
  /** The request id the answer carries, when known. */
  readonly requestId?: string | undefined;
  /**
   * The request this answer ends when the app already had it: its body broke (bad chunked framing, the
   * connection ended mid-body) while the app read or settled it. The app sees that request fail too, so
   * counts and logs it itself, once; absent for requests the app never saw.
   */
  readonly request?: IncomingMessage | undefined;
}

/** Told of each answer that `serveRerankApp` writes itself, outside the app. It must not throw. */
export type OutsideAnswerObserver = (answer: OutsideAnswer) => void;

const observersByApp = new WeakMap<object, OutsideAnswerObserver>();

/**
 * Declares that `app` wants to know of the requests `serveRerankApp` answers without it (malformed HTTP,
 * no or several `Host`, `CONNECT`, a target that is not a URL), for example to count them in its metrics.
 */
export function registerOutsideAnswerObserver(app: object, observer: OutsideAnswerObserver): void {
  observersByApp.set(app, observer);
}

/** The observer `app` registered with {@link registerOutsideAnswerObserver}, or `undefined`. */
export function outsideAnswerObserverOf(app: object): OutsideAnswerObserver | undefined {
  return observersByApp.get(app);
}

const drainCutObserversByApp = new WeakMap<object, () => void>();

/**
 * Declares that `app` wants to know when `serveRerankApp` cuts the connections still open at its drain
 * deadline, just before it does: the requests in flight on them then end without an answer, cut by the
 * server (not by their clients).
 */
export function registerDrainCutObserver(app: object, observer: () => void): void {
  drainCutObserversByApp.set(app, observer);
}

/** The observer `app` registered with {@link registerDrainCutObserver}, or `undefined`. */
export function drainCutObserverOf(app: object): (() => void) | undefined {
  return drainCutObserversByApp.get(app);
}
