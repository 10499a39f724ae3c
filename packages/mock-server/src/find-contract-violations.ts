import {
  checkRerankResponse,
  ERROR_TYPES,
  ErrorResponse,
  isJsonContentType,
  listModelsRoute,
  Model,
  ModelList,
  type RerankRequest,
  rerankRoute,
  retrieveModelRoute,
  validateRerankRequest,
} from '@sealink/rerank-contract';
import {
  DIALECTS,
  type DialectName,
  DialectResponseError,
  dialectRerankCodec,
} from '@sealink/rerank-contract/dialects';
import { tryDecodeURIComponent } from 'hono/utils/url';
import type { z } from 'zod';

/** One request and the answer a server gave to it. */
export interface Exchange {
  /** The request method. */
  method: string;
  /** The request path. */
  path: string;
  /** The request body, parsed from JSON, or `undefined`. */
  requestBody: unknown;
  /** The answer's status. */
  status: number;
  /** The answer's headers. */
  headers: Headers;
  /** The answer's body, as text. */
  bodyText: string;
}

/** The model route; its id is one path segment, as on the real server. */
const MODEL_PATH = new RegExp(`^${retrieveModelRoute.path.replace('{model}', '([^/]+)')}$`);

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
}

function successViolations(exchange: Exchange, body: unknown): string[] {
  const { method, path } = exchange;
  if (method === 'POST' && path === rerankRoute.path) {
    const validation = validateRerankRequest(exchange.requestBody, 'req_proxy');
    if (!validation.success) {
      const { code, message } = validation.error.body.error;
      return [`answered ${exchange.status} to a request the contract rejects (${code}: ${message})`];
    }
    return checkRerankResponse(exchange.requestBody as RerankRequest, body);
  }
  if ((method === 'GET' || method === 'HEAD') && path === listModelsRoute.path) {
    const parsed = ModelList.safeParse(body);
    return parsed.success ? [] : [`the model list does not match ModelList: ${describeIssues(parsed.error)}`];
  }
  const modelId = MODEL_PATH.exec(path)?.[1];
  if ((method === 'GET' || method === 'HEAD') && modelId !== undefined) {
    const parsed = Model.safeParse(body);
    if (!parsed.success) return [`the model does not match Model: ${describeIssues(parsed.error)}`];
    // Decoded as the server's router (Hono) decodes the parameter: malformed escapes are kept as they are.
    const requested = tryDecodeURIComponent(modelId);
    return parsed.data.id === requested ? [] : [`asked for model ${requested}, got ${parsed.data.id}`];
  }
  const dialect = method === 'POST' ? COMPATIBILITY_DIALECTS[path] : undefined;
  if (dialect !== undefined) return compatibilityViolations(exchange, body, dialect);
  return [`answered ${exchange.status} to ${method} ${path}, a route the contract does not have`];
}

/**
 * The real server's compatibility routes and the provider shape each speaks: Cohere v2's `POST /v2/rerank`
 * and HuggingFace TEI's `POST /rerank`.
 */
export const COMPATIBILITY_DIALECTS: Readonly<Record<string, DialectName>> = {
  '/v2/rerank': 'cohere-v2',
  '/rerank': 'tei',
};

/**
 * The model a TEI request (which names none) is read with here: the proxy does not know the server's
 * default model, and the checks below do not depend on it.
 */
const ANY_MODEL = 'default';

/**
 * How a compatibility route's success answer breaks its provider's shape for the request: the request is
 * read with the route's own codec (so a 2xx to a request the route refuses is a violation), and the answer
 * with the provider dialect's parser, which checks its schema, the indices, and that it ranks
 * `min(top_n, documents)` documents (all of them for TEI, which has no `top_n`).
 */
function compatibilityViolations(exchange: Exchange, body: unknown, name: DialectName): string[] {
  const decoded = dialectRerankCodec(exchange.path, name, ANY_MODEL).decode(
    exchange.requestBody,
    'req_proxy',
  );
  if (!decoded.success) {
    const { code, message } = decoded.error.body.error;
    return [`answered ${exchange.status} to a request the ${name} route rejects (${code}: ${message})`];
  }
  const { request } = decoded;
  const rawScores = (exchange.requestBody as { raw_scores?: unknown }).raw_scores === true;
  const scoreMapping = rawScores ? DIALECTS[name].rawScoreMapping : undefined;
  try {
    DIALECTS[name].dialect.parseResponse(body, {
      documentCount: request.documents.length,
      ...(request.topN === undefined ? {} : { topN: request.topN }),
      ...(scoreMapping === undefined ? {} : { scoreMapping }),
    });
    return [];
  } catch (error) {
    if (!(error instanceof DialectResponseError || error instanceof RangeError)) throw error;
    return [`the answer is not a ${name} rerank answer for the request: ${error.message}`];
  }
}

function errorViolations(exchange: Exchange, body: unknown): string[] {
  const parsed = ErrorResponse.safeParse(body);
  if (!parsed.success)
    return [`the error body does not match ErrorResponse: ${describeIssues(parsed.error)}`];
  const problems: string[] = [];
  const { type, request_id: requestId } = parsed.data.error;
  if (ERROR_TYPES[type].status !== exchange.status) {
    problems.push(
      `error type ${type} must be sent with status ${ERROR_TYPES[type].status}, not ${exchange.status}`,
    );
  }
  const headerId = exchange.headers.get('x-request-id');
  if (headerId !== null && headerId !== requestId) {
    problems.push(`request_id ${requestId} differs from the X-Request-Id header ${headerId}`);
  }
  return problems;
}

/**
 * Every way an answer breaks the API contract for its request, like `prism proxy --errors` reports: the
 * `X-Request-Id` header, a JSON body, and by status the success shape and invariants of the route
 * (`checkRerankResponse` for rerank) or the error shape with the status its type fixes. Empty when it
 * keeps the contract.
 */
export function findContractViolations(exchange: Exchange): string[] {
  const problems: string[] = [];
  if (!exchange.headers.has('x-request-id')) problems.push('the answer has no X-Request-Id header');
  const isSuccess = exchange.status >= 200 && exchange.status < 300;
  if (!isSuccess && exchange.status < 400) {
    problems.push(`status ${exchange.status} is not one the contract uses`);
    return problems;
  }
  if (exchange.method === 'HEAD') return problems;
  if (!isJsonContentType(exchange.headers.get('content-type'))) {
    problems.push(
      `the answer's Content-Type is ${exchange.headers.get('content-type') ?? 'missing'}, not application/json`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(exchange.bodyText);
  } catch (error) {
    problems.push(`the body is not valid JSON: ${(error as Error).message}`);
    return problems;
  }
  problems.push(...(isSuccess ? successViolations(exchange, body) : errorViolations(exchange, body)));
  return problems;
}
