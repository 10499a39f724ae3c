import { documentText } from './normalize-rerank-request.js';
import type { RerankRequest } from './rerank-request.js';
import { RerankResponse } from './rerank-response.js';

/**
 * Every way a response breaks the contract's invariants for the request it answers: shape, length
 * `min(top_n, n)`, unique in-range indices, sort by score then index, echoed text, scores in [0, 1].
 * An empty list means the response keeps them all.
 */
export function checkRerankResponse(request: RerankRequest, response: unknown): string[] {
  const parsed = RerankResponse.safeParse(response);
  if (!parsed.success) return [`response does not match RerankResponse: ${parsed.error.message}`];
  const problems: string[] = [];
  const { results } = parsed.data;
  const documentCount = request.documents.length;
  const expectedLength = Math.min(request.top_n ?? documentCount, documentCount);
  if (results.length !== expectedLength)
    problems.push(`expected ${expectedLength} results, got ${results.length}`);
  if (parsed.data.model !== request.model)
    problems.push(`model is ${parsed.data.model}, not ${request.model}`);
  const seen = new Set<number>();
  const returnDocuments = request.return_documents ?? true;
  results.forEach((result, rank) => {
    if (result.index >= documentCount) problems.push(`result ${rank} has index ${result.index} out of range`);
    if (seen.has(result.index)) problems.push(`index ${result.index} appears twice`);
    seen.add(result.index);
    const previous = results[rank - 1];
    if (
      previous !== undefined &&
      (previous.relevance_score < result.relevance_score ||
        (previous.relevance_score === result.relevance_score && previous.index > result.index))
    ) {
      problems.push(`result ${rank} is out of order`);
    }
    const sent = request.documents[result.index];
    if (returnDocuments) {
      if (sent !== undefined && result.document?.text !== documentText(sent)) {
        problems.push(`result ${rank} does not echo the text of document ${result.index}`);
      }
    } else if (result.document !== undefined) {
      problems.push(`result ${rank} carries a document although return_documents is false`);
    }
  });
  return problems;
}
