/** One slice of a request's documents: where it starts in the request and its documents. */
export interface DocumentBatch {
  /** The index, in the request, of the batch's first document. */
  start: number;
  /** The batch's documents, in request order. */
  documents: readonly string[];
}

/**
 * Splits documents into consecutive batches of at most `maxBatch`, of near-equal sizes (1,000 documents
 * at a maximum of 32 make 32 batches of 31 or 32, not 31 of 32 and one of 8), so parallel sub-requests
 * finish together.
 * @throws RangeError when `maxBatch` is not a positive integer.
 */
export function splitIntoBatches(documents: readonly string[], maxBatch: number): DocumentBatch[] {
  if (!Number.isInteger(maxBatch) || maxBatch < 1)
    throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  if (documents.length <= maxBatch) return [{ start: 0, documents }];
  const count = Math.ceil(documents.length / maxBatch);
  const base = Math.floor(documents.length / count);
  const larger = documents.length % count;
  const batches: DocumentBatch[] = [];
  let start = 0;
  for (let batch = 0; batch < count; batch++) {
    const size = base + (batch < larger ? 1 : 0);
    batches.push({ start, documents: documents.slice(start, start + size) });
    start += size;
  }
  return batches;
}
