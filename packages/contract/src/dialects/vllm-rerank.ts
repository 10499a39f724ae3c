import { z } from 'zod';
import { createRerankId } from '../build-rerank-response.js';
import type { NormalizedRerankRequest } from '../normalize-rerank-request.js';
import {
  DialectQuery,
  DialectTexts,
  EngineDocument,
  EngineIndex,
  EngineScoreValue,
  NonNegativeInt,
} from './engine-fields.js';
import { describeOpenAiError, OpenAiErrorBody } from './openai-error-body.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import {
  formatQwen3RerankerDocument,
  formatQwen3RerankerQuery,
  parseQwen3RerankerDocument,
  parseQwen3RerankerQuery,
} from './qwen3-reranker.js';
import { relevanceEntries, toRelevanceResults } from './relevance-results.js';
import type { DialectErrorDescription, DialectRequestOptions, RerankDialect } from './rerank-dialect.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/**
 * vLLM's `truncate_prompt_tokens`: keep only the last this-many tokens of each query-document prompt;
 * `-1` means the model's maximum length, and a count above it is refused (400). It limits the whole
 * prompt (query, document and any template), not the document alone, so it cannot carry a per-document
 * limit: the gateway only ever sends `-1` ({@link VLLM_TRUNCATE_TO_MODEL_LENGTH}).
 */
export const VllmTruncatePromptTokens = z.int().min(-1);

/**
 * The `truncate_prompt_tokens` the vLLM dialects send when a request sets a per-document token limit:
 * truncate to the model's maximum length, keeping the end of the prompt, where a Qwen3-Reranker reads its
 * yes/no answer. A positive count would be applied to the whole prompt and cut into the query and the
 * template (or be refused above the model's length), so none is ever derived from the per-document limit.
 */
export const VLLM_TRUNCATE_TO_MODEL_LENGTH = -1;

/** The body of vLLM's `POST /v1/rerank` (also served at `/rerank` and `/v2/rerank`). */
export const VllmRerankRequest = z.object({
  /** The served model name; vLLM's only model when omitted. */
  model: z.string().min(1).optional(),
  /** The search query (with the Qwen3 template, the formatted query half of the prompt). */
  query: DialectQuery,
  /** The documents, as strings. */
  documents: DialectTexts,
  /** How many results to return; `0` (the default) means all. */
  top_n: NonNegativeInt.optional(),
  /** The prompt token limit; see {@link VllmTruncatePromptTokens}. */
  truncate_prompt_tokens: VllmTruncatePromptTokens.optional(),
});

/** The body of vLLM's `POST /v1/rerank`. */
export type VllmRerankRequest = z.infer<typeof VllmRerankRequest>;

/** One result of vLLM's rerank. */
export const VllmRerankResult = z.object({
  /** The document's position in the request. */
  index: EngineIndex,
  /** The document, as `{ text }` (vLLM always returns it). */
  document: EngineDocument.optional(),
  /** The relevance score: the model's activation (sigmoid for one-label classifiers), in [0, 1]. */
  relevance_score: EngineScoreValue,
});

/** Token usage as vLLM reports it. */
export const VllmUsage = z.object({
  /** Prompt tokens, when reported. */
  prompt_tokens: z.number().optional(),
  /** All tokens. */
  total_tokens: z.number(),
});

/** The answer of vLLM's `POST /v1/rerank`. */
export const VllmRerankResponse = z.object({
  /** The id of the call. */
  id: z.string().optional(),
  /** The served model name. */
  model: z.string().optional(),
  /** Tokens counted. */
  usage: VllmUsage.optional(),
  /** The ranked documents, by score descending. */
  results: z.array(VllmRerankResult),
});

/** The answer of vLLM's `POST /v1/rerank`. */
export type VllmRerankResponse = z.infer<typeof VllmRerankResponse>;

/**
 * The body vLLM's `--api-key` middleware (`AuthenticationMiddleware`) answers a wrong or missing key on
 * `/v1/...` routes with: 401 `{ "error": "Unauthorized" }`, a bare string rather than an error object.
 */
export const VllmUnauthorizedBody = z.object({
  /** What went wrong, `Unauthorized`. */
  error: z.string(),
});

