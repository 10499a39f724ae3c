import type { RerankDocument } from '@sealink/rerank-contract';

/** A run of consecutive documents. */
export interface DocumentChunk {
  /** The position of the first document in the whole list. */
  offset: number;
  /** The documents. */
  documents: RerankDocument[];
}

/** Limits of one chunk. */
export interface SplitLimits {
  /** The most documents in one chunk. */
  maxDocuments: number;
  /** The most bytes of JSON the documents of one chunk may take; a larger single document gets a chunk alone. */
  maxBytes: number;
}

/** Splits documents, in order, into runs that keep both limits. */
export function splitDocuments(documents: readonly RerankDocument[], limits: SplitLimits): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let current: DocumentChunk = { offset: 0, documents: [] };
  let bytes = 0;
  documents.forEach((document, index) => {
    // One separating comma per document on top of its JSON.
    const size = Buffer.byteLength(JSON.stringify(document)) + 1;
    const full = current.documents.length >= limits.maxDocuments || bytes + size > limits.maxBytes;
    if (current.documents.length > 0 && full) {
      chunks.push(current);
      current = { offset: index, documents: [] };
      bytes = 0;
    }
    current.documents.push(document);
    bytes += size;
  });
  if (current.documents.length > 0) chunks.push(current);
  return chunks;
}
