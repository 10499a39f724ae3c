import { cohereV1Dialect } from './cohere-v1.js';
import { cohereV2Dialect } from './cohere-v2.js';
import { dashScopeDialect } from './dashscope.js';
import { dashScopeCompatibleDialect } from './dashscope-compatible.js';
import type { DialectName } from './dialect-name.js';
import { infinityDialect } from './infinity.js';
import { jinaDialect } from './jina.js';
import { llamaCppDialect } from './llama-cpp.js';
import type { RerankDialect } from './rerank-dialect.js';
import type { ScoreMapping } from './score-mapping.js';
import { teiDialect } from './tei.js';
import { vllmRerankDialect } from './vllm-rerank.js';
import { vllmScoreDialect } from './vllm-score.js';
import { voyageDialect } from './voyage.js';

/**
 * How a dialect's request carries the public request's `max_tokens_per_doc` (Cohere v2 semantics: each
 * document is cut to that many tokens, the query and any prompt template untouched).
 * - `per-document`: the wire format has that exact limit; the count is sent as is.
 * - `model-length`: the engine can only cut each query-document pair to the model's own length; when a
 *   request sets a limit the gateway asks for that cut (so an over-long pair is truncated rather than
 *   refused), never sends the count, and warns that the count is not honoured.
 * - `none`: nothing in the request carries it; the gateway warns that the upstream truncates (or refuses)
 *   by the model's context length instead.
 */
export type DialectTokenLimit =
  | {
      /** An exact per-document limit. */
      kind: 'per-document';
      /** The request field that carries the count, for example `max_tokens_per_doc`. */
      wire: string;
    }
  | {
      /** Truncation to the model's length only; the count is not honoured. */
      kind: 'model-length';
      /** What is sent when the request sets a limit, for example `truncate: true`. */
      wire: string;
    }
  | {
      /** Nothing carries the limit. */
      kind: 'none';
      /** What the engine does with over-long input regardless, when worth saying. */
      note?: string;
    };

/** What the docs and the model registry need to know about one dialect. */
export interface DialectInfo {
  /** The dialect's key. */
  name: DialectName;
  /** A display name, for example `HuggingFace TEI`. */
  title: string;
  /** Whether it is a hosted API (`provider`) or a self-hosted inference engine (`engine`). */
  kind: 'provider' | 'engine';
  /** The HTTP method of the rerank call. */
  method: 'POST';
  /** The path of the rerank call, relative to the base URL; aliases after the first. */
  paths: readonly [string, ...string[]];
  /** How the engine's scores map to [0, 1] with the requests this gateway sends. */
  scoreMapping: ScoreMapping;
  /** The mapping when the engine is asked for raw scores (`rawScores`), for engines that have it. */
  rawScoreMapping?: ScoreMapping;
  /** The most documents to send in one call unless the model registry says otherwise. */
  defaultMaxBatch: number;
  /** How the request's instruction reaches the model: a field name, the prompt template, or not at all. */
  instruction: string;
  /** How the request's per-document token limit reaches the engine; see {@link DialectTokenLimit}. */
  tokenLimit: DialectTokenLimit;
  /** One sentence on the dialect, for the docs. */
  summary: string;
  /** The converters and schemas. */
  dialect: RerankDialect<unknown, unknown>;
}

const info = (entry: DialectInfo): DialectInfo => entry;

/**
 * Every provider and engine dialect, with its paths, score mapping, default batch size, instruction and
 * token-limit handling. The docs site renders this table at build time (`apps/docs`, the dialect table
 * of "Running the server"); backends take the converters and the token-limit kind from it by name.
 */
