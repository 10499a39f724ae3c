import type { RerankDocument, RerankRequest } from './rerank-request.js';

/** A validated rerank request with every default applied and documents as plain text. */
export interface NormalizedRerankRequest {
  /** The customer-visible model id. */
  model: string;
  /** The query. */
  query: string;
  /** The documents' texts, in request order. */
  documents: string[];
  /** How many results to return: `top_n`, at most the number of documents. */
  topN: number;
  /** Whether results carry `document.text`. */
  returnDocuments: boolean;
  /** The task instruction, when one was sent. */
  instruction?: string;
  /** The per-document token limit, when one was sent. */
  maxTokensPerDocument?: number;
}

/** The text of a document given as a string or as `{ text }`. */
export function documentText(document: RerankDocument): string {
  return typeof document === 'string' ? document : document.text;
}

/** Applies the contract's defaults to a request that already passed `RerankRequest` validation. */
export function normalizeRerankRequest(request: RerankRequest): NormalizedRerankRequest {
  const documents = request.documents.map(documentText);
  const normalized: NormalizedRerankRequest = {
    model: request.model,
    query: request.query,
    documents,
    topN: Math.min(request.top_n ?? documents.length, documents.length),
    returnDocuments: request.return_documents ?? true,
  };
  if (request.instruction !== undefined) normalized.instruction = request.instruction;
  // A limit beyond 2^53 cuts nothing; capped, it stays a safe integer for backends and engines.
  if (request.max_tokens_per_doc !== undefined)
    normalized.maxTokensPerDocument = Math.min(request.max_tokens_per_doc, Number.MAX_SAFE_INTEGER);
  return normalized;
}
