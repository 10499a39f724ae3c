import type { RerankResponse } from '../rerank-response.js';
import type { DialectResponseInput, RankedScore } from './rerank-dialect.js';

/**
 * A canonical rerank response as the input of a dialect's `toResponse`, as compatibility routes use
 * it: same order, scores and texts, with the response's id and token count.
 */
export function dialectResponseInputOf(response: RerankResponse): DialectResponseInput {
  const results = response.results.map((result): RankedScore => {
    const ranked: RankedScore = { index: result.index, relevanceScore: result.relevance_score };
    if (result.document !== undefined) ranked.text = result.document.text;
    return ranked;
  });
  // The server's own answers always carry usage; one without (as the API page's example) reports 0 tokens.
  return { model: response.model, results, totalTokens: response.usage?.total_tokens ?? 0, id: response.id };
}
