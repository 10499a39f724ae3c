import { ERROR_KIND, SeaLinkError } from './sea-link-error.js';

/** The request never got a complete answer: the connection failed, was reset, or timed out. */
export class APIConnectionError extends SeaLinkError {
  override name = 'APIConnectionError';
  static override readonly [ERROR_KIND]: string = 'APIConnectionError';
  /**
   * The `X-Request-Id` of the answer when its headers arrived before the failure (a body that broke off or
   * ran out of time), to quote when asking for support; `null` when no answer started or it sent none.
   */
  readonly request_id: string | null;

  constructor(
    message = 'Connection error.',
    options?: { cause?: unknown; requestId?: string | null | undefined },
  ) {
    super(message, options);
    this.request_id = options?.requestId ?? null;
  }
}

/**
 * Which part of the exchange was running when a limit was hit: `connect` (opening a connection, or
 * waiting for a free one of the pool), `headers` (from sending the request to the response headers),
 * or `body` (reading the response body).
 */
export type TimeoutPhase = 'connect' | 'headers' | 'body';

/** A request ran out of time. `phase` and `timeoutMs` say which limit was hit. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
  static override readonly [ERROR_KIND]: string = 'APIConnectionTimeoutError';
  /** The part of the exchange that was running when the limit was hit. */
  readonly phase: TimeoutPhase;
  /** The limit, in milliseconds, when known (undici's own connect limit does not report it). */
  readonly timeoutMs: number | undefined;

  constructor(init: {
    phase: TimeoutPhase;
    timeoutMs?: number | undefined;
    cause?: unknown;
    message?: string;
    /** The answer's `X-Request-Id`, when its headers arrived. */
    requestId?: string | null | undefined;
  }) {
    super(init.message ?? describeTimeout(init.phase, init.timeoutMs), {
      cause: init.cause,
      requestId: init.requestId,
    });
    this.phase = init.phase;
    this.timeoutMs = init.timeoutMs;
  }
}

const PHASE_TEXT: Record<TimeoutPhase, string> = {
  connect: 'while connecting to the server',
  headers: 'waiting for the response headers',
  body: 'while reading the response body',
};

function describeTimeout(phase: TimeoutPhase, timeoutMs: number | undefined): string {
  const limit = timeoutMs === undefined ? 'its time limit' : `the ${timeoutMs} ms timeout`;
  return `Request hit ${limit} ${PHASE_TEXT[phase]}.`;
}
