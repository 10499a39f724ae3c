import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The content of a BEIR folder to write. */
export interface BeirFolderContent {
  /** Corpus records, written as JSON lines. */
  corpus: ReadonlyArray<{ _id: string; title?: string; text: string }>;
  /** Query records, written as JSON lines. */
  queries: ReadonlyArray<{ _id: string; text: string }>;
  /** Per split name, the judgements `[query-id, corpus-id, score]`, written under a header line. */
  qrels: Readonly<Record<string, ReadonlyArray<readonly [string, string, number]>>>;
}

/** A BEIR folder in a temporary directory; `await using` deletes it. */
export interface TemporaryBeirFolder extends AsyncDisposable {
  /** The folder's path. */
  readonly path: string;
}

/** Writes a small BEIR folder to a new temporary directory, for tests and examples. */
export async function writeBeirFolder(content: BeirFolderContent): Promise<TemporaryBeirFolder> {
  const path = await mkdtemp(join(tmpdir(), 'sealink-beir-'));
  const jsonLines = (records: ReadonlyArray<object>) =>
    records.map((record) => `${JSON.stringify(record)}\n`).join('');
  await writeFile(join(path, 'corpus.jsonl'), jsonLines(content.corpus));
  await writeFile(join(path, 'queries.jsonl'), jsonLines(content.queries));
  await mkdir(join(path, 'qrels'));
  for (const [split, rows] of Object.entries(content.qrels)) {
    const lines = rows.map((row) => `${row.join('\t')}\n`).join('');
    await writeFile(join(path, 'qrels', `${split}.tsv`), `query-id\tcorpus-id\tscore\n${lines}`);
  }
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** A small corpus about distinct topics with one relevant document per query: BM25 ranks it perfectly. */
export const SMALL_BEIR_FOLDER: BeirFolderContent = {
  corpus: [
    {
      _id: 'd1',
      title: 'Sourdough bread',
      text: 'A sourdough starter needs regular feeding with flour and water.',
    },
    { _id: 'd2', title: 'Rerank models', text: 'Rerank models improve retrieval quality for RAG pipelines.' },
    { _id: 'd3', title: 'API gateways', text: 'An API gateway routes requests to many model backends.' },
    { _id: 'd4', title: 'Tides', text: 'The moon pulls the oceans and makes the tides rise and fall.' },
    { _id: 'd5', title: 'Volcanoes', text: 'Lava flows from volcanoes cool into basalt rock.' },
    { _id: 'd6', text: 'Bees make honey from the nectar of flowers.' },
  ],
  queries: [
    { _id: 'q1', text: 'how to feed a sourdough starter' },
    { _id: 'q2', text: 'why do tides rise' },
    { _id: 'q3', text: 'honey from nectar' },
    { _id: 'q4', text: 'gateway routing requests to model backends' },
    { _id: 'q5', text: 'a query nobody judged' },
  ],
  qrels: {
    test: [
      ['q1', 'd1', 1],
      ['q2', 'd4', 1],
      ['q3', 'd6', 2],
      ['q4', 'd3', 1],
      ['q4', 'd2', 0],
    ],
  },
};
