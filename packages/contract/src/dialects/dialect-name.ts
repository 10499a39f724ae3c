/** The name of every provider and engine dialect, in the order the docs list them. */
export const DIALECT_NAMES = [
  'cohere-v2',
  'cohere-v1',
  'jina',
  'voyage',
  'dashscope',
  'dashscope-compatible',
  'tei',
  'vllm-rerank',
  'vllm-score',
  'infinity',
  'llama-cpp',
] as const;

/** The name of one provider or engine dialect. */
export type DialectName = (typeof DIALECT_NAMES)[number];
