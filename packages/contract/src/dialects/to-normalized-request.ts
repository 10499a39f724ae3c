import type { NormalizedRerankRequest } from '../normalize-rerank-request.js';

/** The canonical fields a dialect request carries; what it lacks takes the dialect's default. */
export interface NormalizedRequestFields {
  /** The model, or the empty string when the dialect's request names none. */
  model: string;
  /** The query. */
  query: string;
  /** The documents' texts, in request order. */
  documents: string[];
  /** The requested `top_n`; omitted means all documents. */
  topN?: number | undefined;
  /** Whether the answer carries the documents' text. */
  returnDocuments: boolean;
  /** The task instruction, when the dialect carries one. */
  instruction?: string | undefined;
  /** The per-document token limit, when the dialect carries one. */
  maxTokensPerDocument?: number | undefined;
}

/** Builds a canonical request the way `normalizeRerankRequest` does: `topN` at most the document count. */
export function toNormalizedRequest(fields: NormalizedRequestFields): NormalizedRerankRequest {
  const normalized: NormalizedRerankRequest = {
    model: fields.model,
    query: fields.query,
    documents: fields.documents,
    topN: Math.min(fields.topN ?? fields.documents.length, fields.documents.length),
    returnDocuments: fields.returnDocuments,
  };
  if (fields.instruction !== undefined) normalized.instruction = fields.instruction;
  if (fields.maxTokensPerDocument !== undefined)
    normalized.maxTokensPerDocument = fields.maxTokensPerDocument;
  return normalized;
}
