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
  /** The query string, with its `?`, or `''`; credentials (`api_key=` and the like) are redacted. */
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

/** The value a redacted header or query parameter gets. */
export const REDACTED = '[redacted]';

/**
 * The headers whose value the journal redacts (names in lower case; matched whatever their case): the
 * standard ones (`authorization`, `proxy-authorization`, `cookie`, `set-cookie`), which undici drops on a
 * cross-origin redirect and request loggers redact, and the API-key and token headers of common gateways
 * and APIs (`x-api-key`; Azure's `api-key` and API Management's `ocp-apim-subscription-key`; Google's
 * `x-goog-api-key`; `x-auth-token`, `x-access-token`; AWS's `x-amz-security-token`).
 */
export const REDACTED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'ocp-apim-subscription-key',
  'x-goog-api-key',
  'x-auth-token',
  'x-access-token',
  'x-amz-security-token',
]);

/**
 * The query parameters whose value the journal redacts (names in lower case; matched whatever their
 * case, percent- and `+`-encoding decoded): API keys and tokens (`api_key`, `api-key`, `apikey`, `key`,
 * `subscription-key`, `access_token`, `token`, `id_token`, `refresh_token`, `client_secret`, `password`)
 * and OpenTelemetry's default list of signed-URL parameters (`AWSAccessKeyId`, `Signature`, `sig`,
 * `X-Goog-Signature`), with AWS SigV4's `X-Amz-Signature`, `X-Amz-Credential` and `X-Amz-Security-Token`.
 */
export const REDACTED_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'api_key',
  'api-key',
  'apikey',
  'key',
  'subscription-key',
  'access_token',
  'token',
  'id_token',
  'refresh_token',
  'client_secret',
  'password',
  'awsaccesskeyid',
  'signature',
  'sig',
  'x-goog-signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
]);

/** The headers that carry an authentication scheme, which the journal keeps (`Bearer [redacted]`). */
const SCHEME_HEADERS = new Set(['authorization', 'proxy-authorization']);

/**
 * The headers of a request for the journal (web `Headers`, or Node's already parsed ones), names in lower
 * case, with the {@link REDACTED_HEADERS} redacted: an
 * `Authorization: Bearer <key>` becomes `Bearer [redacted]`, so a test still sees the scheme.
 */
export function redactHeaders(headers: Headers | IncomingHttpHeaders): Record<string, string> {
  const redacted: Record<string, string> = {};
  const add = (value: string, givenName: string) => {
    const name = givenName.toLowerCase();
    if (!REDACTED_HEADERS.has(name)) {
      redacted[name] = value;
      return;
    }
    const scheme = /^(\w+)\s+\S/.exec(value)?.[1];
    redacted[name] = SCHEME_HEADERS.has(name) && scheme !== undefined ? `${scheme} ${REDACTED}` : REDACTED;
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

/** A query parameter's name as a server reads it: `+` and percent escapes decoded, in lower case. */
function decodedName(raw: string): string {
  const spaced = raw.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced).toLowerCase();
  } catch {
    // A malformed escape: compared as written.
    return spaced.toLowerCase();
  }
}

/**
 * The query string of a request for the journal (with its `?`, or `''`), with the value of every
 * {@link REDACTED_QUERY_PARAMETERS} parameter replaced by `[redacted]`; the rest stays as sent.
 */
export function redactSearch(search: string): string {
  if (search.length <= 1) return search;
  return `?${search
    .slice(1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      if (equals === -1) return part;
      const name = part.slice(0, equals);
      return REDACTED_QUERY_PARAMETERS.has(decodedName(name)) ? `${name}=${REDACTED}` : part;
    })
    .join('&')}`;
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