export const DIALECTS: Readonly<Record<DialectName, DialectInfo>> = {
  'cohere-v2': info({
    name: 'cohere-v2',
    title: 'Cohere v2',
    kind: 'provider',
    method: 'POST',
    paths: ['/v2/rerank'],
    scoreMapping: 'identity',
    defaultMaxBatch: 1000,
    instruction: 'none',
    tokenLimit: { kind: 'per-document', wire: 'max_tokens_per_doc' },
    summary:
      'Cohere Rerank v2: string documents, top_n and max_tokens_per_doc; results carry index and relevance_score only.',
    dialect: cohereV2Dialect,
  }),
  'cohere-v1': info({
    name: 'cohere-v1',
    title: 'Cohere v1',
    kind: 'provider',
    method: 'POST',
    paths: ['/v1/rerank'],
    scoreMapping: 'identity',
    defaultMaxBatch: 1000,
    instruction: 'none',
    tokenLimit: { kind: 'none' },
    summary:
      'Cohere Rerank v1: like v2 plus return_documents, object documents and max_chunks_per_doc; results carry document.',
    dialect: cohereV1Dialect,
  }),
  jina: info({
    name: 'jina',
    title: 'Jina AI',
    kind: 'provider',
    method: 'POST',
    paths: ['/v1/rerank'],
    scoreMapping: 'identity',
    defaultMaxBatch: 1000,
    instruction: 'none',
    tokenLimit: { kind: 'none' },
    summary:
      'Jina Reranker API: top_n and return_documents (default true); results carry document.text; usage.total_tokens.',
    dialect: jinaDialect,
  }),
  voyage: info({
    name: 'voyage',
    title: 'Voyage AI',
    kind: 'provider',
    method: 'POST',
    paths: ['/v1/rerank'],
    scoreMapping: 'identity',
    defaultMaxBatch: 1000,
    instruction: 'none (rerank-2.5 reads instructions written into the query)',
    tokenLimit: {
      kind: 'none',
      note: 'truncation: true is always sent: over-long input is cut to the model context',
    },
    summary: 'Voyage AI rerank: top_k for top_n, truncation, and an OpenAI-style list answer under data.',
    dialect: voyageDialect,
  }),
  dashscope: info({
    name: 'dashscope',
    title: 'Alibaba DashScope (native)',
    kind: 'provider',
    method: 'POST',
    paths: ['/api/v1/services/rerank/text-rerank/text-rerank'],
    scoreMapping: 'identity',
    defaultMaxBatch: 500,
    instruction: 'parameters.instruct',
    tokenLimit: { kind: 'none' },
    summary:
      'DashScope text-rerank for qwen3-rerank and gte-rerank-v2: input and parameters objects; answers under output.results.',
    dialect: dashScopeDialect,
  }),
  'dashscope-compatible': info({
    name: 'dashscope-compatible',
    title: 'Alibaba DashScope (compatible)',
    kind: 'provider',
    method: 'POST',
    paths: ['/compatible-api/v1/reranks'],
    scoreMapping: 'identity',
    defaultMaxBatch: 500,
    instruction: 'instruct',
    tokenLimit: { kind: 'none' },
    summary: "DashScope's OpenAI-compatible rerank: a flat body with instruct; answers under results.",
    dialect: dashScopeCompatibleDialect,
  }),
  tei: info({
    name: 'tei',
    title: 'HuggingFace TEI',
    kind: 'engine',
    method: 'POST',
    paths: ['/rerank'],
    scoreMapping: 'identity',
    rawScoreMapping: 'sigmoid',
    defaultMaxBatch: 32,
    instruction: 'none',
    tokenLimit: { kind: 'model-length', wire: 'truncate: true' },
    summary:
      'text-embeddings-inference: texts in, a bare array of {index, score, text?} out; at most --max-client-batch-size (32) texts per call.',
    dialect: teiDialect,
  }),
  'vllm-rerank': info({
    name: 'vllm-rerank',
    title: 'vLLM rerank',
    kind: 'engine',
    method: 'POST',
    paths: ['/v1/rerank', '/rerank', '/v2/rerank'],
    scoreMapping: 'identity',
    defaultMaxBatch: 256,
    instruction: 'Qwen3-Reranker prompt template, written on the client side (qwen3RerankerTemplate)',
    tokenLimit: { kind: 'model-length', wire: 'truncate_prompt_tokens: -1' },
    summary:
      "vLLM's Jina/Cohere-like rerank; for Qwen3-Reranker serve with the Qwen3ForSequenceClassification overrides.",
    dialect: vllmRerankDialect,
  }),
  'vllm-score': info({
    name: 'vllm-score',
    title: 'vLLM score',
    kind: 'engine',
    method: 'POST',
    paths: ['/score', '/v1/score'],
    scoreMapping: 'identity',
    defaultMaxBatch: 256,
    instruction: 'Qwen3-Reranker prompt template, written on the client side (qwen3RerankerTemplate)',
    tokenLimit: { kind: 'model-length', wire: 'truncate_prompt_tokens: -1' },
    summary: "vLLM's pair scoring: text_1 against a list of text_2; scores in request order under data.",
    dialect: vllmScoreDialect,
  }),
  infinity: info({
    name: 'infinity',
    title: 'Infinity',
    kind: 'engine',
    method: 'POST',
    paths: ['/rerank'],
    scoreMapping: 'identity',
    rawScoreMapping: 'sigmoid',
    defaultMaxBatch: 2048,
    instruction: 'none',
    tokenLimit: { kind: 'none' },
    summary:
      'michaelfeil/infinity: Cohere-like rerank with return_documents, raw_scores and top_n; at most 2,048 documents.',
    dialect: infinityDialect,
  }),
  'llama-cpp': info({
    name: 'llama-cpp',
    title: 'llama.cpp server',
    kind: 'engine',
    method: 'POST',
    paths: ['/v1/rerank', '/rerank', '/reranking', '/v1/reranking'],
    scoreMapping: 'sigmoid',
    defaultMaxBatch: 64,
    instruction: "none (the GGUF's rerank template builds the prompt)",
    tokenLimit: { kind: 'none' },
    summary:
      'llama-server --reranking: Jina-like body; relevance_score is the raw logit of the ranking head (BGE, Jina GGUFs), but already P(yes) in [0, 1] for a Qwen3-Reranker GGUF, whose rank pooling ends in a softmax: read those with the identity mapping (the server\'s score_mapping: "identity").',
    dialect: llamaCppDialect,
  }),
};
