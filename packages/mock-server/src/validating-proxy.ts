import { createErrorResponse } from '@sealink/rerank-contract';
import { Agent, request } from 'undici';
import { findContractViolations } from './find-contract-violations.js';
import type { MockProxyOptions } from './mock-options.js';

/** A request to forward. */
export interface ProxiedRequest {
  /** The method. */
  method: string;
  /** The path, without the query string. */
  path: string;
  /** The query string with its `?`, or `''`. */
  search: string;
  /** The client's headers. */
  headers: Headers;
  /** The body's bytes as received (not UTF-8 ones included), if the request has one. */
  body: Uint8Array | undefined;
  /** The body parsed from JSON, or `undefined`. */
  parsedBody: unknown;
  /** The mock's request id, sent upstream as `X-Request-Id`. */
  requestId: string;
}

/** The answer for the client and what was wrong with the upstream's. */
export interface ProxiedAnswer {
  /** What the client gets. */
  response: Response;
  /** Every way the upstream answer broke the contract. */
  violations: string[];
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'x-mock-fault',
]);
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
/**
 * Request headers not forwarded besides the hop-by-hop ones. The proxy reads the upstream's answer as
 * text to check it, so it must get it uncompressed: the client's `Accept-Encoding` would let an upstream
 * that compresses (one behind nginx or a CDN) answer with gzip the checks cannot read and the client
 * would get mangled. `Expect: 100-continue` (curl sends it with a large body) was answered by the mock,
 * which has the whole body by now; undici refuses to send an `Expect` header at all.
 */
const NOT_FORWARDED = new Set(['accept-encoding', 'expect']);

/** An upstream answer read whole, with its end-to-end headers. */
interface UpstreamAnswer {
  status: number;
  headers: Headers;
  bodyText: string;
}

/** The client's copy of an upstream answer: no body for a HEAD or a status that has none. */
function upstreamResponse(upstream: UpstreamAnswer, method: string): Response {
  const body = NULL_BODY_STATUSES.has(upstream.status) || method === 'HEAD' ? null : upstream.bodyText;
  return new Response(body, { status: upstream.status, headers: upstream.headers });
}

/**
 * The validating proxy mode: forwards a request to a real server with undici and checks the answer
 * against the contract. The client gets the upstream answer with `x-mock-contract-violations: <count>`;
 * in strict mode a broken answer becomes a 502 `upstream_error` with the code `contract_violation`.
 */
/** The upstream was reached but did not answer (headers and body) within `proxy.timeoutMs`. */
class UpstreamTimeoutError extends Error {
  constructor(origin: string, timeoutMs: number) {
    super(`The upstream ${origin} did not answer within ${timeoutMs} ms (proxy.timeoutMs).`);
    this.name = 'UpstreamTimeoutError';
  }
}

