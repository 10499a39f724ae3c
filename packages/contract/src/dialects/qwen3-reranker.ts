import { sigmoid } from './score-mapping.js';

/**
 * Qwen3-Reranker's prompt and scoring, exactly as its model card specifies (and vLLM's
 * `qwen3_reranker.jinja` template reproduces). Engines that build this prompt differently, or read a
 * classifier head the model does not have, return near-random or constant scores (vLLM #20478,
 * #27857; llama.cpp #16407); `detectDegenerateScores` catches them.
 *
 * The prompt is {@link QWEN3_RERANKER_PREFIX}, then the per-pair body from
 * {@link formatQwen3RerankerBody}, then {@link QWEN3_RERANKER_SUFFIX}. The score is the probability of
 * "yes" against "no" at the last position: `softmax([z_no, z_yes])[1] = sigmoid(z_yes - z_no)`.
 */

/** The prompt before the per-pair body: the system message and the start of the user turn. */
export const QWEN3_RERANKER_PREFIX =
  '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n';

/** The prompt after the per-pair body: the end of the user turn and an empty thinking block. */
export const QWEN3_RERANKER_SUFFIX = '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n';

/** The instruction the model card uses when none is given. */
export const QWEN3_RERANKER_DEFAULT_INSTRUCTION =
  'Given a web search query, retrieve relevant passages that answer the query';

/** The vocabulary ids of the answer tokens whose logits give the score. */
export const QWEN3_RERANKER_TOKEN_IDS = {
  /** The token `no`. */
  no: 2152,
  /** The token `yes`. */
  yes: 9693,
} as const;

/**
 * The `--hf_overrides` that make vLLM serve the original Qwen3-Reranker checkpoints correctly: route
 * them to `Qwen3ForSequenceClassification` and build the one-logit head from the "no" and "yes" rows
 * of the LM head, so that the score is `sigmoid(z_yes - z_no)`. Without them vLLM scores with a head
 * the model does not have (vLLM #20478, #27857). The prompt is then written on the client side (the
 * vLLM dialects' `qwen3RerankerTemplate` option); the converted `*-seq-cls` checkpoints need no overrides
 * but still need the template.
 */
export const QWEN3_RERANKER_VLLM_HF_OVERRIDES = {
  /** The architecture vLLM loads the checkpoint as. */
  architectures: ['Qwen3ForSequenceClassification'],
  /** The vocabulary tokens whose LM-head rows become the classifier. */
  classifier_from_token: ['no', 'yes'],
  /** Turns the two rows into one: `w_yes - w_no`. */
  is_original_qwen3_reranker: true,
} as const;

/** One query-document pair to format, with its instruction. */
export interface Qwen3RerankerPair {
  /** The task instruction; {@link QWEN3_RERANKER_DEFAULT_INSTRUCTION} when omitted. */
  instruction?: string | undefined;
  /** The query. */
  query: string;
  /** The document. */
  document: string;
}

/** The per-pair body, the model card's `format_instruction`: `<Instruct>: …\n<Query>: …\n<Document>: …`. */
export function formatQwen3RerankerBody(pair: Qwen3RerankerPair): string {
  const instruction = pair.instruction ?? QWEN3_RERANKER_DEFAULT_INSTRUCTION;
  return `<Instruct>: ${instruction}\n<Query>: ${pair.query}\n<Document>: ${pair.document}`;
}

/** The whole prompt of one pair: prefix, body, suffix. */
export function formatQwen3RerankerPrompt(pair: Qwen3RerankerPair): string {
  return QWEN3_RERANKER_PREFIX + formatQwen3RerankerBody(pair) + QWEN3_RERANKER_SUFFIX;
}

/**
 * The query half of the prompt, for engines that concatenate a query text and a document text (vLLM's
 * rerank and score with the `Qwen3ForSequenceClassification` overrides): prefix, instruction and query.
 * `formatQwen3RerankerQuery(pair) + formatQwen3RerankerDocument(pair.document)` is the whole prompt.
 */
export function formatQwen3RerankerQuery(pair: Omit<Qwen3RerankerPair, 'document'>): string {
  const instruction = pair.instruction ?? QWEN3_RERANKER_DEFAULT_INSTRUCTION;
  return `${QWEN3_RERANKER_PREFIX}<Instruct>: ${instruction}\n<Query>: ${pair.query}\n`;
}

/** The document half of the prompt: the document and the suffix. */
export function formatQwen3RerankerDocument(document: string): string {
  return `<Document>: ${document}${QWEN3_RERANKER_SUFFIX}`;
}

const QUERY_START = `${QWEN3_RERANKER_PREFIX}<Instruct>: `;
const QUERY_SEPARATOR = '\n<Query>: ';
const DOCUMENT_START = '<Document>: ';

/**
 * Reads the instruction and query back from {@link formatQwen3RerankerQuery}'s text, or `undefined`
 * when the text is not one. An instruction that itself contains `\n<Query>: ` cannot be told apart.
 */
export function parseQwen3RerankerQuery(text: string): { instruction: string; query: string } | undefined {
  if (!text.startsWith(QUERY_START) || !text.endsWith('\n')) return undefined;
  const body = text.slice(QUERY_START.length, -1);
  const separator = body.indexOf(QUERY_SEPARATOR);
  if (separator === -1) return undefined;
  return { instruction: body.slice(0, separator), query: body.slice(separator + QUERY_SEPARATOR.length) };
}

/** Reads the document back from {@link formatQwen3RerankerDocument}'s text, or `undefined`. */
export function parseQwen3RerankerDocument(text: string): string | undefined {
  if (!text.startsWith(DOCUMENT_START) || !text.endsWith(QWEN3_RERANKER_SUFFIX)) return undefined;
  if (text.length < DOCUMENT_START.length + QWEN3_RERANKER_SUFFIX.length) return undefined;
  return text.slice(DOCUMENT_START.length, text.length - QWEN3_RERANKER_SUFFIX.length);
}

/**
 * The relevance score from the last position's logits of "no" and "yes":
 * `softmax([noLogit, yesLogit])[1]`, computed as `sigmoid(yesLogit - noLogit)`, which neither
 * overflows nor loses the answer for logits of any size. NaN when a logit is NaN.
 */
export function qwen3RerankerScore(noLogit: number, yesLogit: number): number {
  return sigmoid(yesLogit - noLogit);
}
