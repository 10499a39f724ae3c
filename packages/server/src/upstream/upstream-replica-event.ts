/**
 * A change in whether one upstream replica takes calls, for the operator's logs: its circuit breaker
 * opened (consecutive failures) or closed again (a call succeeded), or its active health check started
 * failing or passed again. Reported once per change, not per call.
 */
export interface UpstreamReplicaEvent {
  /** The upstream, as errors name it, for example `upstream.vllm`. */
  upstream: string;
  /** The replica's base URL, without a trailing slash. */
  baseUrl: string;
  /** What changed. */
  kind: 'circuit-opened' | 'circuit-closed' | 'health-check-failed' | 'health-check-passed';
  /**
   * Why, for `circuit-opened` and `health-check-failed`: the last failure as the operator may read it
   * (a connection error, a timeout, an error status), never an engine's own error text, which can quote
   * the documents.
   */
  reason?: string | undefined;
}

/** Receives {@link UpstreamReplicaEvent}s; a listener that throws is ignored. */
export type UpstreamReplicaEventListener = (event: UpstreamReplicaEvent) => void;

/** Calls `listener`, if any, with `event`, so that a listener that throws cannot break a call or a health check. */
export function reportReplicaEvent(
  listener: UpstreamReplicaEventListener | undefined,
  event: UpstreamReplicaEvent,
): void {
  if (listener === undefined) return;
  try {
    listener(event);
  } catch {
    // The listener is the operator's logging; scoring goes on without it.
  }
}
