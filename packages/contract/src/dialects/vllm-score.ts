import { z } from 'zod';
import { createRerankId } from '../build-rerank-response.js';
import { DialectQuery, DialectTexts, EngineIndex, EngineScoreValue } from './engine-fields.js';
import { parseDialectAnswer } from './parse-dialect-answer.js';
import type { RerankDialect } from './rerank-dialect.js';
import { toEngineScores } from './to-engine-scores.js';
import { toNormalizedRequest } from './to-normalized-request.js';
import {
  describeVllmError,
  VLLM_TRUNCATE_TO_MODEL_LENGTH,
  VllmErrorBody,
  VllmTruncatePromptTokens,
  VllmUsage,
  vllmCanonicalTexts,
  vllmQueryAndDocuments,
} from './vllm-rerank.js';

/**
 * The body of vLLM's `POST /score` (also `/v1/score`): one `text_1` against a list of `text_2`. vLLM
 * also takes lists on both sides (scored pairwise); this gateway sends one query.
 */
export const VllmScoreRequest = z.object({
  /** The served model name; vLLM's only model when omitted. */
  model: z.string().min(1).optional(),
  /** The query (with the Qwen3 template, the formatted query half of the prompt). */
  text_1: DialectQuery,
  /** The documents. */
  text_2: DialectTexts,
  /** The prompt token limit, for the whole prompt; `-1` means the model's maximum. See {@link VllmTruncatePromptTokens}. */
  truncate_prompt_tokens: VllmTruncatePromptTokens.optional(),
});

/** The body of vLLM's `POST /score`. */
export type VllmScoreRequest = z.infer<typeof VllmScoreRequest>;

/** One score of vLLM's `/score`. */
export const VllmScoreData = z.object({
  /** The position of the pair, that is of the document in `text_2`. */
  index: EngineIndex,
  /** Always `score`. */
  object: z.string().optional(),
  /** The score: the model's activation, in [0, 1]. */
  score: EngineScoreValue,
});

/** The answer of vLLM's `POST /score`: one score per document, in request order (not sorted). */
export const VllmScoreResponse = z.object({
  /** The id of the call. */
  id: z.string().optional(),
  /** Always `list`. */
  object: z.string().optional(),
  /** When the answer was made, in Unix seconds. */
  created: z.number().optional(),
  /** The served model name. */
  model: z.string().optional(),
  /** The scores. */
  data: z.array(VllmScoreData),
  /** Tokens counted. */
  usage: VllmUsage.optional(),
});

/** The answer of vLLM's `POST /score`. */
export type VllmScoreResponse = z.infer<typeof VllmScoreResponse>;

/**
 * vLLM `POST /score`: every document scored in request order, no `top_n` and no document text.
 * Scores are the model's activation (identity); `qwen3RerankerTemplate` and the token limit
 * (`truncate_prompt_tokens: -1`, never a count) as for `vllm-rerank`.
 */
export const vllmScoreDialect: RerankDialect<VllmScoreRequest, VllmScoreResponse> = {
  name: 'vllm-score',
  request: VllmScoreRequest,
  response: VllmScoreResponse,
  error: VllmErrorBody,
  toRequest(request, options = {}) {
    const { query, documents } = vllmQueryAndDocuments(request, options);
    const body: VllmScoreRequest = {
      model: options.upstreamModel ?? request.model,
      text_1: query,
      text_2: documents,
    };
    if (request.maxTokensPerDocument !== undefined)
      body.truncate_prompt_tokens = VLLM_TRUNCATE_TO_MODEL_LENGTH;
    return body;
  },
  fromRequest(request, options = {}) {
    return toNormalizedRequest({
      model: request.model ?? options.defaultModel ?? '',
      ...vllmCanonicalTexts(request.text_1, request.text_2),
      returnDocuments: false,
      // truncate_prompt_tokens limits the whole prompt, which no canonical field means: not read.
    });
  },
  toResponse(input) {
    const data = toEngineScores(input, 'identity')
      .map(({ index, score }) => ({ index, object: 'score', score }))
      .sort((a, b) => a.index - b.index);
    return {
      id: input.id ?? createRerankId(),
      object: 'list',
      created: Math.floor(Date.now() / 1000),
      model: input.model,
      data,
      usage: { prompt_tokens: input.totalTokens, total_tokens: input.totalTokens },
    };
  },
  parseResponse: (body, options) =>
    parseDialectAnswer('vllm-score', VllmScoreResponse, body, options, 'identity', (parsed) => ({
      entries: parsed.data.map((item) => ({ index: item.index, score: item.score })),
      totalTokens: parsed.usage?.total_tokens,
    })),
  describeError: describeVllmError,
};
