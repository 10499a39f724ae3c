import type { Dispatcher } from 'undici';
import { APIConnectionError, APIConnectionTimeoutError, type TimeoutPhase } from './api-connection-error.js';
import { APIUserAbortError } from './api-user-abort-error.js';
import type { SeaLinkDispatcher } from './client-options.js';
import { SeaLinkError } from './sea-link-error.js';

/** One HTTP exchange to send. */
export interface Attempt {
  /** The origin, for example `https://test.sealink.io`. */
  origin: string;
  /** The path with its query, for example `/v1/rerank`. */
  path: string;
  /** The HTTP method. */
  method: 'GET' | 'POST';
  /** The request headers, lower-case names. */
  headers: Record<string, string>;
  /** The request body. */
  body?: string | undefined;
  /** The dispatcher to send it through. */
  dispatcher: SeaLinkDispatcher;
  /** The time limit of the whole exchange, in milliseconds. */
  timeoutMs: number;
  /** The caller's signal. */
  signal?: AbortSignal | undefined;
  /** The credential the request sends, kept out of the request id an error carries should an answer echo it. */
  secret?: string | undefined;
  /**
   * Whether an error answer (status outside 2xx) with this status and these headers will be retried. Its
   * body is then not waited for: the attempt settles as the headers arrive, with
   * {@link AttemptAnswer.discarded}, and the body is dropped (see {@link sendAttempt}).
   */
  willRetry?: ((status: number, rawHeaders: RawHeaders) => boolean) | undefined;
}

/** The response headers as undici gives them: lower-case names, repeated headers as arrays. */
export type RawHeaders = Record<string, string | string[] | undefined>;

/** A complete answer, whatever its status. */
export interface AttemptAnswer {
  /** The HTTP status. */
  status: number;
  /** The response headers, as undici gives them; {@link toHeaders} makes a `Headers` of them. */
  rawHeaders: RawHeaders;
  /** The whole response body as text, or its start when {@link AttemptAnswer.truncated}. */
  text: string;
  /** Whether the body passed its size limit, so that the rest was not read and the request aborted. */
  truncated: boolean;
  /** Whether the body was not read, as {@link Attempt.willRetry} said the answer will be retried; `text` is empty. */
  discarded: boolean;
}

/** The largest 2xx response body the client reads, in bytes (64 MiB); a larger one is an error. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** How much of an error answer's body (status outside 2xx) the client keeps, in bytes (64 KiB). */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

const UNDICI_TIMEOUT_PHASES: Readonly<Record<string, TimeoutPhase>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

const PHASE_TEXT: Record<TimeoutPhase, string> = {
  connect: 'while connecting',
  headers: 'before the response headers',
  body: 'while reading the response body',
};

/**
 * Sends one request through the dispatcher and collects the whole answer within `timeoutMs`.
 *
 * This uses undici's dispatch handler API rather than `undici.request`: the body is small JSON that is
 * read whole anyway, so a stream and an abort signal per request are pure cost (measured: the signal
 * alone added more CPU per request than all the client's own work). The time limit settles the call
 * the moment it expires, even while undici is still connecting, and the request is aborted as soon as
 * undici can abort it.
 *
 * An error answer that {@link Attempt.willRetry} will retry settles as its headers arrive, without its
 * body, as openai-node cancels the body of an answer it retries: a body that is slow or stalls cannot
 * hold the retry (and the server's `Retry-After`) up until the time limit. What of the body arrives with
 * the headers is dropped, so that the keep-alive connection goes back to the pool; a body not complete
 * one turn of the event loop later is cut off with its connection, which neither leaks nor stays in the pool.
 * @throws APIUserAbortError when the caller's signal aborts, APIConnectionTimeoutError when a limit is
 * hit, SeaLinkError when undici refuses the request (an invalid header) or the client is closed,
 * APIConnectionError for any other transport failure.
 */
