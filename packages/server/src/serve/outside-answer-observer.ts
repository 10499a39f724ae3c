/** Told the status of each request that `serveRerankApp` answers itself, outside the app. It must not throw. */
export type OutsideAnswerObserver = (status: number) => void;

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
