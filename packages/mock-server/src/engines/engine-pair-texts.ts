import type { DialectName } from '@sealink/rerank-contract/dialects';

/** The query and document texts exactly as a pair-scoring engine receives them, before any unwrapping. */
export interface EnginePairTexts {
  /** The query text as sent. */
  query: string;
  /** The document texts as sent. */
  documents: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The request fields of the query and documents of each dialect that scores raw text pairs. */
const PAIR_FIELDS: Partial<Record<DialectName, readonly [query: string, documents: string]>> = {
  tei: ['query', 'texts'],
  'vllm-rerank': ['query', 'documents'],
  'vllm-score': ['text_1', 'text_2'],
  infinity: ['query', 'documents'],
  'llama-cpp': ['query', 'documents'],
};

/**
 * The raw query and documents of a request body that already passed the dialect's schema, for engines
 * that concatenate query and document into one prompt; `undefined` for dialects that do not.
 */
export function enginePairTexts(dialect: DialectName, body: unknown): EnginePairTexts | undefined {
  const fields = PAIR_FIELDS[dialect];
  if (fields === undefined || !isRecord(body)) return undefined;
  const query = body[fields[0]];
  const documents = body[fields[1]];
  if (typeof query !== 'string' || !isStrings(documents)) return undefined;
  return { query, documents };
}
