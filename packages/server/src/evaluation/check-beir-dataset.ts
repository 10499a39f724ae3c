import { join } from 'node:path';
import { BeirFormatError } from './beir-format-error.js';
import type { BeirDataset } from './read-beir-dataset.js';

/**
 * Refuses a BEIR folder whose measures would mean nothing, with one message naming the file: an empty
 * corpus, a split with no query that has a relevant document, a query id twice in `queries.jsonl`, a
 * judged query without text (empty or white space), and judgements of the split that name a corpus id or
 * query id the folder does not have (they would silently lower recall, or be dropped). {@link readBeirDataset} runs it on the whole split, before any
 * query limit, so that every judged query is in `dataset.queries`.
 * @throws BeirFormatError
 */
export function checkBeirDataset(folder: string, dataset: BeirDataset): void {
  const corpusPath = join(folder, 'corpus.jsonl');
  const queriesPath = join(folder, 'queries.jsonl');
  const judgementsPath = join(folder, 'qrels', `${dataset.split}.tsv`);
  if (dataset.documents.length === 0) {
    throw new BeirFormatError(corpusPath, undefined, 'has no document');
  }
  const queryIds = new Set<string>();
  for (const query of dataset.queries) {
    if (queryIds.has(query.id)) {
      throw new BeirFormatError(queriesPath, undefined, `duplicate query id "${query.id}"`);
    }
    // The rerank API refuses an empty query, and in process every document would score 0, so the corpus
    // order would pass for a ranking.
    if (query.text.trim() === '') {
      throw new BeirFormatError(
        queriesPath,
        undefined,
        `query "${query.id}" has no text; the split judges it`,
      );
    }
    queryIds.add(query.id);
  }
  const documentIds = new Set(dataset.documents.map((document) => document.id));
  let anyRelevant = false;
  for (const [queryId, judgements] of dataset.judgements) {
    if ([...judgements.values()].some((grade) => grade > 0)) anyRelevant = true;
    // A known judged query is in `dataset.queries`; one that is not has no text to rank with (BEIR's
    // loader fails on it too), whatever its grades.
    if (!queryIds.has(queryId)) {
      throw new BeirFormatError(
        judgementsPath,
        undefined,
        `judges query id "${queryId}", which queries.jsonl does not have`,
      );
    }
    for (const documentId of judgements.keys()) {
      if (!documentIds.has(documentId)) {
        throw new BeirFormatError(
          judgementsPath,
          undefined,
          `judges corpus id "${documentId}" (for query "${queryId}"), which corpus.jsonl does not have`,
        );
      }
    }
  }
  if (!anyRelevant) {
    throw new BeirFormatError(
      judgementsPath,
      undefined,
      `the split "${dataset.split}" has no query with a relevant document (a score above 0), so there is nothing to measure`,
    );
  }
}
