import type { RerankResult } from '@sealink/rerank-contract';
import {
  createRerankId,
  documentText,
  type RerankDocument,
  type RerankResponse,
} from '@sealink/rerank-contract';
import type { RerankResponseWithDocuments, RerankResponseWithoutDocuments } from './rerank-response-types.js';

/** One answered chunk of a split request. */
export interface RerankChunk {
  /** The position of the chunk's first document in the whole request. */
  offset: number;
  /** The answer for the chunk, with indices local to the chunk. */
  response: RerankResponse;
}

/** What {@link mergeRerankResponses} merges. */
export interface MergeRerankResponsesInput {
  /** The model, as requested. */
  model: string;
  /** All documents of the request, in order. */
  documents: readonly RerankDocument[];
  /** The answered chunks, in any order. */
  chunks: readonly RerankChunk[];
  /** How many results to keep; all when omitted. */
  topN?: number | undefined;
  /** Whether results carry `document.text`; `true` by default. */
  returnDocuments?: boolean | undefined;
}

/**
 * Merges the answers of a split request into one answer as if one request had carried every document:
 * indices into the whole `documents`, one sort by score descending with ties by index ascending, `topN`
 * over all documents, usage summed (left out unless every answer reports it), and document text taken from
 * the request. The result type follows `returnDocuments` as `client.rerank`'s follows `return_documents`.
 * @throws RangeError when a chunk's result names no document of `documents` (its index plus the chunk's
 * offset is beyond them).
 */
export function mergeRerankResponses(
  input: MergeRerankResponsesInput & { returnDocuments?: true | undefined },
): RerankResponseWithDocuments;
export function mergeRerankResponses(
  input: MergeRerankResponsesInput & { returnDocuments: false },
): RerankResponseWithoutDocuments;
export function mergeRerankResponses(input: MergeRerankResponsesInput): RerankResponse;
export function mergeRerankResponses(input: MergeRerankResponsesInput): RerankResponse {
  const merged: RerankResult[] = [];
  // Usage is optional in an answer (the API page's example has none): summed only when every chunk reports it.
  let totalTokens: number | undefined = 0;
  for (const { offset, response } of input.chunks) {
    totalTokens =
      totalTokens === undefined || response.usage === undefined
        ? undefined
        : totalTokens + response.usage.total_tokens;
    for (const result of response.results) {
      const index = result.index + offset;
      // Such a result would have no document to carry, and no place in the whole ranking.
      if (!(index < input.documents.length)) {
        throw new RangeError(
          `result index ${result.index} of the chunk at offset ${offset} is beyond the ${input.documents.length} documents`,
        );
      }
      merged.push({ index, relevance_score: result.relevance_score });
    }
  }
  merged.sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  const topN = Math.min(input.topN ?? merged.length, merged.length);
  const returnDocuments = input.returnDocuments ?? true;
  const results = merged
    .slice(0, topN)
    .map(
      ({ index, relevance_score }): RerankResult =>
        returnDocuments
          ? { index, document: { text: documentText(input.documents[index]!) }, relevance_score }
          : { index, relevance_score },
    );
  const response: RerankResponse = { id: createRerankId(), model: input.model, results };
  if (totalTokens !== undefined) response.usage = { total_tokens: totalTokens };
  return response;
}
