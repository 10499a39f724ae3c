import type { RerankResponse, RerankResult } from '@sealink/rerank-contract';

/**
 * The types of a rerank answer narrowed by the request's `return_documents`, made from the contract's
 * `RerankResult` and `RerankResponse` (whose `document` is optional, as it is absent with
 * `return_documents: false`). `client.rerank` and `client.rerankAll` return them by the request's type,
 * and the client checks every answer against them.
 */

/** The document of a result: its text, as sent. */
export type RerankResultDocument = NonNullable<RerankResult['document']>;

/** A result of a request that asked for documents (`return_documents` omitted or `true`). */
export type RerankResultWithDocument = Omit<RerankResult, 'document'> & {
  /** The ranked document: its text, as sent. */
  document: RerankResultDocument;
};

/** A result of a request with `return_documents: false`: no `document`. */
export type RerankResultWithoutDocument = Omit<RerankResult, 'document'> & {
  /** Never present: the request set `return_documents: false`. */
  document?: undefined;
};

/** The answer to a request that asked for documents (`return_documents` omitted or `true`). */
export type RerankResponseWithDocuments = Omit<RerankResponse, 'results'> & {
  /** The ranked documents, each with its text; by `relevance_score` descending, ties by `index` ascending. */
  results: RerankResultWithDocument[];
};

/** The answer to a request with `return_documents: false`: results without `document`. */
export type RerankResponseWithoutDocuments = Omit<RerankResponse, 'results'> & {
  /** The ranked documents, without text; by `relevance_score` descending, ties by `index` ascending. */
  results: RerankResultWithoutDocument[];
};
