import { setMaxListeners } from 'node:events';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import {
  authenticationError,
  bearerTokenOf,
  bodyTooLargeError,
  checkContentEncoding,
  checkJsonContentType,
  checkTransferEncoding,
  createErrorResponse,
  createOpenApiDocument,
  createRequestId,
  type ErrorAnswer,
  invalidUtf8Error,
  type JsonBodyParse,
  listModelsRoute,
  methodNotAllowedError,
  modelNotFoundError,
  parseJsonBody,
  requestIdFor,
  requestReceiveTimeoutError,
  rerankRoute,
  retrieveModelRoute,
  routeNotFoundError,
  tooManyDocumentsError,
} from '@sealink/rerank-contract';
import {
  dialectRerankCodec,
  NATIVE_RERANK_CODEC,
  type RerankRouteCodec,
} from '@sealink/rerank-contract/dialects';
import { type Context, Hono } from 'hono';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { breakContract } from './break-contract.js';
import { errorFaultRequestId, errorFaultResponse } from './error-fault-response.js';
import { COMPATIBILITY_DIALECTS } from './find-contract-violations.js';
import { MockConnectionResetError } from './mock-connection-reset-error.js';
import { InvalidMockFaultError, type MockFault, parseMockFault } from './mock-fault.js';
import { type FaultCandidate, MockFaults } from './mock-faults.js';
import { mockModelList } from './mock-models.js';
import { type MockAppOptions, resolveMockAppOptions } from './mock-options.js';
import { readLimitedBody } from './read-limited-body.js';
import { type JournalEntry, RequestJournal, redactHeaders, redactSearch } from './request-journal.js';
import { scoreRerankRequest } from './score-rerank-request.js';
import {
  hangUntilAbandoned,
  MOCK_CLOSED_MESSAGE,
  nodeBindings,
  pause,
  type RawAnswer,
  resetConnection,
  sendRawAnswer,
} from './send-raw-answer.js';
import type { ValidatingProxy } from './validating-proxy.js';

/** What a test controls and inspects on a mock, in process or over a socket. */
export interface MockControls {
  /**
   * Every request received, oldest first, with credentials redacted: a snapshot, which later requests,
   * the journal's limit and `clear()` leave unchanged.
   */
  readonly requests: readonly JournalEntry[];
  /** The requests that matched no route (a snapshot too). */
  readonly unmatchedRequests: readonly JournalEntry[];
  /** The fault queue and rules. */
  readonly faults: MockFaults;
  /** Empties the journal, removes every pending fault and rule, and restarts the latency jitter from the seed. */
  clear(): void;
}

/** The query string of a URL as sent, with its `?`, or `''`. */
function rawSearch(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? '' : url.slice(queryStart);
}

/** The mock as a Hono app (for `app.request()` and `app.fetch`) with its controls. */
export type MockApp = Hono<MockEnv> &
  MockControls &
  AsyncDisposable & {
    /**
     * Ends every hang and dribble in progress and closes the proxy's connections; `await using` calls it.
     * Calling it again waits for the same closing and does not throw. Afterwards requests are refused,
     * `faults.enqueue()`, `enqueueAll()` and `when()` throw, and `requests`, `clear()` and `faults.clear()`
     * still work.
     */
    close(): Promise<void>;
    /** Aborts when the app closes. */
    readonly closedSignal: AbortSignal;
  };

/** The Hono environment of the mock app. */
export interface MockEnv {
  Variables: {
    /** The request id. */
    requestId: string;
    /** The request's journal entry. */
    entry: JournalEntry;
    /** The body text, once read. */
    bodyText: string | undefined;
    /** The body's bytes as received, once read. */
    bodyBytes: Uint8Array | undefined;
    /** The body parsed as JSON, once read: the value, or the contract's `invalid_json` answer. */
    jsonBody: JsonBodyParse | undefined;
  };
}

/**
 * The routes of the public API, in Hono's path syntax. `{model}` is one path segment, as on the real
 * server: an id with a slash is sent encoded (`Qwen%2FQwen3-Reranker-0.6B`), as the client SDK does.
 */
