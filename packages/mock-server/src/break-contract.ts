/**
 * Turns a valid answer body into JSON that breaks the contract, for the `contract-violation` fault: a rerank
 * answer (ours or Cohere v2's) gets its results in reverse order, loses `usage` when it has one, and loses a
 * result, so its count no longer fits the request even when the order cannot show (one result, equal
 * scores, or a Cohere client that re-sorts) and although `usage` is optional; a model or model list gets a
 * wrong `object`; an error body loses `request_id`. Anything else becomes `{ "unexpected": true }`.
 */
export function breakContract(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { unexpected: true };
  const broken: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (Array.isArray(broken.results)) {
    const results = [...broken.results].reverse();
    delete broken.usage;
    results.pop();
    broken.results = results;
    return broken;
  }
  if (typeof broken.object === 'string') {
    broken.object = 'not-a-model';
    return broken;
  }
  if (broken.error !== null && typeof broken.error === 'object') {
    const { request_id: _requestId, ...error } = broken.error as Record<string, unknown>;
    broken.error = error;
    return broken;
  }
  return { unexpected: true };
}
