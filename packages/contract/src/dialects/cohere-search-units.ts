/** How many documents one Cohere search unit covers: one query with up to 100 documents. */
export const DOCUMENTS_PER_SEARCH_UNIT = 100;

/**
 * The search units Cohere bills a rerank call with `documentCount` documents: one per started block
 * of 100 documents, so 250 documents are 3 units. One unit when the count is not known.
 */
export function cohereSearchUnits(documentCount: number | undefined): number {
  if (documentCount === undefined || !Number.isFinite(documentCount) || documentCount <= 0) return 1;
  return Math.ceil(documentCount / DOCUMENTS_PER_SEARCH_UNIT);
}