const RERANK_PATH = rerankRoute.path;
const MODELS_PATH = listModelsRoute.path;
const MODEL_PATH = retrieveModelRoute.path.replace('{model}', ':model');
/** The path of one model up to its id, for telling the routes of a request apart from the others. */
const MODEL_PATH_PREFIX = retrieveModelRoute.path.replace('{model}', '');
/**
 * The real server's compatibility routes, in providers' shapes (`COMPATIBILITY_DIALECTS`). Not part of
 * the contract's API, so not in `openapi.json`.
 */
const COMPATIBILITY_ROUTES = Object.entries(COMPATIBILITY_DIALECTS);
const TEI_PATH = COMPATIBILITY_ROUTES.find(([, dialect]) => dialect === 'tei')![0];
const FAULT_HEADER = 'x-mock-fault';
/** The prefix of the control routes, for test code in any language; they are not journaled. */
const CONTROL_PREFIX = '/__mock/';
/**
 * CORS for browsers, the docs' try-it console included: any origin (also `null`, from file://), no
 * credentials. Written here rather than with `hono/cors`, which touches `c.res` before the handler runs and
 * so pushes every answer off @hono/node-server's fast path (a tenfold throughput loss in the bench).
 */
const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': [
    'X-Request-Id',
    'Retry-After',
    'retry-after-ms',
    'x-should-retry',
    'x-ratelimit-limit-requests',
    'x-ratelimit-remaining-requests',
    'x-ratelimit-reset-requests',
    'x-mock-contract-violations',
  ].join(', '),
};
const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, X-Request-Id, X-Mock-Fault';
/**
 * The largest body of `POST /__mock/faults`. A fault is at most a few hundred bytes and a scenario a few of
 * them, so 1 MiB (tens of thousands of faults) is plenty; a larger body gets 413 and is not read.
 */
const MAX_CONTROL_BODY_BYTES = 1024 * 1024;

function errorJson(c: Context<MockEnv>, answer: ErrorAnswer, headers?: Record<string, string>): Response {
  return c.json(answer.body, answer.status, headers);
}

/**
 * A request header. On Node it reads the headers Node already parsed (`IncomingMessage.headers`), which
 * spares building a web `Headers` object per request.
 */
