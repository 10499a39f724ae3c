import { z } from 'zod';
import type { ErrorAnswer } from '../create-error-response.js';
import { MAX_DOCUMENTS } from '../limits.js';
import type { NormalizedRerankRequest } from '../normalize-rerank-request.js';
import { RerankRequest } from '../rerank-request.js';
import type { RerankResponse } from '../rerank-response.js';
import { rerankRoute } from '../routes.js';
import { type RerankRequestValidation, validateRerankRequest } from '../validate-rerank-request.js';
import { zodErrorToErrorResponse } from '../zod-error-to-error-response.js';
import type { DialectName } from './dialect-name.js';
import { dialectResponseInputOf } from './dialect-response-input-of.js';
import { DIALECTS } from './dialects.js';

/** A rerank request read from a route's wire format, with how to answer it in that format. */
export type DecodedRerankRequest =
  | {
      success: true;
      /** The request in the contract's terms. */
      request: NormalizedRerankRequest;
      /** The contract's response in the route's wire format. */
      encode(response: RerankResponse): unknown;
    }
  | { success: false; error: ErrorAnswer };

/** How one rerank route reads requests and writes answers: ours, or a provider's shape. */
export interface RerankRouteCodec {
  /** The route's path, also its `route` label in metrics and logs. */
  readonly path: string;
  /**
   * The documents' field as the route's requests name it (TEI's `texts`), for the `param` of an error
   * about the documents found after `decode` (as the server's per-model document limit).
   */
  readonly documentsField: string;
  /** Validates a parsed JSON body: the request, or the contract's 400 answer. */
  decode(body: unknown, requestId: string): DecodedRerankRequest;
}

const asIs = (response: RerankResponse): unknown => response;

/** `POST /v1/rerank`: the contract's own request and response. */
export const NATIVE_RERANK_CODEC: RerankRouteCodec = {
  path: rerankRoute.path,
  documentsField: 'documents',
  decode(body, requestId) {
    const validation: RerankRequestValidation = validateRerankRequest(body, requestId);
    return validation.success ? { success: true, request: validation.request, encode: asIs } : validation;
  },
};

/** The contract's request body for a canonical request, so the contract's one validator checks its limits. */
function toContractBody(request: NormalizedRerankRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    query: request.query,
    documents: request.documents,
    top_n: request.topN,
    return_documents: request.returnDocuments,
  };
  if (request.instruction !== undefined) body.instruction = request.instruction;
  if (request.maxTokensPerDocument !== undefined) body.max_tokens_per_doc = request.maxTokensPerDocument;
  return body;
}

/**
 * The contract fields that a dialect's request carries under another name, with the JSON path there, so
 * that an error found by the contract's checks names the field the client sent (TEI's `texts[3]`, not
 * `documents[3]`). Fields missing here have the same name in the dialect.
 */
const DIALECT_FIELD_PATHS: Partial<Record<DialectName, Readonly<Record<string, string>>>> = {
  voyage: { top_n: 'top_k' },
  dashscope: {
    query: 'input.query',
    documents: 'input.documents',
    top_n: 'parameters.top_n',
    return_documents: 'parameters.return_documents',
    instruction: 'parameters.instruct',
  },
  'dashscope-compatible': { instruction: 'instruct' },
  tei: { documents: 'texts', return_documents: 'return_text' },
  'vllm-score': { query: 'text_1', documents: 'text_2' },
};

/** The value at a dotted path of fields (`input.documents`) in a parsed JSON body, if any. */
function valueAtPath(body: unknown, path: string): unknown {
  let value = body;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The contract's answer to a dialect request with more documents than the contract takes, found from the
 * array's length alone. The dialect's schema has no such limit and would check every item first, listing
 * one problem per item: seconds and gigabytes for a 10 MB body of millions of numbers.
 */
function tooManyDocumentsAnswer(
  body: unknown,
  name: DialectName,
  requestId: string,
): ErrorAnswer | undefined {
  const documents = valueAtPath(body, DIALECT_FIELD_PATHS[name]?.documents ?? 'documents');
  if (!Array.isArray(documents) || documents.length <= MAX_DOCUMENTS) return undefined;
  const documentsCheck = RerankRequest.shape.documents.safeParse(documents);
  if (documentsCheck.success) return undefined;
  const answer = zodErrorToErrorResponse(
    new z.ZodError(
      documentsCheck.error.issues.map((issue) => ({ ...issue, path: ['documents', ...issue.path] })),
    ),
    { requestId },
  );
  return inDialectTerms(answer, name);
}

/** A contract error answer about a dialect's request, with its field named as the dialect names it. */
function inDialectTerms(answer: ErrorAnswer, name: DialectName): ErrorAnswer {
  const { param } = answer.body.error;
  const field = param === undefined ? undefined : /^[a-z_]+/.exec(param)?.[0];
  const wire = field === undefined ? undefined : DIALECT_FIELD_PATHS[name]?.[field];
  if (param === undefined || field === undefined || wire === undefined) return answer;
  const error = {
    ...answer.body.error,
    message: answer.body.error.message.replace(new RegExp(`\\b${field}\\b`, 'g'), wire),
    param: wire + param.slice(field.length),
  };
  return { status: answer.status, body: { error } };
}

/**
 * A compatibility route in a provider's shape (for example Cohere v2's `POST /v2/rerank` or TEI's
 * `POST /rerank`), served by the same registry: the body is checked against the dialect's schema,
 * turned into the contract's request and checked against the contract's limits, and the contract's
 * answer is written back in the dialect's shape. Requests without a model (TEI's) use `defaultModel`.
 * Errors keep the contract's error shape, with the status each provider's SDK maps to its error classes.
 */
export function dialectRerankCodec(path: string, name: DialectName, defaultModel: string): RerankRouteCodec {
  const { dialect } = DIALECTS[name];
  return {
    path,
    documentsField: DIALECT_FIELD_PATHS[name]?.documents ?? 'documents',
    decode(body, requestId) {
      const tooMany = tooManyDocumentsAnswer(body, name, requestId);
      if (tooMany !== undefined) return { success: false, error: tooMany };
      const parsed = dialect.request.safeParse(body);
      if (!parsed.success) {
        return { success: false, error: zodErrorToErrorResponse(parsed.error, { requestId, input: body }) };
      }
      const canonical = dialect.fromRequest(parsed.data, { defaultModel });
      const validation = validateRerankRequest(toContractBody(canonical), requestId);
      if (!validation.success) return { success: false, error: inDialectTerms(validation.error, name) };
      // TEI's raw_scores asks for logits; every other field of the answer follows the request.
      const rawScores = (body as { raw_scores?: unknown }).raw_scores === true;
      const mapping = rawScores ? DIALECTS[name].rawScoreMapping : undefined;
      return {
        success: true,
        request: validation.request,
        encode: (response) =>
          dialect.toResponse({
            ...dialectResponseInputOf(response),
            documentCount: validation.request.documents.length,
            ...(mapping === undefined ? {} : { scoreMapping: mapping }),
          }),
      };
    },
  };
}
