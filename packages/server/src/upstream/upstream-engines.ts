import { DIALECTS, type DialectInfo, type DialectName } from '@sealink/rerank-contract/dialects';

/** How the gateway talks to one kind of engine or hosted API: its dialect plus what the gateway may send it. */
export interface UpstreamEngine {
  /** The contract's dialect: converters, paths, score mapping and default batch size. */
  readonly info: DialectInfo;
  /** The scoring route, relative to a replica's base URL: the dialect's first path. */
  readonly path: string;
  /** The route active health checks fetch with GET; `undefined` for hosted APIs, checked passively only. */
  readonly healthPath: string | undefined;
  /** Whether the wire format carries a task instruction field (DashScope's `instruct`). */
  readonly acceptsInstruction: boolean;
  /**
   * Whether the wire format carries an exact per-document token limit (Cohere v2's `max_tokens_per_doc`):
   * the dialect's `tokenLimit.kind` is `per-document`. Engines that can only truncate to the model's length
   * (TEI's `truncate`, vLLM's `truncate_prompt_tokens: -1`) do not accept it; see `info.tokenLimit`.
   */
  readonly acceptsMaxTokensPerDocument: boolean;
  /**
   * Whether the scale of the engine's scores depends on the model it serves, so the configuration may set
   * it (`score_mapping`): llama.cpp's server returns the raw logit of a BERT-style ranking head (BGE,
   * Jina GGUFs) but P(yes) for a Qwen3-Reranker GGUF, whose rank pooling ends in a softmax. Every other
   * type's scale is fixed by the engine or API (or by the request, as TEI's and Infinity's `raw_scores`).
   */
  readonly takesScoreMapping: boolean;
}

/**
 * The `backend.type` names of the server config and the dialect each one speaks: every dialect by its
 * own name, plus the short names `vllm` (vLLM's `/v1/rerank`) and `cohere` (Cohere v2).
 */
export const UPSTREAM_TYPE_DIALECTS = {
  tei: 'tei',
  vllm: 'vllm-rerank',
  'vllm-rerank': 'vllm-rerank',
  'vllm-score': 'vllm-score',
  infinity: 'infinity',
  'llama-cpp': 'llama-cpp',
  cohere: 'cohere-v2',
  'cohere-v2': 'cohere-v2',
  'cohere-v1': 'cohere-v1',
  jina: 'jina',
  voyage: 'voyage',
  dashscope: 'dashscope',
  'dashscope-compatible': 'dashscope-compatible',
} as const satisfies Record<string, DialectName>;

/** The `backend.type` of an upstream in the server config. */
export type UpstreamType = keyof typeof UPSTREAM_TYPE_DIALECTS;

/** Every upstream type, for config validation and docs. */
export const UPSTREAM_TYPES = Object.keys(UPSTREAM_TYPE_DIALECTS) as [UpstreamType, ...UpstreamType[]];

/** The dialects whose request carries the instruction in a field of its own. */
const INSTRUCTION_FIELD_DIALECTS: ReadonlySet<DialectName> = new Set(['dashscope', 'dashscope-compatible']);

/** The dialects whose score scale depends on the served model: see {@link UpstreamEngine.takesScoreMapping}. */
const MODEL_DEPENDENT_SCALE_DIALECTS: ReadonlySet<DialectName> = new Set(['llama-cpp']);

/** The routes and capabilities of one upstream type. */
export function upstreamEngine(type: UpstreamType): UpstreamEngine {
  const name: DialectName = UPSTREAM_TYPE_DIALECTS[type];
  const info = DIALECTS[name];
  return {
    info,
    path: info.paths[0],
    // Every self-hosted engine here (TEI, vLLM, Infinity, llama.cpp's server) answers GET /health.
    healthPath: info.kind === 'engine' ? '/health' : undefined,
    acceptsInstruction: INSTRUCTION_FIELD_DIALECTS.has(name),
    acceptsMaxTokensPerDocument: info.tokenLimit.kind === 'per-document',
    takesScoreMapping: MODEL_DEPENDENT_SCALE_DIALECTS.has(name),
  };
}