export function sendAttempt(attempt: Attempt): Promise<AttemptAnswer> {
  const { signal, timeoutMs } = attempt;
  if (signal?.aborted) return Promise.reject(new APIUserAbortError({ cause: signal.reason }));
  return new Promise<AttemptAnswer>((resolve, reject) => {
    let phase: TimeoutPhase = 'connect';
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let abortReason: Error | undefined;
    let status = 0;
    let rawHeaders: RawHeaders = {};
    const chunks: Buffer[] = [];
    let bodyBytes = 0;
    let bodyLimit = MAX_RESPONSE_BYTES;
    let ended = false;

    const settle = (error: Error | undefined, answer?: AttemptAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abortFromCaller);
      if (error === undefined) resolve(answer!);
      else reject(error);
    };
    const abortWith = (error: Error): void => {
      abortReason = error;
      settle(error);
      controller?.abort(error);
    };
    const answer = (truncated: boolean): AttemptAnswer => {
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      return { status, rawHeaders, text, truncated, discarded: false };
    };
    // Settles with the start of the body and aborts the rest, which also frees the connection.
    const stopReading = (): void => {
      settle(undefined, answer(true));
      controller?.abort(new SeaLinkError('The response body passed its size limit.'));
    };
    // Settles with the headers alone; the body is dropped as it comes, and cut off if not complete soon.
    const discardBody = (): void => {
      settle(undefined, { status, rawHeaders, text: '', truncated: false, discarded: true });
      setImmediate(() => {
        if (!ended) controller?.abort(new SeaLinkError('The body of an answer that is retried is not read.'));
      });
    };
    const timer = setTimeout(
      () =>
        abortWith(
          new APIConnectionTimeoutError({
            phase,
            timeoutMs,
            requestId: requestIdOfRaw(rawHeaders, attempt.secret),
          }),
        ),
      timeoutMs,
    );
    // A decision that throws reads the body as before, and the call fails as it would without one.
    const willRetry = (statusCode: number, headers: RawHeaders): boolean => {
      try {
        return attempt.willRetry?.(statusCode, headers) === true;
      } catch {
        return false;
      }
    };
    const abortFromCaller = (): void =>
      abortWith(
        new APIUserAbortError({
          cause: signal?.reason,
          requestId: requestIdOfRaw(rawHeaders, attempt.secret),
        }),
      );
    signal?.addEventListener('abort', abortFromCaller, { once: true });

    try {
      dispatch();
    } catch (error) {
      // undici's own dispatchers report errors to the handler; a dispatcher of the caller's may throw.
      const message = error instanceof Error ? error.message : String(error);
      settle(new SeaLinkError(`The dispatcher refused the request: ${message}`, { cause: error }));
    }

    function dispatch(): void {
      attempt.dispatcher.dispatch(
        {
          origin: attempt.origin,
          path: attempt.path,
          method: attempt.method,
          headers: attempt.headers,
          body: attempt.body ?? null,
        },
        {
          onRequestStart(requestController) {
            controller = requestController;
            if (abortReason !== undefined) requestController.abort(abortReason);
            else phase = 'headers';
          },
          onResponseStart(_controller, statusCode, headers) {
            phase = 'body';
            status = statusCode;
            rawHeaders = headers;
            const success = statusCode >= 200 && statusCode < 300;
            if (!success && willRetry(statusCode, headers)) {
              discardBody();
              return;
            }
            bodyLimit = success ? MAX_RESPONSE_BYTES : MAX_ERROR_BODY_BYTES;
            const declared = Number(rawHeaderValue(headers, 'content-length'));
            if (bodyLimit === MAX_RESPONSE_BYTES && declared > bodyLimit) stopReading();
          },
          onResponseData(_controller, chunk) {
            if (settled) return;
            const room = bodyLimit - bodyBytes;
            bodyBytes += chunk.length;
            if (chunk.length <= room) {
              chunks.push(chunk);
              return;
            }
            chunks.push(chunk.subarray(0, room));
            stopReading();
          },
          onResponseEnd() {
            ended = true;
            settle(undefined, answer(false));
          },
          onResponseError(_controller, error) {
            ended = true;
            settle(transportError(error, phase, requestIdOfRaw(rawHeaders, attempt.secret)));
          },
        },
      );
    }
  });
}

