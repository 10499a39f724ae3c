import { randomHex } from './random-hex.js';
import type { RerankResponse, RerankResult } from './rerank-response.js';

/** What a rerank response is built from. */
export interface BuildRerankResponseOptions {
  /** The model, as requested. */
  model: string;
  /** The documents' texts, in request order. */
  documents: readonly string[];
  /** One score in [0, 1] per document, in request order. */
  scores: ArrayLike<number>;
  /** How many results to return; omitted means all, more than the documents means all. */
  topN?: number | undefined;
  /** Whether results carry `document.text`; defaults to `true`. */
  returnDocuments?: boolean | undefined;
  /** The tokens counted for the request. */
  totalTokens: number;
  /** The response id; a fresh `rerank-` id when omitted. */
  id?: string | undefined;
}

/** A fresh response id: `rerank-` and 24 random hexadecimal digits. */
export function createRerankId(): string {
  return `rerank-${randomHex(12)}`;
}

/**
 * Builds a rerank response from one score per document: sorted by score descending, ties by index
 * ascending, cut to `topN`, with or without the documents' text.
 * @throws RangeError when the scores do not match the documents or one is not a number in [0, 1].
 */
export function buildRerankResponse(options: BuildRerankResponseOptions): RerankResponse {
  const { documents, scores } = options;
  if (scores.length !== documents.length) {
    throw new RangeError(`expected ${documents.length} scores, got ${scores.length}`);
  }
  const order = new Array<number>(documents.length);
  for (let index = 0; index < documents.length; index++) {
    const score = scores[index]!;
    if (!(score >= 0 && score <= 1)) {
      throw new RangeError(`score ${index} is ${score}; scores must be numbers in [0, 1]`);
    }
    order[index] = index;
  }
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const topN = Math.min(options.topN ?? documents.length, documents.length);
  const returnDocuments = options.returnDocuments ?? true;
  const results = new Array<RerankResult>(topN);
  for (let rank = 0; rank < topN; rank++) {
    const index = order[rank]!;
    results[rank] = returnDocuments
      ? { index, document: { text: documents[index]! }, relevance_score: scores[index]! }
      : { index, relevance_score: scores[index]! };
  }
  return {
    id: options.id ?? createRerankId(),
    model: options.model,
    results,
    usage: { total_tokens: options.totalTokens },
  };
}
