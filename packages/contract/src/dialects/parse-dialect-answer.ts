import type { z } from 'zod';
import type { DialectName } from './dialect-name.js';
import { parseDialectBody } from './parse-dialect-body.js';
import { type EngineScore, readRankedScores } from './read-ranked-scores.js';
import type { ParseDialectResponseOptions, ParsedRerankScores } from './rerank-dialect.js';
import type { ScoreMapping } from './score-mapping.js';

/** What {@link parseDialectAnswer} reads from a checked answer. */
export interface DialectAnswerScores {
  /** The results, in the answer's order and the engine's scale. */
  entries: readonly EngineScore[];
  /** The tokens the answer reports, when it reports any. */
  totalTokens: number | undefined;
}

/**
 * The body of every dialect's `parseResponse`: checks the body against the answer schema, reads its
 * results with `read`, and checks and maps the scores (the options' mapping, else `defaultMapping`).
 * @throws DialectResponseError when the shape or the scores are wrong.
 */
export function parseDialectAnswer<Response>(
  dialect: DialectName,
  schema: z.ZodType<Response>,
  body: unknown,
  options: ParseDialectResponseOptions,
  defaultMapping: ScoreMapping,
  read: (answer: Response) => DialectAnswerScores,
): ParsedRerankScores {
  const { entries, totalTokens } = read(parseDialectBody(dialect, schema, body));
  return {
    results: readRankedScores(dialect, entries, options, options.scoreMapping ?? defaultMapping),
    totalTokens,
  };
}
