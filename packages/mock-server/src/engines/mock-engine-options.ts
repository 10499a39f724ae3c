import {
  DIALECT_NAMES,
  type DialectName,
  SCORE_MAPPINGS,
  type ScoreMapping,
} from '@sealink/rerank-contract/dialects';
import { showValue } from '../show-value.js';

/**
 * How a mock engine in Qwen3-Reranker mode reads its input:
 * - `expects-formatted`: like vLLM with the `Qwen3ForSequenceClassification` overrides, TEI or Infinity
 *   serving a converted model, it scores the concatenation of query and document text as one prompt,
 *   so the caller must send the model card's template; any other text gets near-constant scores.
 * - `applies-template`: like vLLM with `--chat-template qwen3_reranker.jinja` or a hosted API, it builds
 *   the prompt itself from the raw query, document and instruction field; text that is already
 *   templated gets near-constant scores.
 */
export type MockQwen3Mode = 'expects-formatted' | 'applies-template';

/** Options of `startMockEngine`. */
export interface MockEngineOptions {
  /** The wire format to emulate: one of the contract's dialects. */
  dialect: DialectName;
  /** The port; 0 (any free port) by default. */
  port?: number;
  /** The address to listen on; `127.0.0.1` by default. */
  host?: string;
  /** The model the engine serves; requests naming another one are refused. Any model is taken when omitted. */
  model?: string;
  /** When given, requests need `Authorization: Bearer <apiKey>` (401 in the engine's error shape otherwise). */
  apiKey?: string;
  /**
   * Compute time per document, in milliseconds. The engine computes one request at a time, like a GPU
   * working through its queue, so a replica's throughput is bounded and more replicas scale it. At most
   * 2^31 - 1 (Node's timer limit); 0 by default.
   */
  latencyPerDocumentMs?: number;
  /** A fixed delay per request on top of the compute time, in milliseconds, at most 2^31 - 1. 0 by default. */
  latencyMs?: number;
  /** The most documents one request may carry (TEI's `--max-client-batch-size`); the dialect's default batch by default. */
  maxBatch?: number;
  /** The most requests queued or running at once; more are refused as overloaded (TEI: 429). Unlimited by default. */
  maxConcurrentRequests?: number;
  /**
   * The model's length: the most tokens (the mock's words) of one query-document pair, the Qwen3 template
   * included. Longer pairs are refused unless the request truncates (vLLM `truncate_prompt_tokens`, TEI
   * `truncate`, a per-document limit); a vLLM `truncate_prompt_tokens` above it is refused. Unlimited by default.
   */
  maxInputTokens?: number;
  /** Answer raw logits whatever the request asks, like an engine serving a model without its activation. */
  rawLogits?: boolean;
  /**
   * The scale of the scores answered when no raw scores are asked for (`rawLogits`, `raw_scores: true`),
   * instead of the dialect's: `identity` makes a `llama-cpp` engine answer probabilities, as llama.cpp's
   * server does for a Qwen3-Reranker GGUF (its rank pooling ends in a softmax over yes and no), where it
   * answers raw logits for BGE and Jina GGUFs. The dialect's own mapping by default.
   */
  scoreMapping?: ScoreMapping;
  /** Emulate Qwen3-Reranker: how the engine reads the prompt. Plain lexical scoring when omitted. */
  qwen3?: MockQwen3Mode;
  /** Refuse this many scoring requests first with a 500 in the engine's error shape. 0 by default. */
  failNext?: number;
}

const ENGINE_OPTION_NAMES: readonly string[] = [
  'dialect',
  'port',
  'host',
  'model',
  'apiKey',
  'latencyPerDocumentMs',
  'latencyMs',
  'maxBatch',
  'maxConcurrentRequests',
  'maxInputTokens',
  'rawLogits',
  'scoreMapping',
  'qwen3',
  'failNext',
] satisfies readonly (keyof MockEngineOptions)[];

const QWEN3_MODES: readonly string[] = ['expects-formatted', 'applies-template'] satisfies MockQwen3Mode[];

const SCORE_MAPPING_NAMES: readonly string[] = SCORE_MAPPINGS;
const DIALECT_NAME_LIST: readonly string[] = DIALECT_NAMES;

/**
 * Checks the shape of `startMockEngine`'s options (its numbers are checked where they are used): a
 * misspelt option would be ignored, an unknown dialect crash, a port given as text listen on a pipe.
 * @throws TypeError or RangeError naming the option.
 */
export function checkMockEngineOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`options must be an object, got ${showValue(options)}`);
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!ENGINE_OPTION_NAMES.includes(key)) {
      throw new TypeError(
        `Unknown mock engine option '${key}' (the options are ${ENGINE_OPTION_NAMES.join(', ')})`,
      );
    }
  }
  if (!(typeof given.dialect === 'string' && DIALECT_NAME_LIST.includes(given.dialect))) {
    throw new TypeError(
      `dialect must be one of ${DIALECT_NAME_LIST.join(', ')}, got ${showValue(given.dialect)}`,
    );
  }
  const { port, host } = given;
  if (
    port !== undefined &&
    !(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65_535)
  ) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${showValue(port)}`);
  }
  if (host !== undefined && !(typeof host === 'string' && host !== '')) {
    throw new TypeError(`host must be a non-empty string, got ${showValue(host)}`);
  }
  for (const name of ['model', 'apiKey'] as const) {
    if (given[name] !== undefined && !(typeof given[name] === 'string' && given[name] !== '')) {
      throw new TypeError(`${name} must be a non-empty string, got ${showValue(given[name])}`);
    }
  }
  if (given.rawLogits !== undefined && typeof given.rawLogits !== 'boolean') {
    throw new TypeError(`rawLogits must be true or false, got ${showValue(given.rawLogits)}`);
  }
  if (given.qwen3 !== undefined && !QWEN3_MODES.includes(given.qwen3 as string)) {
    throw new TypeError(`qwen3 must be ${QWEN3_MODES.join(' or ')}, got ${showValue(given.qwen3)}`);
  }
  if (given.scoreMapping !== undefined && !SCORE_MAPPING_NAMES.includes(given.scoreMapping as string)) {
    throw new TypeError(
      `scoreMapping must be ${SCORE_MAPPING_NAMES.join(' or ')}, got ${showValue(given.scoreMapping)}`,
    );
  }
}
