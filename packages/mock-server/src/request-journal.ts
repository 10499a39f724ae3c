import type { IncomingHttpHeaders } from 'node:http';
import type { MockFault } from './mock-fault.js';

/** One request the mock received, for test assertions. */
export interface JournalEntry {
  /** The request id, as sent back in `X-Request-Id`. */
  readonly requestId: string;
  /** The HTTP method. */
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The query string, with its `?`, or `''`. */
  readonly search: string;
  /** The request headers, names in lower case; credentials (`authorization` and the like) are redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body: the parsed JSON value, the raw text when it is not JSON, `undefined` when there is none or it was too large. */
  body: unknown;
  /** When the request arrived. */
  readonly receivedAt: Date;
  /** The fault applied to it, if any. */
  fault?: MockFault;
  /** The latency the mock added, in milliseconds, jitter included (from a latency fault or the `latency` option). */
  delayMs?: number;
  /** Whether it matched a route (false for answers `route_not_found`). */
  matchedRoute: boolean;
  /** The status of the answer, once it is sent; unset for a reset before the headers or a hang. */
  status?: number;
  /** In proxy mode: every way the upstream answer broke the contract (empty when it kept it). */
  contractViolations?: string[];
}

/** The value a redacted header gets. */
export const REDACTED = '[redacted]';

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie']);

/**
 * The headers of a request for the journal (web `Headers`, or Node's already parsed ones), names in lower
 * case, with credentials redacted: an
 * `Authorization: Bearer <key>` becomes `Bearer [redacted]`, so a test still sees the scheme.
 */
export function redactHeaders(headers: Headers | IncomingHttpHeaders): Record<string, string> {
  const redacted: Record<string, string> = {};
  const add = (value: string, name: string) => {
    if (!CREDENTIAL_HEADERS.has(name)) {
      redacted[name] = value;
      return;
    }
    const scheme = /^(\w+)\s+\S/.exec(value)?.[1];
    redacted[name] = name === 'authorization' && scheme !== undefined ? `${scheme} ${REDACTED}` : REDACTED;
  };
  if (headers instanceof Headers) {
    headers.forEach(add);
    return redacted;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) add(Array.isArray(value) ? value.join(', ') : value, name);
  }
  return redacted;
}

/** How many requests a journal keeps by default before it drops the oldest. */
export const DEFAULT_JOURNAL_LIMIT = 1000;

/** The journal of every request a mock received, oldest first, up to a limit (the oldest go first). */
export class RequestJournal {
  readonly #entries: JournalEntry[] = [];
  readonly #limit: number;

  /** @param limit how many requests to keep; the oldest are dropped past it. */
  constructor(limit = DEFAULT_JOURNAL_LIMIT) {
    if (!(Number.isInteger(limit) && limit >= 1))
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  /**
   * Every request, oldest first: a snapshot, so later requests, the limit and {@link clear} leave an array
   * already read unchanged (its entries are the journal's own, and get their `status` once answered).
   */
  get requests(): readonly JournalEntry[] {
    return [...this.#entries];
  }

  /** The requests that matched no route (a snapshot, as {@link requests}). */
  get unmatchedRequests(): readonly JournalEntry[] {
    return this.#entries.filter((entry) => !entry.matchedRoute);
  }

  /** Adds a request. */
  record(entry: JournalEntry): void {
    if (this.#entries.length >= this.#limit) this.#entries.shift();
    this.#entries.push(entry);
  }

  /** Empties the journal. */
  clear(): void {
    this.#entries.length = 0;
  }
}