/** The client error for an error undici reports; `requestId` is the answer's, when its headers arrived. */
function transportError(error: Error, phase: TimeoutPhase, requestId: string | null): Error {
  const code = (error as { code?: unknown }).code;
  if (
    code === 'UND_ERR_INVALID_ARG' ||
    code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH' ||
    code === 'UND_ERR_NOT_SUPPORTED'
  ) {
    // A request that cannot be sent at all, such as a header value with a line break, a Content-Length
    // override that is not the body's length or an Expect header: not retried, as every try would fail
    // alike. undici's message names the header, never its value.
    return new SeaLinkError(`Invalid request: ${error.message}.`, { cause: error });
  }
  if (code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED') {
    return new SeaLinkError(`The client's connection pool is closed: ${error.message}.`, { cause: error });
  }
  const undiciPhase = typeof code === 'string' ? UNDICI_TIMEOUT_PHASES[code] : undefined;
  if (undiciPhase !== undefined) {
    return new APIConnectionTimeoutError({ phase: undiciPhase, cause: error, requestId });
  }
  return new APIConnectionError(`Connection error ${PHASE_TEXT[phase]}: ${error.message}`, {
    cause: error,
    requestId,
  });
}

/**
 * The request id of raw response headers (`{}` until they arrive): the first `X-Request-Id`, and of a
 * value a proxy joined with its own, the part before the first comma, as `requestIdOf` reads `Headers`;
 * `secret` (a credential the call sent) reads `[redacted]` should the id echo it. `null` when there is none.
 */
export function requestIdOfRaw(raw: RawHeaders, secret: string | undefined): string | null {
  const first = rawHeaderValue(raw, 'x-request-id')?.split(',', 1)[0]?.trim();
  return first === undefined || first === '' ? null : redactSecret(first, secret);
}

/** The `Headers` of undici's raw response headers, with `secret` (a credential the call sent) redacted from their values. */
export function toHeaders(raw: RawHeaders, secret?: string): Headers {
  const headers = new Headers();
  const safe = (value: string) => redactSecret(value, secret);
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, safe(item));
    else headers.append(name, safe(value));
  }
  return headers;
}

/**
 * Keys shorter than this (test keys such as `k` or `key`) are redacted only where they stand alone:
 * inside a word they are most likely part of it (`invalid_api_key`), not an echo.
 */
const SHORT_SECRET_LENGTH = 8;

/** Whether a character is a letter, a digit or `_`. */
const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/**
 * `text` with `secret` (a credential the call sent) replaced by `[redacted]`: every occurrence, or, of a
 * secret shorter than {@link SHORT_SECRET_LENGTH}, every occurrence without a letter, digit or `_` next to it.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret === '' || !text.includes(secret)) return text;
  if (secret.length >= SHORT_SECRET_LENGTH) return text.replaceAll(secret, '[redacted]');
  let redacted = '';
  let copied = 0;
  let at = text.indexOf(secret);
  while (at !== -1) {
    const end = at + secret.length;
    const inWord = WORD_CHARACTER.test(text.charAt(at - 1)) || WORD_CHARACTER.test(text.charAt(end));
    if (inWord) at = text.indexOf(secret, at + 1);
    else {
      redacted += `${text.slice(copied, at)}[redacted]`;
      copied = end;
      at = text.indexOf(secret, end);
    }
  }
  return redacted + text.slice(copied);
}

/** The first value of a raw response header, or `null`. */
export function rawHeaderValue(raw: RawHeaders, name: string): string | null {
  const value = raw[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
