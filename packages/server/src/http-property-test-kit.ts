import { connect } from 'node:net';
import { ErrorResponse, sanitizeRequestId, statusOfErrorType } from '@sealink/rerank-contract';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ScoringBackend } from './backend/scoring-backend-v1.js';
import { createRerankApp, type RerankAppOptions } from './create-rerank-app.js';
import { ModelRegistry } from './registry/model-registry.js';
import { serveRerankApp } from './serve/serve-rerank-app.js';
import { captureLogger } from './testing/capture-logger.js';
import { ScriptedBackend } from './testing/scripted-backend.js';

/**
 * Shared pieces of the HTTP property tests (`*.property.test.ts`): a server on 127.0.0.1 port 0, a raw
 * HTTP/1.1 client that sends any method, path and header as written (fetch and undici refuse or rewrite
 * some), arbitraries of junk headers, and the check that an answer is the contract's error.
 */

/** The API key of {@link startPropertyServer}. */
export const PROPERTY_API_KEY = 'sk-property-test-key';

/** The request ids the contract echoes: what `sanitizeRequestId` keeps. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The app over a real socket, serving `modelIds` (`bm25` and `other` by default) from scripted backends
 * that score by word overlap, or from the ones `backends` gives by model id; `await using` closes it.
 */
export async function startPropertyServer(
  modelIds: readonly string[] = ['bm25', 'other'],
  overrides: Partial<RerankAppOptions> = {},
  backends: Readonly<Record<string, ScoringBackend>> = {},
) {
  const registry = new ModelRegistry(
    modelIds.map((id) => ({
      id,
      backend: Object.hasOwn(backends, id) ? backends[id]! : new ScriptedBackend(),
    })),
  );
  const app = createRerankApp({
    registry,
    auth: { apiKeys: [PROPERTY_API_KEY] },
    logger: captureLogger('fatal').logger,
    ...overrides,
  });
  const server = await serveRerankApp(app);
  return Object.assign(server, { registry });
}

/** A request as {@link sendRaw} writes it. */
export interface RawRequest {
  /** The method token, as written. */
  method: string;
  /** The request target, as written. */
  path: string;
  /** Header lines in order; `Host`, `Content-Length` and `Connection: close` are added. */
  headers?: readonly (readonly [string, string])[];
  /** The body; `Content-Length` is set from it. */
  body?: string | Uint8Array;
}

/** A parsed answer; `status` is 0 when the server closed the connection without one. */
export interface RawAnswer {
  status: number;
  /** Header values by lower-case name. */
  headers: Map<string, string>;
  /** The body as UTF-8 text. */
  body: string;
}

/** A chunked body's data, and the bytes after its last chunk and trailer (the next answer on the connection). */
function decodeChunked(data: Buffer): { body: Buffer; rest: Buffer } {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd === -1) break;
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) break;
    if (size === 0) {
      // The last chunk, then trailer fields (none from our servers), then an empty line.
      const trailerEnd = data.indexOf('\r\n\r\n', lineEnd);
      return {
        body: Buffer.concat(parts),
        rest: data.subarray(trailerEnd === -1 ? data.length : trailerEnd + 4),
      };
    }
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return { body: Buffer.concat(parts), rest: Buffer.alloc(0) };
}

/** The first final answer in `sent` and the bytes after it; `undefined` when no whole head is there. */
function readRawAnswer(sent: Buffer, method: string): { answer: RawAnswer; rest: Buffer } | undefined {
  let rest = sent;
  for (;;) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd === -1) return undefined;
    const [statusLine = '', ...lines] = rest.subarray(0, headEnd).toString('latin1').split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers = new Map(
      lines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
      }),
    );
    const payload = rest.subarray(headEnd + 4);
    if (status >= 100 && status < 200) {
      rest = payload;
      continue;
    }
    let body: Buffer = payload;
    let after: Buffer = Buffer.alloc(0);
    if (method === 'HEAD' || status === 204 || status === 304) {
      body = Buffer.alloc(0);
      after = payload;
    } else if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
      ({ body, rest: after } = decodeChunked(payload));
    } else if (headers.has('content-length')) {
      const length = Number(headers.get('content-length'));
      body = payload.subarray(0, length);
      after = payload.subarray(length);
    }
    return { answer: { status, headers, body: body.toString('utf8') }, rest: after };
  }
}

const asBytes = (sent: Buffer | string): Buffer =>
  typeof sent === 'string' ? Buffer.from(sent, 'latin1') : sent;

/**
 * Parses the first final (non-1xx) answer in what a server sent (bytes, or a latin1 string of them);
 * `method` matters only for `HEAD`, whose answer has no body. Status 0 when no whole head was sent.
 */
export function parseRawAnswer(sent: Buffer | string, method = 'GET'): RawAnswer {
  return readRawAnswer(asBytes(sent), method)?.answer ?? { status: 0, headers: new Map(), body: '' };
}

/**
 * Parses every final answer in what a server sent on one connection, in order (pipelined requests),
 * framing each by its `Content-Length` or chunked encoding; `method` as for {@link parseRawAnswer}.
 */
export function parseRawAnswers(sent: Buffer | string, method = 'GET'): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = asBytes(sent);
  for (let read = readRawAnswer(rest, method); read !== undefined; read = readRawAnswer(rest, method)) {
    answers.push(read.answer);
    rest = read.rest;
  }
  return answers;
}

/** A pause between two chunks of {@link exchangeRaw}, for a client that sends its request slowly. */
export interface RawPause {
  /** How long to wait before writing the next chunk, in milliseconds. */
  pauseMs: number;
}

