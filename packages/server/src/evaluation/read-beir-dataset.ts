import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BeirFormatError } from './beir-format-error.js';
import { checkBeirDataset } from './check-beir-dataset.js';
import type { RelevanceJudgements } from './ranking-metrics.js';

/** One document of a BEIR corpus. */
export interface BeirDocument {
  /** The document id (`_id`). */
  id: string;
  /** The title; empty when the corpus has none. */
  title: string;
  /** The body text. */
  text: string;
}

/** One query of a BEIR folder. */
export interface BeirQuery {
  /** The query id (`_id`). */
  id: string;
  /** The query text. */
  text: string;
}

/** A BEIR folder read for one split. */
export interface BeirDataset {
  /** The split whose judgements were read, for example `train` or `test`. */
  split: string;
  /** Every document of `corpus.jsonl`, in file order. */
  documents: BeirDocument[];
  /**
   * The queries the split judges, in `queries.jsonl` order; as in BEIR, also those whose judgements are
   * all 0 (they score 0 on every measure and count in the averages).
   */
  queries: BeirQuery[];
  /** Per query id, the graded judgements of the split. */
  judgements: ReadonlyMap<string, RelevanceJudgements>;
}

/** Options of {@link readBeirDataset}. */
export interface ReadBeirDatasetOptions {
  /** The split: reads `qrels/<split>.tsv`. */
  split: string;
  /** Keep only the first this many queries of the split. */
  limit?: number;
  /**
   * Stops the reading (the eval command's Ctrl-C): checked before each line, so a large corpus is not read
   * to its end first. The read then rejects with the signal's reason.
   */
  abortSignal?: AbortSignal;
}

/**
 * Reads a file line by line; calls `onLine` with each line and its 1-based number. Rejects with the reason
 * of `abortSignal` once it aborts.
 */
async function forEachLine(
  path: string,
  abortSignal: AbortSignal | undefined,
  onLine: (line: string, lineNumber: number) => void,
): Promise<void> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      abortSignal?.throwIfAborted();
      lineNumber++;
      onLine(lineNumber === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, lineNumber);
    }
  } catch (error) {
    if (error instanceof BeirFormatError) throw error;
    if (abortSignal?.aborted === true) throw abortSignal.reason;
    throw new BeirFormatError(path, undefined, `cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  } finally {
    lines.close();
    stream.destroy();
  }
}

async function requireFile(path: string, what: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined)
    throw new BeirFormatError(path, undefined, `not found; a BEIR folder needs ${what}`);
  if (!info.isFile())
    throw new BeirFormatError(path, undefined, `is not a file; a BEIR folder needs ${what}`);
}

function parseJsonObject(path: string, line: string, lineNumber: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new BeirFormatError(path, lineNumber, `not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BeirFormatError(path, lineNumber, 'expected a JSON object');
  }
  return value as Record<string, unknown>;
}

function readId(path: string, record: Record<string, unknown>, lineNumber: number): string {
  const id = record._id;
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  throw new BeirFormatError(path, lineNumber, 'expected "_id" to be a non-empty string');
}

