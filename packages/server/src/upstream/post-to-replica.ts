import type { Dispatcher } from 'undici';
import type { UpstreamAbort } from './upstream-abort.js';

/** One POST to send to an upstream replica. */
export interface ReplicaPost {
  /** The path, with the replica's path prefix. */
  path: string;
  /** The request headers, lower-case names. */
  headers: Record<string, string>;
  /** The JSON body. */
  body: string;
}

/** A replica's whole answer, whatever its status. */
export interface ReplicaAnswer {
  /** The HTTP status. */
  status: number;
  /** The response headers as undici gives them: lower-case names, repeated headers as arrays. */
  headers: Record<string, string | string[] | undefined>;
  /** The whole response body as text. */
  text: string;
}

/**
 * Sends one POST through a replica's keep-alive undici `Pool` and collects the whole answer; rejects
 * with `abort.reason` as soon as `abort` fires, and with undici's error when the exchange fails.
 *
 * This uses undici's dispatch handler API, the layer under `Pool.request`, for the reason the published
 * client does: an engine's answer is small JSON read whole anyway, so the response stream and the abort
 * signal that `request` sets up per call are pure cost, and on the gateway's one-request-at-a-time path
 * (the gateway-overhead benchmark) the per-call work of `request` was a measurable part of the gateway's
 * own time. The pool, its keep-alive connections and its limits (`maxResponseSize`) are the same.
 */
export function postToReplica(
  pool: Dispatcher,
  post: ReplicaPost,
  abort: UpstreamAbort,
): Promise<ReplicaAnswer> {
  if (abort.aborted) return Promise.reject(abort.reason);
  return new Promise<ReplicaAnswer>((resolve, reject) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: ReplicaAnswer['headers'] = {};
    const chunks: Buffer[] = [];
    const settle = (error: unknown, answer?: ReplicaAnswer): void => {
      if (settled) return;
      settled = true;
      abort.off('abort', onAbort);
      if (answer === undefined) reject(error);
      else resolve(answer);
    };
    const onAbort = (): void => {
      settle(abort.reason);
      controller?.abort(abort.reason instanceof Error ? abort.reason : new Error(String(abort.reason)));
    };
    abort.once('abort', onAbort);
    pool.dispatch(
      { path: post.path, method: 'POST', headers: post.headers, body: post.body },
      {
        onRequestStart(requestController) {
          controller = requestController;
          if (settled) requestController.abort(new Error('the upstream call was aborted'));
        },
        onResponseStart(_controller, statusCode, responseHeaders) {
          status = statusCode;
          headers = responseHeaders;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          const text =
            chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          settle(undefined, { status, headers, text });
        },
        onResponseError(_controller, error) {
          settle(error);
        },
      },
    );
  });
}
