/**
 * The mock engine's own reading of Qwen3-Reranker prompts. It is written out from the model card on
 * purpose, not taken from the contract's helpers: it is the test oracle for those helpers, so a wrong
 * template in the contract or a backend makes this oracle fail to parse and the mock answer with the
 * near-constant scores a real model gives for a wrong prompt.
 *
 * The model card's prompt (and vLLM's `qwen3_reranker.jinja`):
 * `<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the
 * Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n
 * <Instruct>: {instruction}\n<Query>: {query}\n<Document>: {document}<|im_end|>\n<|im_start|>assistant\n
 * <think>\n\n</think>\n\n`
 */

const MODEL_CARD_PREFIX =
  '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n';
const MODEL_CARD_SUFFIX = '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n';
const MODEL_CARD_DEFAULT_INSTRUCTION =
  'Given a web search query, retrieve relevant passages that answer the query';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PROMPT_PATTERN = new RegExp(
  `^${escapeRegExp(MODEL_CARD_PREFIX)}<Instruct>: ([^\\n]*)\\n<Query>: ([\\s\\S]*?)\\n<Document>: ([\\s\\S]*)${escapeRegExp(MODEL_CARD_SUFFIX)}$`,
);

/** Markers of the chat template; a query or document that carries one was templated twice. */
const TEMPLATE_MARKERS = ['<|im_start|>', '<|im_end|>', '<Instruct>:', '<think>'];

/** One pair read out of a Qwen3-Reranker prompt. */
export interface Qwen3PromptParts {
  /** The instruction. */
  instruction: string;
  /** The query. */
  query: string;
  /** The document. */
  document: string;
}

/** Reads instruction, query and document out of a whole prompt, or `undefined` when it is not the model card's prompt. */
export function parseModelCardPrompt(prompt: string): Qwen3PromptParts | undefined {
  const match = PROMPT_PATTERN.exec(prompt);
  if (match === null) return undefined;
  const [, instruction = '', query = '', document = ''] = match;
  if (instruction.trim() === '') return undefined;
  return { instruction, query, document };
}

/**
 * The pair an engine that applies the template itself (vLLM with `--chat-template`, a hosted API)
 * builds, or `undefined` when the texts were already templated, which a real model reads as noise.
 */
export function applyModelCardTemplate(
  query: string,
  document: string,
  instruction: string | undefined,
): Qwen3PromptParts | undefined {
  const templatedTwice = TEMPLATE_MARKERS.some(
    (marker) => query.includes(marker) || document.includes(marker),
  );
  if (templatedTwice) return undefined;
  return { instruction: instruction ?? MODEL_CARD_DEFAULT_INSTRUCTION, query, document };
}

/**
 * The prompt an engine applying the template builds for a pair, split where the document starts, so
 * that an input limit can cut it as the engine's tokenizer would. Joined, the halves parse back to `parts`.
 */
export function modelCardPromptHalves(parts: Qwen3PromptParts): { query: string; document: string } {
  return {
    query: `${MODEL_CARD_PREFIX}<Instruct>: ${parts.instruction}\n<Query>: ${parts.query}\n<Document>: `,
    document: `${parts.document}${MODEL_CARD_SUFFIX}`,
  };
}
