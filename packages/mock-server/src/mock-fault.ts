import { ERROR_TYPE_NAMES, type ErrorType, sanitizeRequestId } from '@sealink/rerank-contract';
import { z } from 'zod';

/** Rate-limit numbers sent as `x-ratelimit-*-requests` headers with an error fault. */
export interface MockRateLimit {
  /** Requests allowed per window: `x-ratelimit-limit-requests`. */
  limit: number;
  /** Requests left in the window: `x-ratelimit-remaining-requests`. */
  remaining: number;
  /** Seconds until the window resets: `x-ratelimit-reset-requests`. */
  resetSeconds: number;
}

/** An error answer in the contract's error shape, with the retry and rate-limit headers a server may send. */
export interface MockErrorFault {
  /** The kind of fault. */
  kind: 'error';
  /** The HTTP status, 400 to 599. */
  status: number;
  /** The error type of the body; by default the contract's type for `status`, else `internal_error` or `invalid_request_error`. */
  type?: ErrorType;
  /** The error code of the body; by default a code that fits the type, for example `rate_limited`. */
  code?: string;
  /** The error message of the body; by default one that names the fault. */
  message?: string;
  /** The raw `Retry-After` value: seconds (`"2"`) or an HTTP date. */
  retryAfter?: string;
  /** The `retry-after-ms` header, in milliseconds. */
  retryAfterMs?: number;
  /** The `x-should-retry` header. */
  shouldRetry?: boolean;
  /** The `x-ratelimit-*-requests` headers. */
  rateLimit?: MockRateLimit;
  /** More headers to send. */
  headers?: Record<string, string>;
}

/** A delay before the headers, or a body dribbled in chunks over the delay. */
export interface MockLatencyFault {
  /** The kind of fault. */
  kind: 'latency';
  /** The delay in milliseconds. */
  ms: number;
  /** Up to this many more milliseconds, drawn from the mock's seeded random generator. */
  jitterMs?: number;
  /** `before-headers` (the default) waits, then answers; `body` sends the headers, then the body in chunks spread over the delay. */
  phase?: 'before-headers' | 'body';
}

/** The connection is destroyed before any byte of the answer, or in the middle of the body. */
export interface MockResetFault {
  /** The kind of fault. */
  kind: 'reset';
  /** `before-headers`: nothing is sent; `mid-body`: the headers and half of the body are sent. */
  phase: 'before-headers' | 'mid-body';
}

/** A fault that replaces or spoils the answer of one request. */
export type MockFault =
  | MockErrorFault
  | MockLatencyFault
  | MockResetFault
  /** A 200 with an empty body. */
  | { kind: 'empty' }
  /** A 200 whose JSON body is cut in half. */
  | { kind: 'malformed-json' }
  /** Valid JSON that breaks the contract (a rerank answer out of order and without `usage`, or one result short when it has none). */
  | { kind: 'contract-violation' }
  /** No answer at all until the client gives up or the mock closes. */
  | { kind: 'hang' };

/** The kinds of {@link MockFault}. */
export type MockFaultKind = MockFault['kind'];

/** The headers that frame a body, which the mock sets itself. */
const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding']);

const headerValue = z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'header values must be printable');

/** The zod schema of {@link MockFault}, for faults that arrive as JSON (header, CLI, admin routes). */
export const MockFaultSchema: z.ZodType<MockFault> = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('error'),
    status: z.int().min(400).max(599),
    type: z.enum(ERROR_TYPE_NAMES).optional(),
    code: z.string().min(1).optional(),
    message: z.string().min(1).optional(),
    retryAfter: headerValue.optional(),
    retryAfterMs: z.number().min(0).optional(),
    shouldRetry: z.boolean().optional(),
    rateLimit: z
      .strictObject({
        limit: z.int().min(0),
        remaining: z.int().min(0),
        resetSeconds: z.number().min(0),
      })
      .optional(),
    headers: z
      .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'invalid header name'), headerValue)
      .superRefine((headers, context) => {
        // The mock frames the body itself: a Content-Length of the fault's own would cut the body short
        // (its rest read as the next answer on the keep-alive connection) or leave the client waiting.
        for (const name of Object.keys(headers)) {
          if (FRAMING_HEADERS.has(name.toLowerCase())) {
            context.addIssue({
              code: 'custom',
              message: `${name} is set by the mock from the body; a fault may not set it.`,
            });
          }
        }
        // The answer's request id, also in its body: one the contract allows, as a real server sends, and
        // given once (two spellings of the name would send both ids in one header).
        const ids = Object.keys(headers).filter((name) => name.toLowerCase() === 'x-request-id');
        if (ids.length > 1) {
          context.addIssue({
            code: 'custom',
            message: `x-request-id is given more than once (${ids.join(', ')}); give it once.`,
          });
        } else if (ids[0] !== undefined && sanitizeRequestId(headers[ids[0]]) !== headers[ids[0]]) {
          context.addIssue({
            code: 'custom',
            message: `${ids[0]} must be a request id: 1 to 128 letters, digits, '.', '_', ':' or '-'.`,
          });
        }
      })
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('latency'),
    ms: z.number().min(0).max(600_000),
    jitterMs: z.number().min(0).max(600_000).optional(),
    phase: z.enum(['before-headers', 'body']).optional(),
  }),
  z.strictObject({ kind: z.literal('reset'), phase: z.enum(['before-headers', 'mid-body']) }),
  z.strictObject({ kind: z.literal('empty') }),
  z.strictObject({ kind: z.literal('malformed-json') }),
  z.strictObject({ kind: z.literal('contract-violation') }),
  z.strictObject({ kind: z.literal('hang') }),
]) as z.ZodType<MockFault>;

/** The error thrown for a fault that is not a valid {@link MockFault}. */
export class InvalidMockFaultError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidMockFaultError';
  }
}

/**
 * Checks a fault given as a value (for callers without types) and returns it.
 * @throws InvalidMockFaultError when it is not a valid {@link MockFault}.
 */
export function checkMockFault(value: unknown): MockFault {
  return checkListedMockFault(value, undefined);
}

/**
 * {@link checkMockFault} for the fault at `index` of a list (`undefined` for a fault given alone): the
 * error names the index, so a test that queues many faults learns which one is wrong.
 * @throws InvalidMockFaultError when it is not a valid {@link MockFault}.
 */
export function checkListedMockFault(value: unknown, index: number | undefined): MockFault {
  const parsed = MockFaultSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const which = index === undefined ? '' : ` [${index}]`;
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at '${issue.path.join('.')}'`;
  throw new InvalidMockFaultError(
    `Invalid mock fault${which}${where}: ${issue?.message ?? 'unknown problem'}.`,
    { cause: parsed.error },
  );
}

/**
 * Parses a fault given as JSON text, as in the `x-mock-fault` header or the CLI's `--fault`.
 * @throws InvalidMockFaultError when the text is not JSON or not a valid {@link MockFault}.
 */
export function parseMockFault(text: string): MockFault {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidMockFaultError(`Invalid mock fault: not JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
  return checkMockFault(value);
}