function requestHeader(c: Context<MockEnv>, name: string): string | undefined {
  const incoming = nodeBindings(c.env)?.incoming;
  if (incoming === undefined) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Reads the request body up to `maxBytes` as text, or, past it or past `timeoutMs`, makes the contract's
 * 413 or 400 `request_receive_timeout` answer (with `Connection: close`, since the rest of the body is left
 * unread).
 */
async function readBodyText(
  c: Context<MockEnv>,
  maxBytes: number,
  timeoutMs: number,
): Promise<
  { kind: 'read'; text: string; validUtf8: boolean; bytes: Uint8Array } | { kind: 'unread'; answer: Response }
> {
  const read = await readLimitedBody(c.req.raw, maxBytes, nodeBindings(c.env)?.incoming, timeoutMs);
  if (read.kind === 'read') return read;
  const requestId = c.get('requestId');
  const error =
    read.kind === 'too-large'
      ? bodyTooLargeError(maxBytes, requestId)
      : requestReceiveTimeoutError(timeoutMs, requestId);
  return { kind: 'unread', answer: errorJson(c, error, { connection: 'close' }) };
}

/** Headers that describe the body's bytes, which a fault that spoils the body sets anew. */
const BODY_FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding']);

/**
 * The headers of an answer whose body a fault spoils: those of the normal answer (its `Allow`, in proxy
 * mode the upstream's `Retry-After`, rate-limit and violation-count headers) but its body framing, with
 * the mock's CORS headers, request id and a JSON content type where it has none.
 */
function spoiledAnswerHeaders(normal: Headers, requestId: string): Record<string, string> {
  const headers: Record<string, string> = {
    ...CORS_HEADERS,
    'content-type': 'application/json',
    'x-request-id': requestId,
  };
  normal.forEach((value, name) => {
    if (!BODY_FRAMING_HEADERS.has(name)) headers[name] = value;
  });
  return headers;
}

function replaceResponse(c: Context<MockEnv>, response: Response): void {
  c.res = undefined;
  c.res = response;
}

function parseLeniently(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * What the fault rules see of a request. `defaultModel` is the model a request that names none is
 * answered for (TEI's), so a rule on `model` matches it as it matches the others.
 */
function faultCandidate(path: string, body: unknown, defaultModel: string | undefined): FaultCandidate {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return {
    path,
    model: typeof record.model === 'string' ? record.model : defaultModel,
    query: typeof record.query === 'string' ? record.query : undefined,
  };
}

/**
 * Creates the mock as a Hono app: the routes of the API with the contract's validation and error
 * answers, deterministic lexical scores, faults, a journal of every request and, with `proxy`, the
 * validating proxy mode. Use it in process with `app.request()`, or serve it with `startMockServer`.
 * @throws RangeError or TypeError when an option is out of range.
 */
export function createMockApp(options: MockAppOptions = {}): MockApp {
  const settings = resolveMockAppOptions(options);
  const journal = new RequestJournal(settings.journalLimit);
  const closing = new AbortController();
  const faults = new MockFaults(closing.signal);
  if (options.faults !== undefined) faults.enqueueAll(options.faults);
  // Every request waiting out a latency or a fault listens on it until its wait ends: many at once is the
  // expected load of a mock under test, not a leak (Node warns past 10 listeners).
  setMaxListeners(0, closing.signal);
  // Restarted from the seed by clear(), so a test on a shared mock draws the jitter of a fresh one.
  let random = xoroshiro128plus(settings.seed);
  const modelList = mockModelList(settings.models, settings.maxDocuments);
  /** The model of requests that name none (TEI's): the first, as the real server's default is its first. */
  const defaultModel = settings.models[0] ?? '';
  const openApiByOrigin = new Map<string, string>();
  const readiness = {
    status: 'ready',
    models: Object.fromEntries(settings.models.map((id) => [id, 'ready'])),
  };
  let proxy: Promise<ValidatingProxy> | undefined;
  /** The closing of the app, once `close()` was called: later calls wait for the same. */
  let closed: Promise<void> | undefined;
  const proxyOptions = settings.proxy;
  const getProxy =
    proxyOptions === undefined
      ? undefined
      : () => {
          proxy ??= import('./validating-proxy.js').then(
            ({ ValidatingProxy }) => new ValidatingProxy(proxyOptions),
          );
          return proxy;
        };

  const delayOf = (entry: JournalEntry, ms: number, jitterMs = 0) => {
    const delay = ms + (jitterMs > 0 ? uniformInt(random, 0, Math.round(jitterMs)) : 0);
    entry.delayMs = (entry.delayMs ?? 0) + delay;
    return delay;
  };

  const app = new Hono<MockEnv>();

  app.use('*', async (c, next) => {
    // A closed mock answers nothing, as a closed server's port: in process, `app.request()` rejects
    // (rather than answering as if the mock still ran), and the journal keeps what came before.
    if (closing.signal.aborted) return resetConnection(c.env, MOCK_CLOSED_MESSAGE);
    const requestId = requestIdFor(requestHeader(c, 'x-request-id'));
    const entry: JournalEntry = {
      requestId,
      method: c.req.method,
      path: c.req.path,
      search: redactSearch(rawSearch(c.req.url)),
      headers: redactHeaders(nodeBindings(c.env)?.incoming.headers ?? c.req.raw.headers),
      body: undefined,
      receivedAt: new Date(),
      matchedRoute: true,
    };
    if (!entry.path.startsWith(CONTROL_PREFIX)) journal.record(entry);
    c.set('requestId', requestId);
    c.set('entry', entry);
    // Set through c.header(), not c.res, so answers stay on @hono/node-server's fast path.
    c.header('x-request-id', requestId);
    for (const [name, value] of Object.entries(CORS_HEADERS)) c.header(name, value);
    await next();
    if (c.res === RESPONSE_ALREADY_SENT) return;
    const headers = c.res.headers;
    if (!headers.has('x-request-id')) headers.set('x-request-id', requestId);
    // Answers built as their own Response (the validating proxy's, which carry the upstream's
    // x-request-id) miss the headers set above: without these a browser would not read them.
    if (!headers.has('access-control-allow-origin')) {
      for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
    }
    entry.status ??= c.res.status;
  });

  app.options('*', () => {
    const preflight = new Headers(CORS_HEADERS);
    // DELETE for the control routes (`DELETE /__mock/requests`, `DELETE /__mock/faults`), so a page can reset the mock.
    preflight.set('access-control-allow-methods', 'GET, HEAD, POST, DELETE, OPTIONS');
    preflight.set('access-control-allow-headers', CORS_ALLOWED_HEADERS);
    preflight.set('access-control-max-age', '600');
    return new Response(null, { status: 204, headers: preflight });
  });

  /** With `apiKeys`, whether the request carries one of them; always true without. */
  const isAuthorized = (c: Context<MockEnv>): boolean => {
    if (settings.apiKeys.size === 0) return true;
    const key = bearerTokenOf(requestHeader(c, 'authorization'));
    return key !== undefined && settings.apiKeys.has(key);
  };
  // The real server's 401 has no WWW-Authenticate header.
  const unauthorized = (c: Context<MockEnv>, headers: Record<string, string> = {}): Response =>
    errorJson(c, authenticationError(c.get('requestId')), headers);
  /** The content type or encoding error of a rerank request, if any, as the real server checks them. */
  const contentTypeErrorOf = (c: Context<MockEnv>): ErrorAnswer | undefined =>
    checkJsonContentType(requestHeader(c, 'content-type'), c.get('requestId')) ??
    checkContentEncoding(requestHeader(c, 'content-encoding'), c.get('requestId')) ??
    checkTransferEncoding(requestHeader(c, 'transfer-encoding'), c.get('requestId'));

  // The checks run in the real server's order. A path or method the API does not have gets its 404 or 405
  // whatever the key and the body (the server reads neither for it); in proxy mode the upstream answers
  // those. Then the key, so a missing or wrong key gets 401 whatever faults are configured (faults apply
  // only to authenticated requests) and whatever the body's size; then, for a body over the limit, the
  // content type (415) before the size (413). The body of a refused request is still read (within the
  // limit) for the journal.
  const gate = async (c: Context<MockEnv>, next: () => Promise<void>): Promise<Response | undefined> => {
    const requestId = c.get('requestId');
    const entry = c.get('entry');
    const authorized = isAuthorized(c);
    // Needed only for a refused request (a body over the limit, no or a wrong key): not worked out for the others.
    const served = (): boolean => getProxy !== undefined || isServed(c.req.method, c.req.path);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const read = await readBodyText(c, settings.maxBodyBytes, settings.requestTimeoutMs);
      if (read.kind === 'unread') {
        // The rest of the body is left unread: the connection cannot carry another request.
        if (!served()) {
          c.header('connection', 'close');
          await next();
          return;
        }
        if (!authorized) return unauthorized(c, { connection: 'close' });
        const contentTypeError = contentTypeErrorOf(c);
        return contentTypeError === undefined
          ? read.answer
          : errorJson(c, contentTypeError, { connection: 'close' });
      }
      const json: JsonBodyParse = read.validUtf8
        ? parseJsonBody(read.text, requestId)
        : { success: false, error: invalidUtf8Error(requestId) };
      c.set('bodyText', read.text);
      c.set('bodyBytes', read.bytes);
      c.set('jsonBody', json);
      entry.body = json.success ? json.value : read.text === '' ? undefined : read.text;
    }
    if (!authorized) {
      if (served()) return unauthorized(c);
      await next();
      return;
    }
    let fault: MockFault | undefined;
    const faultHeader = settings.faultHeader ? requestHeader(c, FAULT_HEADER) : undefined;
    if (faultHeader !== undefined) {
      try {
        fault = parseMockFault(faultHeader);
      } catch (error) {
        if (!(error instanceof InvalidMockFaultError)) throw error;
        const answer = createErrorResponse(
          {
            type: 'invalid_request_error',
            code: 'invalid_mock_fault',
            message: error.message,
            param: FAULT_HEADER,
          },
          requestId,
        );
        return errorJson(c, answer);
      }
    }
    fault ??= faults.take(
      faultCandidate(c.req.path, entry.body, c.req.path === TEI_PATH ? defaultModel : undefined),
    );
    if (fault !== undefined) entry.fault = fault;
    if (settings.latency !== undefined) {
      if (!(await pause(delayOf(entry, settings.latency.ms, settings.latency.jitterMs), closing.signal))) {
        return resetConnection(c.env, MOCK_CLOSED_MESSAGE);
      }
    }

    const answerNormally = async (): Promise<Response> => {
      if (getProxy === undefined) {
        await next();
        return c.res;
      }
      const forwarded = await (await getProxy()).forward(
        {
          method: c.req.method,
          path: c.req.path,
          // As sent: the journal's search has its credentials redacted, and the upstream needs them.
          search: rawSearch(c.req.url),
          headers: c.req.raw.headers,
          body: c.get('bodyBytes'),
          parsedBody: entry.body,
          requestId,
        },
        closing.signal,
      );
      entry.contractViolations = forwarded.violations;
      replaceResponse(c, forwarded.response);
      return forwarded.response;
    };

    if (fault === undefined) {
      await answerNormally();
      return;
    }
    switch (fault.kind) {
      case 'error': {
        // The fault's own X-Request-Id, if any, is the request id of the answer: its body and the journal
        // say the same as its header, as the contract requires.
        const faultRequestId = errorFaultRequestId(fault);
        if (faultRequestId !== undefined) {
          (entry as { requestId: string }).requestId = faultRequestId;
          c.set('requestId', faultRequestId);
        }
        return errorFaultResponse(fault, faultRequestId ?? requestId);
      }
      case 'empty':
        return new Response('', { status: 200, headers: { 'content-type': 'application/json' } });
      case 'hang':
        return hangUntilAbandoned(c.env, c.req.raw, closing.signal);
      case 'reset':
        if (fault.phase === 'before-headers') return resetConnection(c.env);
        break;
      case 'latency':
        if (fault.phase !== 'body') {
          if (!(await pause(delayOf(entry, fault.ms, fault.jitterMs), closing.signal)))
            return resetConnection(c.env, MOCK_CLOSED_MESSAGE);
          await answerNormally();
          return;
        }
        break;
    }

    // The faults that spoil the normal answer: it is made first, then cut, broken, reset or dribbled.
    const normal = await answerNormally();
    const status = normal.status;
    const text = await normal.text();
    // The normal answer's headers go along (a 405's Allow, an upstream's Retry-After and rate limits in
    // proxy mode): only its body is spoiled.
    const normalHeaders = spoiledAnswerHeaders(normal.headers, requestId);
    if (fault.kind === 'malformed-json') {
      replaceResponse(
        c,
        new Response(text.slice(0, Math.floor(text.length / 2)), { status, headers: normalHeaders }),
      );
      return;
    }
    if (fault.kind === 'contract-violation') {
      const broken = JSON.stringify(breakContract(parseLeniently(text)));
      const headers = { ...normalHeaders, 'content-type': 'application/json' };
      replaceResponse(c, new Response(broken, { status, headers }));
      return;
    }
    const bytes = new TextEncoder().encode(text);
    const headers: Record<string, string> = { ...normalHeaders, 'content-length': String(bytes.byteLength) };
    entry.status = status;
    let answer: RawAnswer;
    if (fault.kind === 'latency') {
      const chunkCount = Math.max(1, Math.min(10, bytes.byteLength));
      const chunkSize = Math.ceil(bytes.byteLength / chunkCount);
      const chunks: Uint8Array[] = [];
      for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) {
        chunks.push(bytes.subarray(offset, offset + chunkSize));
      }
      const intervalMs =
        chunks.length > 1 ? delayOf(entry, fault.ms, fault.jitterMs) / (chunks.length - 1) : 0;
      answer = { status, headers, chunks, intervalMs, ending: 'end' };
    } else {
      const half = bytes.subarray(0, Math.floor(bytes.byteLength / 2));
      answer = { status, headers, chunks: [half], intervalMs: 0, ending: 'reset' };
    }
    replaceResponse(c, await sendRawAnswer(c.env, answer, closing.signal));
    return undefined;
  };
  app.use('/v1/*', gate);

  // The rerank routes: the native one and the real server's compatibility routes, read and answered by the
  // same codecs as the real server's (in proxy mode, forwarded and checked in their provider's shape).
  // TEI's requests name no model: they get the first model, as the real server's default is its first.
  const rerankRoutes: { path: string; codec: RerankRouteCodec }[] = [
    { path: RERANK_PATH, codec: NATIVE_RERANK_CODEC },
  ];
  for (const [path, dialect] of COMPATIBILITY_ROUTES) {
    app.use(path, gate);
    rerankRoutes.push({ path, codec: dialectRerankCodec(path, dialect, defaultModel) });
  }
  for (const { path, codec } of rerankRoutes) app.post(path, (c) => answerRerank(c, codec));

  function answerRerank(c: Context<MockEnv>, codec: RerankRouteCodec): Response {
    const requestId = c.get('requestId');
    const contentTypeError = contentTypeErrorOf(c);
    if (contentTypeError !== undefined) return errorJson(c, contentTypeError);
    const parsed = c.get('jsonBody') ?? parseJsonBody('', requestId);
    if (!parsed.success) return errorJson(c, parsed.error);
    const validation = codec.decode(parsed.value, requestId);
    if (!validation.success) return errorJson(c, validation.error);
    const { request } = validation;
    if (!settings.models.includes(request.model)) {
      return errorJson(c, modelNotFoundError(request.model, settings.models, requestId));
    }
    if (request.documents.length > settings.maxDocuments) {
      const tooMany = tooManyDocumentsError(
        request.model,
        settings.maxDocuments,
        request.documents.length,
        requestId,
      );
      // Named as the route's requests name the documents (TEI's `texts`), as the real server does.
      return c.json({ error: { ...tooMany.body.error, param: codec.documentsField } }, tooMany.status);
    }
    return c.json(validation.encode(scoreRerankRequest(request, settings.fixedResponses)));
  }

  app.get(MODELS_PATH, (c) => c.json(modelList));

  app.get(MODEL_PATH, (c) => {
    const id = c.req.param('model') ?? '';
    const model = modelList.data.find((candidate) => candidate.id === id);
    if (model === undefined) return errorJson(c, modelNotFoundError(id, settings.models, c.get('requestId')));
    return c.json(model);
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  // The real server's readiness probe; the mock's models are always ready. In proxy mode the upstream's
  // readiness instead (503 when it cannot be reached): the mock is only as ready as what it forwards to.
  // `/healthz` stays the mock's own liveness.
  app.get('/readyz', async (c) => {
    if (getProxy === undefined) return c.json(readiness);
    const method = c.req.method === 'HEAD' ? 'HEAD' : 'GET';
    return (await getProxy()).readiness(method, c.get('requestId'), closing.signal);
  });

  app.get('/openapi.json', (c) => {
    const origin = new URL(c.req.url).origin;
    let document = openApiByOrigin.get(origin);
    if (document === undefined) {
      document = JSON.stringify(
        createOpenApiDocument({ servers: [{ url: origin, description: 'SeaLink Rerank mock server' }] }),
      );
      if (openApiByOrigin.size < 8) openApiByOrigin.set(origin, document);
    }
    return c.body(document, 200, { 'content-type': 'application/json' });
  });

  app.get('/__mock/requests', (c) =>
    c.json({ requests: journal.requests, unmatched_requests: journal.unmatchedRequests.length }),
  );
  app.delete('/__mock/requests', (c) => {
    journal.clear();
    return c.body(null, 204);
  });
  app.post('/__mock/faults', async (c) => {
    const requestId = c.get('requestId');
    const read = await readBodyText(c, MAX_CONTROL_BODY_BYTES, settings.requestTimeoutMs);
    if (read.kind === 'unread') return read.answer;
    const parsed = parseJsonBody(read.text, requestId);
    if (!parsed.success) return errorJson(c, parsed.error);
    try {
      // Never spread: an array of any length must not overflow the call stack.
      faults.enqueueAll(Array.isArray(parsed.value) ? parsed.value : [parsed.value]);
    } catch (error) {
      if (!(error instanceof InvalidMockFaultError)) throw error;
      const answer = createErrorResponse(
        { type: 'invalid_request_error', code: 'invalid_mock_fault', message: error.message },
        requestId,
      );
      return errorJson(c, answer);
    }
    return c.json({ pending: faults.pending.length });
  });
  app.delete('/__mock/faults', (c) => {
    faults.clear();
    return c.body(null, 204);
  });

  const allowedMethods: ReadonlyArray<readonly [string, readonly string[]]> = [
    ...rerankRoutes.map(({ path }) => [path, ['POST']] as const),
    [MODELS_PATH, ['GET', 'HEAD']],
    [MODEL_PATH, ['GET', 'HEAD']],
    ['/healthz', ['GET', 'HEAD']],
    ['/readyz', ['GET', 'HEAD']],
    ['/openapi.json', ['GET', 'HEAD']],
  ];
  /** Whether the mock has a route for this method and path; it answers 404 or 405 to the others. */
  function isServed(method: string, path: string): boolean {
    const id = path.startsWith(MODEL_PATH_PREFIX) ? path.slice(MODEL_PATH_PREFIX.length) : undefined;
    const routePath = id !== undefined && id !== '' && !id.includes('/') ? MODEL_PATH : path;
    return allowedMethods.some(([candidate, methods]) => candidate === routePath && methods.includes(method));
  }
  // The control routes answer another method as the API routes do: 405 with the methods they serve.
  // (A preflight never reaches these: `app.options('*')` answers it first.)
  const controlAllowedMethods: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['/__mock/requests', ['GET', 'HEAD', 'DELETE']],
    ['/__mock/faults', ['POST', 'DELETE']],
  ];
  for (const [path, methods] of [...allowedMethods, ...controlAllowedMethods]) {
    app.all(path, (c) =>
      errorJson(c, methodNotAllowedError(c.req.method, c.req.path, methods, c.get('requestId')), {
        allow: methods.join(', '),
      }),
    );
  }

  app.notFound((c) => {
    c.get('entry').matchedRoute = false;
    return errorJson(c, routeNotFoundError(c.req.method, c.req.path, c.get('requestId')));
  });

  app.onError((error, c) => {
    if (error instanceof MockConnectionResetError) throw error;
    // The client went away (for example in the middle of its body): there is no one left to answer.
    if (nodeBindings(c.env)?.incoming.socket.destroyed === true) return RESPONSE_ALREADY_SENT;
    console.error('[sealink-rerank-mock] unexpected error:', error);
    const answer = createErrorResponse(
      {
        type: 'internal_error',
        code: 'internal_error',
        message: 'An unexpected error happened in the mock server.',
      },
      c.get('requestId') ?? createRequestId(),
    );
    return errorJson(c, answer);
  });

  const controls = {
    get requests() {
      return journal.requests;
    },
    get unmatchedRequests() {
      return journal.unmatchedRequests;
    },
    faults,
    closedSignal: closing.signal,
    clear() {
      journal.clear();
      faults.clear();
      random = xoroshiro128plus(settings.seed);
    },
    close() {
      // Once: undici rejects a second close of the proxy's Agent (ClientDestroyedError), and `close()`
      // followed by the end of an `await using` block closes twice.
      closed ??= (async () => {
        closing.abort();
        if (proxy !== undefined) await (await proxy).close();
      })();
      return closed;
    },
    /** `await using app = createMockApp()` closes it at the end of the block. */
    [Symbol.asyncDispose](): Promise<void> {
      return controls.close();
    },
  };
  return Object.defineProperties(app, Object.getOwnPropertyDescriptors(controls)) as MockApp;
}
