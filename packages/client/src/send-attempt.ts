import { EventEmitter } from 'node:events';
import { type Dispatcher, request } from 'undici';
import { APIConnectionError, APIConnectionTimeoutError, type TimeoutPhase } from './api-connection-error.js';
import { APIUserAbortError } from './api-user-abort-error.js';
import { SeaLinkError } from './sea-link-error.js';

/** One HTTP exchange to send. */
export interface Attempt {
  /** The absolute URL. */
  url: string;
  /** The HTTP method. */
  method: 'GET' | 'POST';
  /** The request headers, lower-case names. */
  headers: Record<string, string>;
  /** The request body. */
  body?: string | undefined;
  /** The dispatcher to send it through. */
  dispatcher: Dispatcher;
  /** The time limit of the whole exchange, in milliseconds. */
  timeoutMs: number;
  /** The caller's signal. */
  signal?: AbortSignal | undefined;
}

/** The response headers as undici gives them: lower-case names, repeated headers as arrays. */
export type RawHeaders = Record<string, string | string[] | undefined>;

/** A complete answer, whatever its status. */
export interface AttemptAnswer {
  /** The HTTP status. */
  status: number;
  /** The response headers, as undici gives them; {@link toHeaders} makes a `Headers` of them. */
  rawHeaders: RawHeaders;
  /** The whole response body as text. */
  text: string;
}

const UNDICI_TIMEOUT_PHASES: Readonly<Record<string, TimeoutPhase>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

/**
 * Sends one request with undici and reads the whole answer within `timeoutMs`.
 * @throws APIUserAbortError when the caller's signal aborts, APIConnectionTimeoutError when a limit is
 * hit, SeaLinkError when undici refuses the request (an invalid header), APIConnectionError for any
 * other transport failure.
 */
export async function sendAttempt(attempt: Attempt): Promise<AttemptAnswer> {
  const { signal } = attempt;
  if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
  // undici takes an EventEmitter as its abort signal. It costs far less per request than an
  // AbortController, whose AbortSignal is an EventTarget (measured: the hot path's largest client cost).
  const abort = new EventEmitter();
  let phase: TimeoutPhase = 'headers';
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.emit('abort');
  }, attempt.timeoutMs);
  const abortFromCaller = (): void => {
    abort.emit('abort');
  };
  signal?.addEventListener('abort', abortFromCaller, { once: true });
  try {
    const response = await request(attempt.url, {
      method: attempt.method,
      headers: attempt.headers,
      body: attempt.body ?? null,
      dispatcher: attempt.dispatcher,
      signal: abort,
    });
    phase = 'body';
    const text = await response.body.text();
    return { status: response.statusCode, rawHeaders: response.headers, text };
  } catch (error) {
    if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
    if (timedOut) throw new APIConnectionTimeoutError({ phase, timeoutMs: attempt.timeoutMs, cause: error });
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'UND_ERR_INVALID_ARG') {
      // A request that cannot be sent at all, such as a header value with a line break: not retried.
      // undici's message names the header, never its value.
      throw new SeaLinkError(`Invalid request: ${(error as Error).message}.`, { cause: error });
    }
    const undiciPhase = typeof code === 'string' ? UNDICI_TIMEOUT_PHASES[code] : undefined;
    if (undiciPhase !== undefined) throw new APIConnectionTimeoutError({ phase: undiciPhase, cause: error });
    const reason = error instanceof Error ? error.message : String(error);
    throw new APIConnectionError(`Connection error ${PHASE_TEXT[phase]}: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abortFromCaller);
  }
}

/** The first value of a raw response header, or `null`. */
export function rawHeaderValue(raw: RawHeaders, name: string): string | null {
  const value = raw[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

const PHASE_TEXT: Record<TimeoutPhase, string> = {
  connect: 'while connecting',
  headers: 'before the response headers',
  body: 'while reading the response body',
};

/** The `Headers` of undici's raw response headers. */
export function toHeaders(raw: RawHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.append(name, value);
  }
  return headers;
}
