/**
 * Turns a valid answer body into JSON that breaks the contract, for the `contract-violation` fault: a rerank
 * answer gets its results in reverse order and loses `usage`; a model or model list gets a wrong `object`;
 * an error body loses `request_id`. Anything else becomes `{ "unexpected": true }`.
 */
export function breakContract(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { unexpected: true };
  const broken: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (Array.isArray(broken.results)) {
    broken.results = [...broken.results].reverse();
    delete broken.usage;
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
