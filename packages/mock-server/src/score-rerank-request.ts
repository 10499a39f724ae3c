import {
  buildRerankResponse,
  type NormalizedRerankRequest,
  type RerankResponse,
} from '@sealink/rerank-contract';
import { prepareQuery, scoreDocument } from './lexical-score.js';
import type { FixedResponse } from './mock-options.js';

function matchesQuery(fixed: FixedResponse, request: NormalizedRerankRequest): boolean {
  if (fixed.model !== undefined && fixed.model !== request.model) return false;
  if (typeof fixed.query === 'string') return fixed.query === request.query;
  fixed.query.lastIndex = 0;
  return fixed.query.test(request.query);
}

/**
 * The mock's answer to a valid rerank request: each document scored pointwise (a fixed score when one
 * is configured for the query and the document's text, else the lexical score), then sorted and cut by
 * the contract's `buildRerankResponse`. `usage.total_tokens` is the sum over documents of the tokens of the
 * query and of the document (after `max_tokens_per_doc`), so it also adds up exactly over split requests.
 */
export function scoreRerankRequest(
  request: NormalizedRerankRequest,
  fixedResponses: readonly FixedResponse[],
): RerankResponse {
  const fixed = fixedResponses.find((candidate) => matchesQuery(candidate, request));
  const query = prepareQuery(request.query);
  const scores = new Float64Array(request.documents.length);
  let totalTokens = 0;
  for (const [index, document] of request.documents.entries()) {
    const scored = scoreDocument(query, document, request.maxTokensPerDocument);
    const fixedScore =
      fixed === undefined
        ? undefined
        : Object.hasOwn(fixed.scores, document)
          ? fixed.scores[document]
          : undefined;
    scores[index] = fixedScore ?? scored.score;
    totalTokens += scored.tokens;
  }
  return buildRerankResponse({
    model: request.model,
    documents: request.documents,
    scores,
    topN: request.topN,
    returnDocuments: request.returnDocuments,
    totalTokens,
  });
}
