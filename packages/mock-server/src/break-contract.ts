/**
 * Turns a valid answer body into JSON that breaks the contract, for the `contract-violation` fault: a rerank
 * answer gets its results in reverse order and loses `usage`; one without `usage` (Cohere v2's, whose
 * clients re-sort the results and need no usage) loses a result instead, so its count no longer fits the
 * request; a model or model list gets a wrong `object`; an error body loses `request_id`. Anything else
 * becomes `{ "unexpected": true }`.
 */
export function breakContract(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { unexpected: true };
  const broken: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (Array.isArray(broken.results)) {
    const results = [...broken.results].reverse();
    if ('usage' in broken) delete broken.usage;
    else results.pop();
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
