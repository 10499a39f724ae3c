import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One rerank request of the BM25 benchmark. */
export interface Bm25BenchRequest {
  /** The query. */
  query: string;
  /** The candidate documents, each about 1,000 characters. */
  documents: string[];
}

/** The requests of the benchmark and where their text came from. */
export interface Bm25BenchInputs {
  /** `scifact` when read from the shared SciFact folder, `generated` otherwise. */
  source: 'scifact' | 'generated';
  /** The requests, all with the same number of documents. */
  requests: Bm25BenchRequest[];
}

const SCIFACT_FOLDER = fileURLToPath(new URL('../../../../shared/data/scifact/', import.meta.url));
const DOCUMENT_LENGTH = 1_000;

/** Cuts a text to about `length` characters at a word boundary. */
function cutAtWord(text: string, length: number): string {
  if (text.length <= length) return text;
  const space = text.lastIndexOf(' ', length);
  return text.slice(0, space > 0 ? space : length);
}

/** A small seeded pseudo-random generator (mulberry32), so generated text is the same in every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SYLLABLES = [
  'ra',
  'ten',
  'mo',
  'li',
  'sta',
  'ver',
  'con',
  'ing',
  'pro',
  'ed',
  'tion',
  'al',
  'ex',
  'per',
  'ment',
  'un',
  'der',
  'ca',
  'ble',
  'ry',
];
const FUNCTION_WORDS = [
  'the',
  'of',
  'and',
  'to',
  'in',
  'a',
  'is',
  'that',
  'for',
  'with',
  'as',
  'by',
  'on',
  'was',
  'are',
];

/** English-like text: a Zipf-distributed vocabulary of made-up words mixed with real function words. */
function generatedRequests(requestCount: number, documentsPerRequest: number): Bm25BenchRequest[] {
  const random = seededRandom(20_260_101);
  const vocabulary = Array.from({ length: 20_000 }, () => {
    const syllableCount = 1 + Math.floor(random() * 4);
    let word = '';
    for (let index = 0; index < syllableCount; index++)
      word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    return word;
  });
  const word = (): string => {
    if (random() < 0.35) return FUNCTION_WORDS[Math.floor(random() * FUNCTION_WORDS.length)] as string;
    return vocabulary[Math.floor(vocabulary.length * random() ** 3)] as string;
  };
  const sentence = (): string => {
    const words = Array.from({ length: 8 + Math.floor(random() * 14) }, word);
    const first = words[0] as string;
    words[0] = first.charAt(0).toUpperCase() + first.slice(1);
    return `${words.join(' ')}.`;
  };
  const requests: Bm25BenchRequest[] = [];
  for (let request = 0; request < requestCount; request++) {
    const documents: string[] = [];
    for (let index = 0; index < documentsPerRequest; index++) {
      let text = '';
      while (text.length < DOCUMENT_LENGTH) text += `${sentence()} `;
      documents.push(cutAtWord(text.trim(), DOCUMENT_LENGTH));
    }
    requests.push({ query: Array.from({ length: 6 }, word).join(' '), documents });
  }
  return requests;
}

function readJsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function scifactRequests(requestCount: number, documentsPerRequest: number): Bm25BenchRequest[] | undefined {
  const corpusPath = `${SCIFACT_FOLDER}corpus.jsonl`;
  const queriesPath = `${SCIFACT_FOLDER}queries.jsonl`;
  if (!existsSync(corpusPath) || !existsSync(queriesPath)) return undefined;
  const texts = readJsonLines(corpusPath)
    .map((document) => `${String(document.title ?? '')} ${String(document.text ?? '')}`.trim())
    .filter((text) => text.length >= DOCUMENT_LENGTH)
    .map((text) => cutAtWord(text, DOCUMENT_LENGTH));
  const queries = readJsonLines(queriesPath).map((query) => String(query.text ?? ''));
  if (texts.length < documentsPerRequest || queries.length === 0) return undefined;
  return Array.from({ length: requestCount }, (_, request) => ({
    query: queries[request % queries.length] as string,
    documents: Array.from(
      { length: documentsPerRequest },
      (_, index) => texts[(request * documentsPerRequest + index) % texts.length] as string,
    ),
  }));
}

/**
 * The benchmark's requests: abstracts from the shared SciFact folder cut to about 1,000 characters with
 * SciFact claims as queries when the folder is there, else deterministic generated English-like text.
 */
export function loadBm25BenchInputs(requestCount = 40, documentsPerRequest = 100): Bm25BenchInputs {
  const scifact = scifactRequests(requestCount, documentsPerRequest);
  const inputs: Bm25BenchInputs =
    scifact === undefined
      ? { source: 'generated', requests: generatedRequests(requestCount, documentsPerRequest) }
      : { source: 'scifact', requests: scifact };
  // Through JSON, as the server receives documents: flat strings, not slices of a larger text.
  return JSON.parse(JSON.stringify(inputs)) as Bm25BenchInputs;
}
