/** The first backoff wait, in milliseconds, when the server gives none. */
export const INITIAL_RETRY_DELAY_MS = 500;

/** The longest backoff wait, in milliseconds. */
export const MAX_RETRY_DELAY_MS = 8000;

/** The longest wait a server may ask for with `retry-after-ms` or `Retry-After`; longer asks fall back to backoff. */
export const MAX_SERVER_RETRY_DELAY_MS = 60_000;

/**
 * Whether an answer with this status is worth another try: the `x-should-retry` header (`true` or
 * `false`) when the server sends it, else 408, 409, 429 and every 5xx.
 */
export function shouldRetryStatus(status: number, headers: Headers): boolean {
  const override = headers.get('x-should-retry');
  if (override === 'true') return true;
  if (override === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** What {@link retryDelayMs} decides from. */
export interface RetryDelayInput {
  /** The headers of the failed answer; `undefined` after a connection error. */
  headers?: Headers | undefined;
  /** How many retries this call already made (0 before the first retry). */
  retriesDone: number;
  /** A random number in [0, 1), for the jitter; `Math.random` by default. */
  random?: () => number;
  /** The current time in milliseconds since the epoch, for `Retry-After` dates; `Date.now` by default. */
  now?: () => number;
}

/**
 * How long to wait before the next try, in milliseconds: `retry-after-ms`, else `Retry-After` (seconds
 * or an HTTP date) when it asks for 0 to 60 seconds, else exponential backoff from 0.5 s doubling to at
 * most 8 s, less up to 25 % jitter so that many clients do not retry in step.
 */
export function retryDelayMs(input: RetryDelayInput): number {
  const fromServer = serverRetryDelayMs(input.headers, input.now ?? Date.now);
  if (fromServer !== undefined) return fromServer;
  const random = input.random ?? Math.random;
  const backoff = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** input.retriesDone, MAX_RETRY_DELAY_MS);
  return backoff * (1 - random() * 0.25);
}

function serverRetryDelayMs(headers: Headers | undefined, now: () => number): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = parseNonNegativeNumber(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) return withinServerLimit(milliseconds);
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null) return undefined;
  const seconds = parseNonNegativeNumber(retryAfter);
  if (seconds !== undefined) return withinServerLimit(seconds * 1000);
  // An HTTP date names its weekday and month; this keeps Date.parse from reading numbers such as "-1".
  const date = /[a-z]/i.test(retryAfter) ? Date.parse(retryAfter) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return withinServerLimit(Math.max(0, date - now()));
}

function parseNonNegativeNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

function withinServerLimit(milliseconds: number): number | undefined {
  return milliseconds <= MAX_SERVER_RETRY_DELAY_MS ? milliseconds : undefined;
}
