/**
 * A response body with the id of the request that produced it. `request_id` is not enumerable, so
 * `JSON.stringify` and schema checks see exactly the contract's body.
 */
export type WithRequestId<T> = T & {
  /** The `X-Request-Id` of the answer; quote it when asking for support. `null` when the server sent none. */
  readonly request_id: string | null;
};

/** Attaches `request_id` to a response body as a non-enumerable property. */
export function withRequestId<T extends object>(body: T, requestId: string | null): WithRequestId<T> {
  return Object.defineProperty(body, 'request_id', {
    value: requestId,
    enumerable: false,
    writable: false,
    configurable: true,
  }) as WithRequestId<T>;
}

/**
 * The request id of an answer's `X-Request-Id` header: the first one when a proxy added its own (`Headers`
 * joins them with commas, which request ids never contain), `null` when there is none.
 */
export function requestIdOf(headers: Headers): string | null {
  const first = headers.get('x-request-id')?.split(',', 1)[0]?.trim();
  return first === undefined || first === '' ? null : first;
}