function readText(path: string, record: Record<string, unknown>, field: string, lineNumber: number): string {
  const value = record[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string')
    throw new BeirFormatError(path, lineNumber, `expected "${field}" to be a string`);
  return value;
}

async function readCorpus(path: string, abortSignal: AbortSignal | undefined): Promise<BeirDocument[]> {
  const documents: BeirDocument[] = [];
  const seen = new Set<string>();
  await forEachLine(path, abortSignal, (line, lineNumber) => {
    if (line.trim() === '') return;
    const record = parseJsonObject(path, line, lineNumber);
    const id = readId(path, record, lineNumber);
    if (seen.has(id)) throw new BeirFormatError(path, lineNumber, `duplicate document id "${id}"`);
    seen.add(id);
    documents.push({
      id,
      title: readText(path, record, 'title', lineNumber),
      text: readText(path, record, 'text', lineNumber),
    });
  });
  return documents;
}

async function readQueries(path: string, abortSignal: AbortSignal | undefined): Promise<BeirQuery[]> {
  const queries: BeirQuery[] = [];
  await forEachLine(path, abortSignal, (line, lineNumber) => {
    if (line.trim() === '') return;
    const record = parseJsonObject(path, line, lineNumber);
    queries.push({
      id: readId(path, record, lineNumber),
      text: readText(path, record, 'text', lineNumber),
    });
  });
  return queries;
}

async function readJudgements(
  path: string,
  abortSignal: AbortSignal | undefined,
): Promise<Map<string, Map<string, number>>> {
  const judgements = new Map<string, Map<string, number>>();
  await forEachLine(path, abortSignal, (line, lineNumber) => {
    if (line.trim() === '') return;
    const columns = line.split('\t');
    // Columns after the third (a trailing tab, a note) are ignored, as BEIR's loader reads columns 0 to 2.
    if (columns.length < 3) {
      throw new BeirFormatError(
        path,
        lineNumber,
        `expected 3 tab-separated columns (query-id, corpus-id, score), got ${columns.length}`,
      );
    }
    const [queryId, documentId, scoreText] = columns as [string, string, string, ...string[]];
    if (lineNumber === 1 && !/^-?\d+$/.test(scoreText.trim())) return; // the header line
    const grade = Number(scoreText.trim());
    if (!/^-?\d+$/.test(scoreText.trim())) {
      throw new BeirFormatError(path, lineNumber, `expected an integer score, got "${scoreText}"`);
    }
    if (queryId === '' || documentId === '')
      throw new BeirFormatError(path, lineNumber, 'empty query or corpus id');
    let forQuery = judgements.get(queryId);
    if (forQuery === undefined) {
      forQuery = new Map();
      judgements.set(queryId, forQuery);
    }
    const earlier = forQuery.get(documentId);
    if (earlier !== undefined && earlier !== grade) {
      // A repeated line with the same grade is harmless; two grades for one pair leave the measure undefined.
      throw new BeirFormatError(
        path,
        lineNumber,
        `query "${queryId}" and corpus id "${documentId}" are judged ${earlier} earlier and ${grade} here`,
      );
    }
    forQuery.set(documentId, grade);
  });
  return judgements;
}

/**
 * Reads a folder in the BEIR layout: `corpus.jsonl` (`_id`, `title`, `text`), `queries.jsonl` (`_id`,
 * `text`) and `qrels/<split>.tsv` (tab-separated `query-id corpus-id score`, a header line first; columns after
 * the score are ignored, as BEIR's loader ignores them). Streams
 * each file line by line. Throws a {@link BeirFormatError} naming the file and line for a missing file, a
 * missing split (listing the splits there are) or a malformed line, and naming the file for a folder whose
 * measures would mean nothing ({@link checkBeirDataset}). Rejects with the reason of `options.abortSignal`
 * once it aborts, without reading on.
 */
export async function readBeirDataset(folder: string, options: ReadBeirDatasetOptions): Promise<BeirDataset> {
  options.abortSignal?.throwIfAborted();
  const folderInfo = await stat(folder).catch(() => undefined);
  if (folderInfo === undefined || !folderInfo.isDirectory()) {
    throw new BeirFormatError(
      folder,
      undefined,
      'no such folder; expected a BEIR folder with corpus.jsonl, queries.jsonl and qrels/',
    );
  }
  if (!/^[A-Za-z0-9._-]+$/.test(options.split)) {
    throw new BeirFormatError(join(folder, 'qrels'), undefined, `"${options.split}" is not a split name`);
  }
  const corpusPath = join(folder, 'corpus.jsonl');
  const queriesPath = join(folder, 'queries.jsonl');
  const judgementsPath = join(folder, 'qrels', `${options.split}.tsv`);
  await requireFile(corpusPath, 'corpus.jsonl');
  await requireFile(queriesPath, 'queries.jsonl');
  const judgementsInfo = await stat(judgementsPath).catch(() => undefined);
  if (judgementsInfo === undefined) {
    const splits = (await readdir(join(folder, 'qrels')).catch(() => [] as string[]))
      .filter((name) => name.endsWith('.tsv'))
      .map((name) => name.slice(0, -4));
    throw new BeirFormatError(
      judgementsPath,
      undefined,
      `no split "${options.split}"; splits here: ${splits.length > 0 ? splits.join(', ') : 'none'}`,
    );
  }
  const [documents, allQueries, judgements] = await Promise.all([
    readCorpus(corpusPath, options.abortSignal),
    readQueries(queriesPath, options.abortSignal),
    readJudgements(judgementsPath, options.abortSignal),
  ]);
  const dataset = {
    split: options.split,
    documents,
    queries: allQueries.filter((query) => judgements.has(query.id)),
    judgements,
  };
  // The whole split is checked; the limit applies after, to the queries returned.
  checkBeirDataset(folder, dataset);
  if (options.limit !== undefined) dataset.queries = dataset.queries.slice(0, options.limit);
  return dataset;
}
