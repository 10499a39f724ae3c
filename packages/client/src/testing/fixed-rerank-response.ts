import { buildRerankResponse, EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';

/** The public page's example request. */
export const EXAMPLE_REQUEST = {
  ...EXAMPLE_RERANK_REQUEST,
  documents: [...EXAMPLE_RERANK_REQUEST.documents],
};

/** A valid answer to {@link EXAMPLE_REQUEST}. */
export const FIXED_RERANK_RESPONSE = buildRerankResponse({
  id: 'rerank-b1a2c3d4',
  model: EXAMPLE_REQUEST.model,
  documents: EXAMPLE_REQUEST.documents,
  scores: [0.82, 0.1, 0.95],
  topN: EXAMPLE_REQUEST.top_n,
  totalTokens: 41,
});
