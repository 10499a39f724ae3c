/**
 * The longest delay Node's timers take, in milliseconds (2^31 - 1, about 24.8 days). Node runs a timer set
 * above it after 1 ms instead (with a `TimeoutOverflowWarning`), so every millisecond option of the mock is
 * bounded by it: a latency would not delay at all, a request timeout would time out every body at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
