/** One row of the console's results table: rank, index, score and document text, as shown. */
export type ResultRow = [rank: string, index: string, score: string, document: string];

/** What the console shows of a JSON answer: an error message, or the rows of the results table. */
export type RerankAnswerView = { kind: 'error'; message: string } | { kind: 'results'; rows: ResultRow[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The contract's error (`{ "error": { "type", "message", "param"? } }`) as one line, or `undefined`. */
function contractErrorLine(body: unknown): string | undefined {
  const error = isObject(body) ? body.error : undefined;
  if (!isObject(error) || typeof error.type !== 'string' || typeof error.message !== 'string')
    return undefined;
  const param = typeof error.param === 'string' ? ` (param: ${error.param})` : '';
  return `${error.type}: ${error.message}${param}`;
}

/** The table row of one result, or why it is not a result of the contract. */
function resultRow(
  result: unknown,
  rank: number,
  sentDocuments: readonly string[],
): ResultRow | { problem: string } {
  const where = `results[${rank}]`;
  if (!isObject(result)) return { problem: `${where} is not an object` };
  const { index, relevance_score: score, document } = result;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    return { problem: `${where}.index is not an index` };
  }
  if (typeof score !== 'number' || !Number.isFinite(score)) {
    return { problem: `${where}.relevance_score is not a number` };
  }
  if (document !== undefined && !(isObject(document) && typeof document.text === 'string')) {
    return { problem: `${where}.document has no text` };
  }
  const text = isObject(document) && typeof document.text === 'string' ? document.text : sentDocuments[index];
  return [String(rank + 1), String(index), score.toFixed(4), text ?? ''];
}

/**
 * What the console shows of an answer whose body is JSON: the contract's error as `type: message (param)`;
 * for another error status, that the body is not in the API's error shape; for a success, the results
 * table, or why the body is not a rerank answer. Never throws, whatever the body.
 */
export function describeRerankAnswer(
  status: number,
  body: unknown,
  sentDocuments: readonly string[],
): RerankAnswerView {
  const errorLine = contractErrorLine(body);
  if (errorLine !== undefined) return { kind: 'error', message: errorLine };
  if (status < 200 || status > 299) {
    return { kind: 'error', message: `HTTP ${status}: the answer is not in the API's error shape.` };
  }
  const results = isObject(body) ? body.results : undefined;
  if (!Array.isArray(results)) {
    return { kind: 'error', message: 'The answer is not a rerank answer: it has no results array.' };
  }
  const rows: ResultRow[] = [];
  for (const [rank, result] of results.entries()) {
    const row = resultRow(result, rank, sentDocuments);
    if (!Array.isArray(row))
      return { kind: 'error', message: `The answer is not a rerank answer: ${row.problem}.` };
    rows.push(row);
  }
  return { kind: 'results', rows };
}

/** The console's message for an answer whose body is not JSON. */
export function describeNonJsonAnswer(status: number): string {
  return status >= 200 && status <= 299
    ? 'The answer is not JSON.'
    : `HTTP ${status}: the answer is not JSON.`;
}
