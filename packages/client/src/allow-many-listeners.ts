import { EventEmitter, getMaxListeners, setMaxListeners } from 'node:events';

/**
 * Lets the caller's signal carry one abort listener per call in flight without Node's
 * `MaxListenersExceededWarning` (a signal shared by more than 10 parallel calls is normal use, not a leak),
 * as undici's `fetch` does: a limit the caller set is left alone.
 */
export function allowManyListeners(signal: AbortSignal): void {
  try {
    if (getMaxListeners(signal) === EventEmitter.defaultMaxListeners) setMaxListeners(1500, signal);
  } catch {
    // A signal that is not one of Node's (a polyfill): it has no listener limit to raise.
  }
}
