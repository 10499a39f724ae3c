import type { Model, ModelList, RerankRequest, RerankResponse } from '@sealink/rerank-contract';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  APIPromise,
  APIResponse,
  RerankAllResponse,
  SeaLink,
  WithRequestId,
  WithResponse,
} from './index.js';

declare const client: SeaLink;
declare const params: RerankRequest;

describe('APIPromise types', () => {
  it('awaiting a call gives the same type as before withResponse existed', async () => {
    const response = await client.rerank(params);
    expectTypeOf(response).toEqualTypeOf<WithRequestId<RerankResponse>>();
    expectTypeOf(response.request_id).toEqualTypeOf<string | null>();
    expectTypeOf(await client.rerankAll(params)).toEqualTypeOf<RerankAllResponse>();
    expectTypeOf(await client.models.list()).toEqualTypeOf<WithRequestId<ModelList>>();
    expectTypeOf(await client.models.retrieve('bm25')).toEqualTypeOf<WithRequestId<Model>>();
    // Code that stores the call as a plain Promise still compiles.
    expectTypeOf(client.rerank(params)).toExtend<Promise<WithRequestId<RerankResponse>>>();
    expectTypeOf(client.rerank(params)).toEqualTypeOf<APIPromise<WithRequestId<RerankResponse>>>();
    expectTypeOf(client.rerank(params).then((answer) => answer.results)).toEqualTypeOf<
      Promise<RerankResponse['results']>
    >();
    // then and catch take the callbacks a plain Promise takes, an error typed as the caller likes included.
    expectTypeOf(client.rerank(params).catch((error: Error) => error.message)).toEqualTypeOf<
      Promise<WithRequestId<RerankResponse> | string>
    >();
    expectTypeOf(
      client.models.list().then(
        (list) => list.data.length,
        (error: Error) => error.name,
      ),
    ).toEqualTypeOf<Promise<number | string>>();
  });

  it('withResponse gives { data, response, request_id } with the status and web Headers', async () => {
    const { data, response, request_id } = await client.rerank(params).withResponse();
    expectTypeOf(data).toEqualTypeOf<WithRequestId<RerankResponse>>();
    expectTypeOf(response).toEqualTypeOf<APIResponse>();
    expectTypeOf(request_id).toEqualTypeOf<string | null>();
    expectTypeOf(response.status).toEqualTypeOf<number>();
    expectTypeOf(response.headers).toEqualTypeOf<Headers>();
    expectTypeOf(response.url).toEqualTypeOf<string>();
    expectTypeOf<WithResponse<WithRequestId<RerankResponse>>>().toEqualTypeOf<{
      data: WithRequestId<RerankResponse>;
      response: APIResponse;
      request_id: string | null;
    }>();
    expectTypeOf(client.rerankAll(params).withResponse()).resolves.toEqualTypeOf<
      WithResponse<RerankAllResponse>
    >();
    expectTypeOf(client.models.list().withResponse()).resolves.toEqualTypeOf<
      WithResponse<WithRequestId<ModelList>>
    >();
    expectTypeOf(client.models.retrieve('bm25').withResponse()).resolves.toEqualTypeOf<
      WithResponse<WithRequestId<Model>>
    >();
  });
});
