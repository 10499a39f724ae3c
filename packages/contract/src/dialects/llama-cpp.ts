import { z } from 'zod';
import {
  DialectQuery,
  DialectTexts,
  EngineDocument,
  EngineIndex,
  EngineScoreValue,
  PositiveInt,
} from './engine-fields.js';
import { describeOpenAiError, OpenAiErrorBody } from './openai-error-body.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import { relevanceEntries, toRelevanceResults } from './relevance-results.js';
import type { RerankDialect } from './rerank-dialect.js';
import { toNormalizedRequest } from './to-normalized-request.js';

/**
 * The body of llama.cpp server's `POST /v1/rerank` (also `/rerank`, `/reranking`), run with
 * `--reranking` (`--embedding --pooling rank`). The server also takes TEI's body (`texts`) and then
 * answers in TEI's shape; this dialect is the Jina-like one.
 */
export const LlamaCppRerankRequest = z.object({
  /** Ignored by the server except to echo it back. */
  model: z.string().min(1).optional(),
  /** The search query. */
  query: DialectQuery,
  /** The documents, as strings. */
  documents: DialectTexts,
  /** How many results to return; all when omitted (the server would return none for `0`, so it is refused). */
  top_n: PositiveInt.optional(),
});

/** The body of llama.cpp server's `POST /v1/rerank`. */
export type LlamaCppRerankRequest = z.infer<typeof LlamaCppRerankRequest>;

/** One result of llama.cpp's rerank. */
export const LlamaCppRerankResult = z.object({
  /** The document's position in the request. */
  index: EngineIndex,
  /**
   * The first output of the model's ranking head: a logit for a BERT-style head (BGE, Jina GGUFs), but
   * P(yes) in [0, 1] for a Qwen3-Reranker GGUF, whose rank pooling ends in a softmax over its yes/no
   * rows (llama.cpp `build_pooling`). The sigmoid mapping by default; parse with `scoreMapping: 'identity'`
   * for a Qwen3 GGUF.
   */
  relevance_score: EngineScoreValue,
  /** The document, when the server version echoes it (string or `{ text }`). */
  document: EngineDocument.optional(),
});

/** The answer of llama.cpp server's `POST /v1/rerank`. */
export const LlamaCppRerankResponse = z.object({
  /** The `model` of the request, or the server's default name. */
  model: z.string().optional(),
  /** Always `list`. */
  object: z.string().optional(),
  /** Tokens evaluated. */
  usage: z.object({ prompt_tokens: z.number().optional(), total_tokens: z.number() }).optional(),
  /** The ranked documents (sorted by score descending in recent versions). */
  results: z.array(LlamaCppRerankResult),
});

/** The answer of llama.cpp server's `POST /v1/rerank`. */
export type LlamaCppRerankResponse = z.infer<typeof LlamaCppRerankResponse>;

/**
 * llama.cpp server `POST /v1/rerank`. Scores are read as the raw logits of the ranking head (sigmoid
 * mapping), which is what BGE and Jina GGUFs give; a Qwen3-Reranker GGUF already answers P(yes) in
 * [0, 1], which `parseResponse` reads as it is with `scoreMapping: 'identity'`. No instruction: the prompt comes from the GGUF's rerank template, so Qwen3-Reranker
 * needs a conversion that carries it (see llama.cpp #16407). No token limit or returned documents.
 */
export const llamaCppDialect: RerankDialect<LlamaCppRerankRequest, LlamaCppRerankResponse> = {
  name: 'llama-cpp',
  request: LlamaCppRerankRequest,
  response: LlamaCppRerankResponse,
  error: OpenAiErrorBody,
  toRequest(request, options = {}) {
    return {
      model: options.upstreamModel ?? request.model,
      query: request.query,
      documents: request.documents,
      top_n: request.topN,
    };
  },
  fromRequest(request, options = {}) {
    return toNormalizedRequest({
      model: request.model ?? options.defaultModel ?? '',
      query: request.query,
      documents: request.documents,
      topN: request.top_n,
      returnDocuments: false,
    });
  },
  toResponse(input) {
    return {
      model: input.model,
      object: 'list',
      usage: { prompt_tokens: input.totalTokens, total_tokens: input.totalTokens },
      results: toRelevanceResults(input, 'sigmoid', 'none'),
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('llama-cpp', LlamaCppRerankResponse, body, options, 'sigmoid', (parsed) => ({
      entries: relevanceEntries(parsed.results),
      totalTokens: parsed.usage?.total_tokens,
    })),
  describeError: describeOpenAiError,
};
