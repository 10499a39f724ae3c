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
 * How long to wait before the next try, in milliseconds: `retry-after-ms` (decimal digits), else
 * `Retry-After` (decimal seconds or an HTTP date, in any of its three forms) when it asks for 0 to 60 seconds; any other
 * value is ignored, else exponential backoff from 0.5 s doubling to at
 * most 8 s, less up to 25 % jitter so that many clients do not retry in step.
 */
export function retryDelayMs(input: RetryDelayInput): number {
  const fromServer = serverRetryDelayMs(input.headers, input.now ?? Date.now);
  if (fromServer !== undefined) return fromServer;
  const random = input.random ?? Math.random;
  const backoff = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** input.retriesDone, MAX_RETRY_DELAY_MS);
  return backoff * (1 - random() * 0.25);
}

/** `delay-seconds` of RFC 9110 (fractions allowed), and the same digits for `retry-after-ms`. */
const DECIMAL_PATTERN = /^\d+(?:\.\d+)?$/;

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DAY_NAME = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const TIME_OF_DAY = '\\d{2}:\\d{2}:\\d{2}';

/** An IMF-fixdate, the one HTTP-date form senders must use: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE_PATTERN = new RegExp(`^${DAY_NAME}, \\d{2} ${MONTH} \\d{4} ${TIME_OF_DAY} GMT$`);

/**
 * The two obsolete HTTP-date forms, which RFC 9110 (5.6.7) has recipients accept as well: RFC 850's
 * `Sunday, 06-Nov-94 08:49:37 GMT` and asctime's `Sun Nov  6 08:49:37 1994`, which is in GMT too.
 */
const RFC_850_DATE_PATTERN = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-${MONTH}-\\d{2} ${TIME_OF_DAY} GMT$`,
);
const ASCTIME_DATE_PATTERN = new RegExp(`^${DAY_NAME} ${MONTH} (?:\\d{2}| \\d) ${TIME_OF_DAY} \\d{4}$`);

function serverRetryDelayMs(headers: Headers | undefined, now: () => number): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = parseDecimal(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) return withinServerLimit(milliseconds);
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter === undefined) return undefined;
  const seconds = parseDecimal(retryAfter);
  if (seconds !== undefined) return withinServerLimit(seconds * 1000);
  const date = parseHttpDate(retryAfter);
  if (date === undefined) return undefined;
  return withinServerLimit(Math.max(0, date - now()));
}

/**
 * The time of an HTTP date in any of its three forms, in milliseconds since the epoch. Only the HTTP-date
 * grammar: Date.parse alone reads junk such as "x 2" as a date in 2001 (no wait). An asctime date has no
 * zone, which Date.parse would take as local time: it is GMT. RFC 850's two-digit year is 20xx below 50,
 * as Date.parse reads it, which holds for any date within a minute of now until 2050.
 */
function parseHttpDate(value: string): number | undefined {
  let date = Number.NaN;
  if (IMF_FIXDATE_PATTERN.test(value) || RFC_850_DATE_PATTERN.test(value)) date = Date.parse(value);
  else if (ASCTIME_DATE_PATTERN.test(value)) date = Date.parse(`${value} GMT`);
  return Number.isNaN(date) ? undefined : date;
}

/** Plain decimal digits only: `Number` would also read hex (`0x10`), exponents (`1e3`) and signs. */
function parseDecimal(value: string | null): number | undefined {
  const text = value?.trim();
  if (text === undefined || !DECIMAL_PATTERN.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

function withinServerLimit(milliseconds: number): number | undefined {
  return milliseconds <= MAX_SERVER_RETRY_DELAY_MS ? milliseconds : undefined;
}