/**
 * Writes `chunks` (strings as UTF-8, waiting out any {@link RawPause} between them) on a fresh connection
 * to `host`, 127.0.0.1 by default (then ends the writing side when `endAfterWrite`), and resolves with
 * every byte the server sent until it closed, reset, or 5 s passed.
 */
export function exchangeRaw(
  port: number,
  chunks: readonly (string | Uint8Array | RawPause)[],
  options: { endAfterWrite?: boolean; host?: string } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, options.host ?? '127.0.0.1');
    const received: Buffer[] = [];
    const done = () => resolve(Buffer.concat(received));
    socket.on('data', (data: Buffer) => received.push(data));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close while we still write: what it answered before counts.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') done();
      else reject(error);
    });
    socket.on('close', done);
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (typeof chunk === 'object' && 'pauseMs' in chunk) {
          await new Promise((wait) => setTimeout(wait, chunk.pauseMs));
        } else if (!socket.destroyed) {
          socket.write(chunk);
        }
      }
      if (options.endAfterWrite === true) socket.end();
    });
    socket.setTimeout(5000, () => socket.destroy());
  });
}

/** Sends one request on a fresh connection with `Connection: close` and parses the answer. */
export async function sendRaw(port: number, request: RawRequest): Promise<RawAnswer> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  let head = `${request.method} ${request.path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`;
  for (const [name, value] of request.headers ?? []) head += `${name}: ${value}\r\n`;
  if (body !== undefined) head += `Content-Length: ${body.length}\r\n`;
  head += 'Connection: close\r\n\r\n';
  // Header values may carry obs-text (bytes 0x80-0xff): one byte per character, as written.
  const headBytes = Buffer.from(head, 'latin1');
  const chunks = body === undefined ? [headBytes] : [headBytes, body];
  return parseRawAnswer(await exchangeRaw(port, chunks), request.method);
}

/** A header value as HTTP/1.1 carries it: visible ASCII, spaces and tabs. */
export const headerValueArbitrary: fc.Arbitrary<string> = fc
  .string({ maxLength: 40, unit: 'binary-ascii' })
  .map((value) => value.replace(/[^\t\x20-\x7e]/g, ''));

/** A `Content-Type` header: JSON in the spellings clients send, other media types, a broken one, or junk. */
export const contentTypeArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON; charset=latin1',
    'application/vnd.api+json',
    'application/json;',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '',
    ';',
  ),
  headerValueArbitrary,
);

/**
 * An `Authorization` header: `apiKey` in the spellings clients send (any scheme case and spacing, or no
 * scheme at all), a bearer token that is junk, or a junk value.
 */
export function authorizationArbitrary(apiKey: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(`Bearer ${apiKey}`),
    fc.constant(`bearer   ${apiKey}`),
    fc.constant(apiKey),
    headerValueArbitrary.map((value) => `Bearer ${value}`),
    headerValueArbitrary,
  );
}

/** Header names the property tests set themselves, so that the request stays framed as written. */
const FRAMING_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/** A header name: a common one or any token, never one that frames the request. */
export const headerNameArbitrary: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      'accept',
      'accept-encoding',
      'accept-language',
      'cache-control',
      'content-encoding',
      'content-language',
      'cookie',
      'expect',
      'forwarded',
      'if-none-match',
      'origin',
      'pragma',
      'range',
      'referer',
      'te',
      'upgrade',
      'user-agent',
      'x-forwarded-for',
      'x-forwarded-proto',
      'x-http-method-override',
      'x-request-id',
      'X-Request-ID',
    ),
    fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/),
  )
  .filter((name) => !FRAMING_HEADERS.has(name.toLowerCase()));

/** Up to four extra headers of any name and value. */
export const junkHeadersArbitrary: fc.Arbitrary<[string, string][]> = fc.array(
  fc.tuple(headerNameArbitrary, headerValueArbitrary),
  { maxLength: 4 },
);

/** An `X-Request-Id` value: one the contract keeps, or any header value. */
export const requestIdArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,20}$/).map((id) => ` ${id}\t`),
  headerValueArbitrary,
);

/** A method: one Node's parser knows (or a method it rejects, such as a made-up token). */
export const methodArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'SEARCH', 'PURGE', 'MKCOL', 'LOCK', 'QUERY') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,11}$/) },
);

/**
 * Checks that an answer is an error in the contract's shape: JSON content type, a body that parses as
 * `ErrorResponse`, a status that is the one the contract gives its type, and the `X-Request-Id` header in
 * the body (a HEAD answer has no body, so only its status and request id are checked). Returns the error.
 */
export function expectContractError(answer: RawAnswer, method: string) {
  const requestId = answer.headers.get('x-request-id');
  expect(requestId).toMatch(REQUEST_ID_PATTERN);
  if (method === 'HEAD') return undefined;
  expect(answer.headers.get('content-type')).toMatch(/^application\/json\b/);
  const parsed = ErrorResponse.safeParse(JSON.parse(answer.body));
  expect(parsed.success, answer.body).toBe(true);
  const error = parsed.data!.error;
  expect(statusOfErrorType(error.type)).toBe(answer.status);
  expect(error.request_id).toBe(requestId);
  return error;
}

/**
 * The request id an answer from the app must carry for these headers: the one `X-Request-Id` when the
 * contract keeps it, or `undefined` when the server makes its own (none sent, a value it drops, or the
 * header sent twice, which Node joins with `, `).
 */
export function echoedRequestId(headers: readonly (readonly [string, string])[]): string | undefined {
  const sent = headers.filter(([name]) => name.toLowerCase() === 'x-request-id');
  return sent.length === 1 ? sanitizeRequestId(sent[0]![1]) : undefined;
}