/**
 * vLLM's error body: OpenAI-style, nested in recent versions or flat with `object: "error"` in older ones,
 * or the API-key middleware's bare `{ error: "Unauthorized" }`.
 */
export const VllmErrorBody = z.union([
  OpenAiErrorBody,
  VllmUnauthorizedBody,
  z.object({
    /** Always `error`. */
    object: z.literal('error'),
    /** What went wrong. */
    message: z.string(),
    /** The error type, such as `BadRequestError`. */
    type: z.string().optional(),
    /** The HTTP status. */
    code: z.number().optional(),
  }),
]);

/** The message of a vLLM error body: OpenAI-style (nested or flat), or the API-key middleware's bare string. */
export function describeVllmError(body: unknown): DialectErrorDescription | undefined {
  const described = describeOpenAiError(body);
  if (described !== undefined) return described;
  const bare = VllmUnauthorizedBody.safeParse(body);
  return bare.success ? { message: bare.data.error } : undefined;
}

/** The query and documents a vLLM request carries, formatted with the Qwen3 template when asked. */
export function vllmQueryAndDocuments(
  request: NormalizedRerankRequest,
  options: DialectRequestOptions,
): { query: string; documents: string[] } {
  if (options.qwen3RerankerTemplate !== true) return { query: request.query, documents: request.documents };
  return {
    query: formatQwen3RerankerQuery({ instruction: request.instruction, query: request.query }),
    documents: request.documents.map(formatQwen3RerankerDocument),
  };
}

/**
 * The canonical query, documents and instruction of a vLLM request, unwrapping the Qwen3 template when
 * the query and every document carry it.
 */
export function vllmCanonicalTexts(
  query: string,
  documents: readonly string[],
): { query: string; documents: string[]; instruction?: string } {
  const templated = parseQwen3RerankerQuery(query);
  if (templated !== undefined) {
    const unwrapped = documents.map(parseQwen3RerankerDocument);
    if (unwrapped.every((document) => document !== undefined)) {
      return { query: templated.query, documents: unwrapped as string[], instruction: templated.instruction };
    }
  }
  return { query, documents: [...documents] };
}

/**
 * vLLM `POST /v1/rerank`. Scores are the model's activation (identity). No instruction field: for
 * Qwen3-Reranker served with the `Qwen3ForSequenceClassification` overrides, `qwen3RerankerTemplate`
 * writes the instruction into the prompt. vLLM has no per-document token limit: a request that sets
 * one is sent `truncate_prompt_tokens: -1` (truncate to the model's length), and a received
 * `truncate_prompt_tokens` is not read as one. `top_n` is always sent (`0` would mean all).
 */
export const vllmRerankDialect: RerankDialect<VllmRerankRequest, VllmRerankResponse> = {
  name: 'vllm-rerank',
  request: VllmRerankRequest,
  response: VllmRerankResponse,
  error: VllmErrorBody,
  toRequest(request, options = {}) {
    const body: VllmRerankRequest = {
      model: options.upstreamModel ?? request.model,
      ...vllmQueryAndDocuments(request, options),
      top_n: request.topN,
    };
    if (request.maxTokensPerDocument !== undefined)
      body.truncate_prompt_tokens = VLLM_TRUNCATE_TO_MODEL_LENGTH;
    return body;
  },
  fromRequest(request, options = {}) {
    const texts = vllmCanonicalTexts(request.query, request.documents);
    return toNormalizedRequest({
      model: request.model ?? options.defaultModel ?? '',
      ...texts,
      topN: request.top_n === 0 ? undefined : request.top_n,
      returnDocuments: true,
      // truncate_prompt_tokens limits the whole prompt, which no canonical field means: not read.
    });
  },
  toResponse(input) {
    return {
      id: input.id ?? createRerankId(),
      model: input.model,
      usage: { total_tokens: input.totalTokens },
      results: toRelevanceResults(input, 'identity', 'object'),
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('vllm-rerank', VllmRerankResponse, body, options, 'identity', (parsed) => ({
      entries: relevanceEntries(parsed.results),
      totalTokens: parsed.usage?.total_tokens,
    })),
  describeError: describeVllmError,
};