/** undici's codes for a wait on the headers or the body that ran out. */
const UNDICI_TIMEOUT_CODES: ReadonlySet<unknown> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export class ValidatingProxy {
  readonly #options: MockProxyOptions;
  readonly #agent = new Agent({ keepAliveTimeout: 4_000 });
  readonly #origin: string;

  constructor(options: MockProxyOptions) {
    this.#options = options;
    this.#origin = new URL(options.url).origin;
  }

  /** Forwards one request and checks the answer. */
  async forward(proxied: ProxiedRequest, signal: AbortSignal): Promise<ProxiedAnswer> {
    const headers: Record<string, string> = {};
    proxied.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && !NOT_FORWARDED.has(name)) headers[name] = value;
    });
    const upstream = await this.#call(
      `${proxied.path}${proxied.search}`,
      proxied.method,
      headers,
      proxied.requestId,
      proxied.body === undefined || proxied.body.byteLength === 0 ? null : proxied.body,
      signal,
      // A browser page's request (browsers send `Origin` with every cross-origin and every POST request)
      // never gets the proxy's key: the mock answers CORS for any origin, so any site the developer visits
      // could otherwise call the real server with that key and read the answers. It goes with its own.
      !proxied.headers.has('origin'),
    );
    if (upstream instanceof UpstreamTimeoutError) {
      // As the real server answers an upstream that does not answer in time: reached, but too slow.
      const answer = createErrorResponse(
        { type: 'timeout_error', code: 'upstream_timeout', message: upstream.message },
        proxied.requestId,
      );
      return { response: Response.json(answer.body, { status: answer.status }), violations: [] };
    }
    if (upstream instanceof Error) {
      const answer = createErrorResponse(
        {
          type: 'upstream_error',
          code: 'upstream_unreachable',
          message: `The proxy could not reach ${this.#origin}: ${upstream.message}.`,
        },
        proxied.requestId,
      );
      return { response: Response.json(answer.body, { status: answer.status }), violations: [] };
    }
    const violations = findContractViolations({
      method: proxied.method,
      path: proxied.path,
      requestBody: proxied.parsedBody,
      status: upstream.status,
      headers: upstream.headers,
      bodyText: upstream.bodyText,
    });
    upstream.headers.set('x-mock-contract-violations', String(violations.length));
    if (violations.length > 0 && this.#options.strict === true) {
      const answer = createErrorResponse(
        {
          type: 'upstream_error',
          code: 'contract_violation',
          message: `The upstream answer broke the API contract: ${violations.join('; ')}.`,
        },
        proxied.requestId,
      );
      const response = Response.json(answer.body, { status: answer.status });
      response.headers.set('x-mock-contract-violations', String(violations.length));
      return { response, violations };
    }
    return { response: upstreamResponse(upstream, proxied.method), violations };
  }

  /**
   * The upstream's readiness, for the mock's `GET /readyz` (or `HEAD`): the upstream's own `/readyz` answer,
   * its status, headers and body passed through unchecked (the probe is not part of the contract), or, when
   * the upstream cannot be reached or does not answer within the timeout, a 503
   * `{"status":"not_ready","models":{},"message":"..."}` saying why.
   */
  async readiness(method: 'GET' | 'HEAD', requestId: string, signal: AbortSignal): Promise<Response> {
    const upstream = await this.#call('/readyz', method, {}, requestId, null, signal);
    if (upstream instanceof Error) {
      const message =
        upstream instanceof UpstreamTimeoutError
          ? upstream.message
          : `The proxy could not reach ${this.#origin}: ${upstream.message}.`;
      return Response.json({ status: 'not_ready', models: {}, message }, { status: 503 });
    }
    return upstreamResponse(upstream, method);
  }

  /**
   * Sends one request upstream with the request id and, unless `withProxyKey` is false, the proxy's key,
   * within the proxy's timeout, and reads the whole answer; the error when the upstream cannot be reached or
   * does not answer in time.
   */
  async #call(
    pathAndSearch: string,
    method: string,
    headers: Record<string, string>,
    requestId: string,
    body: Uint8Array | null,
    signal: AbortSignal,
    withProxyKey = true,
  ): Promise<UpstreamAnswer | Error> {
    headers['x-request-id'] = requestId;
    if (withProxyKey && this.#options.apiKey !== undefined) {
      headers.authorization = `Bearer ${this.#options.apiKey}`;
    }
    const timeout = this.#options.timeoutMs ?? 30_000;
    const timedOut = AbortSignal.timeout(timeout);
    try {
      const upstream = await request(`${this.#origin}${pathAndSearch}`, {
        method: method as 'GET',
        headers,
        body,
        dispatcher: this.#agent,
        signal: AbortSignal.any([signal, timedOut]),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const bodyText = await upstream.body.text();
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(upstream.headers)) {
        if (value === undefined || HOP_BY_HOP.has(name)) continue;
        for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
      }
      return { status: upstream.statusCode, headers: responseHeaders, bodyText };
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (!signal.aborted && (timedOut.aborted || UNDICI_TIMEOUT_CODES.has(code))) {
        return new UpstreamTimeoutError(this.#origin, timeout);
      }
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Closes the upstream connections. */
  async close(): Promise<void> {
    await this.#agent.close();
  }
}
