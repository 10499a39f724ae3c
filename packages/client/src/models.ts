import { Model, ModelList } from '@sealink/rerank-contract';
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
) => Promise<WithRequestId<T>>;

/** The models the server serves: `GET /models` and `GET /models/{id}`. */
export class Models {
  readonly #get: GetJson;

  /** @param get The client's request loop for GET requests. */
  constructor(get: GetJson) {
    this.#get = get;
  }

  /** Lists the models the server serves, with their limits. */
  list(options?: RequestOptions): Promise<WithRequestId<ModelList>> {
    return this.#get('/models', ModelList, 'ModelList', options);
  }

  /**
   * Retrieves one model and its limits, for example `max_documents`.
   * @throws NotFoundError when the server does not serve the model.
   */
  retrieve(id: string, options?: RequestOptions): Promise<WithRequestId<Model>> {
    if (typeof id !== 'string' || id === '') {
      return Promise.reject(new SeaLinkError('models.retrieve needs a non-empty model id'));
    }
    return this.#get(`/models/${encodeURIComponent(id)}`, Model, 'Model', options);
  }
}
