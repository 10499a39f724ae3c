import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BeirFormatError } from './beir-format-error.js';
import { readBeirDataset } from './read-beir-dataset.js';
import { SMALL_BEIR_FOLDER, writeBeirFolder } from './write-beir-folder.js';

async function failureOf(promise: Promise<unknown>): Promise<BeirFormatError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(BeirFormatError);
  return error as BeirFormatError;
}

describe('readBeirDataset', () => {
  it('reads the corpus, the judged queries and the graded judgements of a split', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    expect(dataset.split).toBe('test');
    expect(dataset.documents).toHaveLength(6);
    expect(dataset.documents[5]).toEqual({
      id: 'd6',
      title: '',
      text: 'Bees make honey from the nectar of flowers.',
    });
    expect(dataset.queries.map((query) => query.id)).toEqual(['q1', 'q2', 'q3', 'q4']);
    expect(dataset.judgements.get('q3')).toEqual(new Map([['d6', 2]]));
    expect(dataset.judgements.get('q4')).toEqual(
      new Map([
        ['d3', 1],
        ['d2', 0],
      ]),
    );
  });

  it('keeps a judged query without a relevant document, as BEIR and trec_eval count it', async () => {
    // BEIR's loader keeps every query of the qrels and pytrec_eval scores one whose judgements are all 0
    // (0 on every measure), so it lowers the averages; only queries the split does not judge are left out.
    await using folder = await writeBeirFolder({
      ...SMALL_BEIR_FOLDER,
      qrels: {
        test: [
          ['q1', 'd1', 1],
          ['q5', 'd2', 0],
        ],
      },
    });
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    expect(dataset.queries.map((query) => query.id)).toEqual(['q1', 'q5']);
    expect(dataset.judgements.get('q5')).toEqual(new Map([['d2', 0]]));
  });

  it('refuses judgements of a query id queries.jsonl lacks, whatever their grade', async () => {
    await using folder = await writeBeirFolder({
      ...SMALL_BEIR_FOLDER,
      qrels: {
        test: [
          ['q1', 'd1', 1],
          ['qX', 'd2', 0],
        ],
      },
    });
    const error = await failureOf(readBeirDataset(folder.path, { split: 'test' }));
    expect(error.message).toMatch(/test\.tsv: judges query id "qX", which queries\.jsonl does not have$/);
  });

  it('refuses a judged query without text, which no model behind the API can rank', async () => {
    // The rerank API refuses an empty query; in process every document would score 0 and the corpus order
    // would pass for a ranking. An unjudged query without text is never ranked, so it is no matter.
    await using folder = await writeBeirFolder({
      ...SMALL_BEIR_FOLDER,
      queries: [...SMALL_BEIR_FOLDER.queries.slice(0, 4), { _id: 'q5', text: ' ' }, { _id: 'q6', text: '' }],
    });
    expect((await readBeirDataset(folder.path, { split: 'test' })).queries).toHaveLength(4);
    await writeFile(
      join(folder.path, 'qrels', 'test.tsv'),
      'query-id\tcorpus-id\tscore\nq1\td1\t1\nq5\td2\t1\n',
    );
    const error = await failureOf(readBeirDataset(folder.path, { split: 'test' }));
    expect(error.message).toMatch(/queries\.jsonl: query "q5" has no text; the split judges it$/);
  });

  it('keeps only the first queries with a limit', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const dataset = await readBeirDataset(folder.path, { split: 'test', limit: 2 });
    expect(dataset.queries.map((query) => query.id)).toEqual(['q1', 'q2']);
  });

  it('stops reading when its abortSignal aborts (Ctrl-C during a large corpus), rejecting with the reason', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    // 40,000 lines (about 2 MB): read in many chunks, each after a turn of the event loop.
    const lines = Array.from(
      { length: 40_000 },
      (_, index) => `{"_id":"x${index}","text":"filler ${index}"}\n`,
    );
    await writeFile(join(folder.path, 'corpus.jsonl'), `${lines.join('')}{"_id":"d1","text":"one"}\n`);
    await writeFile(join(folder.path, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\n');
    const interrupted = new Error('interrupted');
    const aborted = AbortSignal.abort(interrupted);
    await expect(readBeirDataset(folder.path, { split: 'test', abortSignal: aborted })).rejects.toBe(
      interrupted,
    );
    const controller = new AbortController();
    const reading = readBeirDataset(folder.path, { split: 'test', abortSignal: controller.signal });
    setImmediate(() => controller.abort(interrupted));
    await expect(reading).rejects.toBe(interrupted);
    // Not aborted, the same folder reads whole.
    expect((await readBeirDataset(folder.path, { split: 'test' })).documents).toHaveLength(40_001);
  });

  it('accepts numeric ids, a byte order mark, CRLF line ends and blank lines', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    await writeFile(
      join(folder.path, 'corpus.jsonl'),
      '\uFEFF{"_id": 7, "text": "seven"}\r\n\r\n{"_id": "8", "title": null, "text": "eight"}\r\n',
    );
    // Judgements of the new corpus's ids: the reader refuses judgements of ids the corpus does not have.
    await writeFile(join(folder.path, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\r\nq1\t7\t1\r\n');
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    expect(dataset.documents).toEqual([
      { id: '7', title: '', text: 'seven' },
      { id: '8', title: '', text: 'eight' },
    ]);
  });

  it('names a missing folder, a missing file and the splits there are', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    expect(
      (await failureOf(readBeirDataset(join(folder.path, 'nope'), { split: 'test' }))).message,
    ).toContain('no such folder');
    const missingSplit = await failureOf(readBeirDataset(folder.path, { split: 'dev' }));
    expect(missingSplit.message).toMatch(/no split "dev"; splits here: test/);
    expect(missingSplit.file).toBe(join(folder.path, 'qrels', 'dev.tsv'));
    await failureOf(readBeirDataset(folder.path, { split: '../corpus' }));
    await rm(join(folder.path, 'corpus.jsonl'));
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /corpus\.jsonl: not found/,
    );
  });

  it('names the file and line of a malformed record', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const corpus = join(folder.path, 'corpus.jsonl');
    await writeFile(corpus, '{"_id": "a", "text": "fine"}\n{"_id": "b", "text": \n');
    const badJson = await failureOf(readBeirDataset(folder.path, { split: 'test' }));
    expect(badJson.message).toMatch(new RegExp(`^${corpus.replaceAll('/', '\\/')}:2: not valid JSON`));
    expect(badJson.line).toBe(2);
    await writeFile(corpus, '{"_id": "a", "text": 5}\n');
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /corpus\.jsonl:1: expected "text" to be a string/,
    );
    await writeFile(corpus, '["a"]\n');
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /:1: expected a JSON object/,
    );
    await writeFile(corpus, '{"text": "no id"}\n');
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /:1: expected "_id"/,
    );
    await writeFile(corpus, '{"_id": "a", "text": "x"}\n{"_id": "a", "text": "y"}\n');
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /:2: duplicate document id "a"/,
    );
  });

  it("ignores columns after the third, as BEIR's loader does (it reads columns 0 to 2 of each row)", async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    // A trailing tab (an empty fourth column) and a note column, on the header line too.
    await writeFile(
      join(folder.path, 'qrels', 'test.tsv'),
      'query-id\tcorpus-id\tscore\t\nq1\td1\t1\t\r\nq2\td2\t2\tchecked by hand\t\n',
    );
    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    expect([...dataset.judgements].map(([query, grades]) => [query, [...grades]])).toEqual([
      ['q1', [['d1', 1]]],
      ['q2', [['d2', 2]]],
    ]);
    expect(dataset.queries.map((query) => query.id)).toEqual(['q1', 'q2']);
  });

  it('names the line of a malformed judgement', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const qrels = join(folder.path, 'qrels', 'test.tsv');
    await writeFile(qrels, 'query-id\tcorpus-id\tscore\nq1\td1\n');
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /test\.tsv:2: expected 3 tab-separated columns/,
    );
    await writeFile(qrels, 'query-id\tcorpus-id\tscore\nq1\td1\thigh\n');
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /test\.tsv:2: expected an integer score, got "high"/,
    );
    // Extra columns do not make up for a missing one, nor excuse a grade that is not an integer.
    await writeFile(qrels, 'query-id\tcorpus-id\tscore\nq1\t\t\t1\n');
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /test\.tsv:2: expected an integer score, got ""/,
    );
    await writeFile(qrels, 'query-id\tcorpus-id\tscore\nq1\td1\t1.5\textra\n');
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /test\.tsv:2: expected an integer score, got "1\.5"/,
    );
    await writeFile(qrels, 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td1\t1\nq1\td1\t0\n');
    expect((await failureOf(readBeirDataset(folder.path, { split: 'test' }))).message).toMatch(
      /test\.tsv:4: query "q1" and corpus id "d1" are judged 1 earlier and 0 here/,
    );
  });
});
