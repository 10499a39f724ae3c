import { RerankResponse } from '@sealink/rerank-contract';
import { markdownCodeBlock } from './markdown-code-block.js';

/** The contract's example response of `POST /v1/rerank` (the public API page's), as a JSON code block. */
export function renderResponseExample(): string {
  const examples: unknown = RerankResponse.meta()?.examples;
  const example: unknown = Array.isArray(examples) ? examples[0] : undefined;
  const parsed = RerankResponse.safeParse(example);
  if (!parsed.success) throw new Error('The contract has no valid example of a rerank response.');
  return markdownCodeBlock(JSON.stringify(parsed.data, null, 2), 'json');
}
