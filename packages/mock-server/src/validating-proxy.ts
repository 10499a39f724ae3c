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

/**
 * The validating proxy mode: forwards a request to a real server with undici and checks the answer
 * against the contract. The client gets the upstream answer with `x-mock-contract-violations: <count>`;
 * in strict mode a broken answer becomes a 502 `upstream_error` with the code `contract_violation`.
 */
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
    headers['x-request-id'] = proxied.requestId;
    if (this.#options.apiKey !== undefined) headers.authorization = `Bearer ${this.#options.apiKey}`;
    const timeout = this.#options.timeoutMs ?? 30_000;
    let upstream: Awaited<ReturnType<typeof request>>;
    let bodyText: string;
    try {
      upstream = await request(`${this.#origin}${proxied.path}${proxied.search}`, {
        method: proxied.method as 'GET',
        headers,
        body: proxied.body === undefined || proxied.body.byteLength === 0 ? null : proxied.body,
        dispatcher: this.#agent,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeout)]),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      bodyText = await upstream.body.text();
    } catch (error) {
      const answer = createErrorResponse(
        {
          type: 'upstream_error',
          code: 'upstream_unreachable',
          message: `The proxy could not reach ${this.#origin}: ${(error as Error).message}.`,
        },
        proxied.requestId,
      );
      return { response: Response.json(answer.body, { status: answer.status }), violations: [] };
    }
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(upstream.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
    }
    const violations = findContractViolations({
      method: proxied.method,
      path: proxied.path,
      requestBody: proxied.parsedBody,
      status: upstream.statusCode,
      headers: responseHeaders,
      bodyText,
    });
    responseHeaders.set('x-mock-contract-violations', String(violations.length));
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
    const body = NULL_BODY_STATUSES.has(upstream.statusCode) || proxied.method === 'HEAD' ? null : bodyText;
    return {
      response: new Response(body, { status: upstream.statusCode, headers: responseHeaders }),
      violations,
    };
  }

  /**
   * The upstream's readiness, for the mock's `GET /readyz` (or `HEAD`): the upstream's own `/readyz` answer,
   * its status, headers and body passed through unchecked (the probe is not part of the contract), or, when
   * the upstream cannot be reached or does not answer within the timeout, a 503
   * `{"status":"not_ready","models":{},"message":"..."}` saying why.
   */
  async readiness(method: 'GET' | 'HEAD', requestId: string, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { 'x-request-id': requestId };
    if (this.#options.apiKey !== undefined) headers.authorization = `Bearer ${this.#options.apiKey}`;
    const timeout = this.#options.timeoutMs ?? 30_000;
    let upstream: Awaited<ReturnType<typeof request>>;
    let bodyText: string;
    try {
      upstream = await request(`${this.#origin}/readyz`, {
        method,
        headers,
        dispatcher: this.#agent,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeout)]),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      bodyText = await upstream.body.text();
    } catch (error) {
      const message = `The proxy could not reach ${this.#origin}: ${(error as Error).message}.`;
      return Response.json({ status: 'not_ready', models: {}, message }, { status: 503 });
    }
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(upstream.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
    }
    const body = NULL_BODY_STATUSES.has(upstream.statusCode) || method === 'HEAD' ? null : bodyText;
    return new Response(body, { status: upstream.statusCode, headers: responseHeaders });
  }

  /** Closes the upstream connections. */
  async close(): Promise<void> {
    await this.#agent.close();
  }
}
