/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Defaults to 5. */
  failureThreshold?: number;
  /** How long an open circuit stays open before one trial call may pass, in milliseconds. Defaults to 10 000. */
  coolDownMs?: number;
  /** The clock, in milliseconds; injectable for tests. Defaults to `performance.now`. */
  now?: () => number;
}

/** The state of a {@link CircuitBreaker}. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker for one upstream replica: `closed` (calls pass) -> `open` after `failureThreshold`
 * consecutive failures (calls are refused) -> `half-open` once `coolDownMs` has passed (exactly one trial
 * call passes) -> `closed` when the trial succeeds, or `open` again for another cool-down when it fails.
 */
export class CircuitBreaker {
  readonly #failureThreshold: number;
  readonly #coolDownMs: number;
  readonly #now: () => number;
  #state: CircuitState = 'closed';
  #consecutiveFailures = 0;
  #openedAt = 0;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#failureThreshold = Math.max(1, options.failureThreshold ?? 5);
    this.#coolDownMs = Math.max(0, options.coolDownMs ?? 10_000);
    this.#now = options.now ?? (() => performance.now());
  }

  /** The current state; an open circuit whose cool-down has passed reads as `half-open`. */
  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#coolDownMs) return 'half-open';
    return this.#state;
  }

  /** Consecutive failures since the last success. */
  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  /** Milliseconds until an open circuit lets a trial call through; 0 when calls may pass now. */
  get remainingCoolDownMs(): number {
    if (this.#state !== 'open') return 0;
    return Math.max(0, this.#coolDownMs - (this.#now() - this.#openedAt));
  }

  /** Whether a call could pass now, without claiming the half-open trial. */
  canPass(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && !this.#trialInFlight);
  }

  /**
   * Claims permission for one call. Returns `false` when the circuit refuses it. In the half-open state,
   * the first caller gets the single trial and every other caller is refused until it reports back.
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#trialInFlight) return false;
    this.#state = 'half-open';
    this.#trialInFlight = true;
    return true;
  }

  /** Reports that a call passed by {@link tryAcquire} succeeded: closes the circuit. */
  recordSuccess(): void {
    this.#consecutiveFailures = 0;
    this.#trialInFlight = false;
    this.#state = 'closed';
  }

  /** Reports that a call passed by {@link tryAcquire} failed: opens the circuit at the threshold or after a failed trial. */
  recordFailure(): void {
    this.#consecutiveFailures++;
    const failedTrial = this.#state === 'half-open';
    this.#trialInFlight = false;
    if (failedTrial || this.#consecutiveFailures >= this.#failureThreshold) {
      this.#state = 'open';
      this.#openedAt = this.#now();
    }
  }

  /**
   * Reports that the half-open trial call ended without telling anything about the replica's health
   * (for example aborted by the client, or answered 429: busy, not broken), which frees the trial for the
   * next call. Report it for the trial only: a call passed while the circuit was closed, still in flight
   * after it opened, would otherwise free the trial while the trial is in flight.
   */
  recordNeutral(): void {
    if (this.#trialInFlight) {
      this.#trialInFlight = false;
    }
  }
}
