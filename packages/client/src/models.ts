import { Model, ModelList } from '@sealink/rerank-contract';
import { APIPromise, type CallResult } from './api-promise.js';
import type { RequestOptions } from './client-options.js';
import type { ResponseSchema } from './response-schema.js';
import { SeaLinkError } from './sea-link-error.js';
import type { WithRequestId } from './with-request-id.js';

/** Sends a GET request and checks the answer; the client's request loop. */
export type GetJson = <T extends object>(
  path: string,
  schema: ResponseSchema<T>,
  schemaName: string,
  options: RequestOptions | undefined,
) => Promise<CallResult<WithRequestId<T>>>;

/** The models the server serves: `GET /models` and `GET /models/{id}`. */
export class Models {
  readonly #get: GetJson;

  /** @param get The client's request loop for GET requests. */
  constructor(get: GetJson) {
    this.#get = get;
  }

  /**
   * Lists the models the server serves, with their limits. `.withResponse()` also gives the HTTP answer:
   * `{ data, response, request_id }`.
   */
  list(options?: RequestOptions): APIPromise<WithRequestId<ModelList>> {
    return new APIPromise(this.#get('/models', ModelList, 'ModelList', options));
  }

  /**
   * Retrieves one model and its limits, for example `max_documents`. `.withResponse()` also gives the
   * HTTP answer: `{ data, response, request_id }`.
   * @throws NotFoundError when the server does not serve the model.
   */
  retrieve(id: string, options?: RequestOptions): APIPromise<WithRequestId<Model>> {
    if (typeof id !== 'string' || id === '') {
      return new APIPromise(Promise.reject(new SeaLinkError('models.retrieve needs a non-empty model id')));
    }
    return new APIPromise(this.#get(`/models/${encodeURIComponent(id)}`, Model, 'Model', options));
  }
}
