import type { Model, ModelList, RerankRequest, RerankResponse } from '@sealink/rerank-contract';
import type { Agent, Dispatcher } from 'undici';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type APIConnectionError,
  type APIConnectionTimeoutError,
  type APIError,
  type APIUserAbortError,
  type ClientOptions,
  type InvalidResponseError,
  RateLimitError,
  type RequestOptions,
  type RerankAllOptions,
  type RerankAllResponse,
  SeaLink,
  SeaLinkError,
  type SeaLinkLogger,
  type TimeoutPhase,
  type WithRequestId,
} from './index.js';

describe('public types', () => {
  it('takes the contract request and answers the contract response with a request id', () => {
    const client = new SeaLink({ apiKey: null });
    // rerank and rerankAll are overloaded by return_documents (see return-documents.test-d.ts); the last
    // overload, which `Parameters` and `ReturnType` read, takes any contract request.
    expectTypeOf(client.rerank).toBeCallableWith({} as RerankRequest);
    expectTypeOf<Parameters<SeaLink['rerank']>[0]>().toEqualTypeOf<RerankRequest>();
    expectTypeOf<Awaited<ReturnType<SeaLink['rerank']>>>().toEqualTypeOf<WithRequestId<RerankResponse>>();
    expectTypeOf<Awaited<ReturnType<SeaLink['rerank']>>['request_id']>().toEqualTypeOf<string | null>();
    expectTypeOf<Awaited<ReturnType<SeaLink['rerank']>>['results'][number]['relevance_score']>().toBeNumber();
    expectTypeOf(client.rerankAll).toBeCallableWith({} as RerankRequest, { chunkSize: 2 });
    expectTypeOf<Parameters<SeaLink['rerankAll']>[0]>().toEqualTypeOf<RerankRequest>();
    expectTypeOf<Awaited<ReturnType<SeaLink['rerankAll']>>>().toEqualTypeOf<RerankAllResponse>();
    expectTypeOf<RerankAllResponse['request_ids']>().toEqualTypeOf<(string | null)[]>();
    expectTypeOf(client.models.list).returns.resolves.toEqualTypeOf<WithRequestId<ModelList>>();
    expectTypeOf(client.models.retrieve).returns.resolves.toEqualTypeOf<WithRequestId<Model>>();
  });

  it('rejects requests that break the contract types', () => {
    const client = new SeaLink({ apiKey: null });
    // @ts-expect-error documents is required
    void client.rerank({ model: 'bm25', query: 'q' });
    // @ts-expect-error top_n is a number
    void client.rerank({ model: 'bm25', query: 'q', documents: ['a'], top_n: '2' });
    // @ts-expect-error unknown fields are not part of the request
    void client.rerank({ model: 'bm25', query: 'q', documents: ['a'], top_k: 2 });
    void client.rerank({
      model: 'bm25',
      query: 'q',
      documents: ['a', { text: 'b' }],
      return_documents: false,
    });
    // Readonly document arrays (`as const`, ReadonlyArray) are taken as they are.
    const fixed = ['a', { text: 'b' }] as const;
    const listed: ReadonlyArray<string> = ['c'];
    void client.rerank({ model: 'bm25', query: 'q', documents: fixed });
    void client.rerankAll({ model: 'bm25', query: 'q', documents: listed }, { chunkSize: 1 });
    // @ts-expect-error documents are strings or { text } objects
    void client.rerank({ model: 'bm25', query: 'q', documents: [1] as const });
  });

  it('has typed options', () => {
    expectTypeOf<ClientOptions['apiKey']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<RequestOptions['signal']>().toEqualTypeOf<AbortSignal | undefined>();
    expectTypeOf<RerankAllOptions>().toExtend<RequestOptions>();
    expectTypeOf<RerankAllOptions['chunkSize']>().toEqualTypeOf<number | undefined>();
    expectTypeOf(console).toExtend<SeaLinkLogger>();
    // @ts-expect-error timeout is in milliseconds as a number
    void new SeaLink({ apiKey: null, timeout: '1s' });
  });

  it('takes a dispatcher of any installed copy of undici 7, of which it uses only dispatch', () => {
    // The Agent of another undici 7 release, which the app depends on itself: the same dispatch, other
    // types elsewhere (compose's changed within 7.x, so the whole Dispatcher of one release is not the other's).
    type OtherUndiciAgent = Pick<Dispatcher, 'dispatch'> & {
      compose(interceptors: readonly unknown[]): OtherUndiciAgent;
      close(): Promise<void>;
    };
    expectTypeOf<OtherUndiciAgent>().toExtend<NonNullable<ClientOptions['dispatcher']>>();
    expectTypeOf<Agent>().toExtend<NonNullable<ClientOptions['dispatcher']>>();
  });

  it('has one error hierarchy', () => {
    expectTypeOf<APIError>().toExtend<SeaLinkError>();
    expectTypeOf<RateLimitError>().toExtend<APIError>();
    expectTypeOf<APIConnectionTimeoutError>().toExtend<APIConnectionError>();
    expectTypeOf<APIUserAbortError>().toExtend<SeaLinkError>();
    expectTypeOf<InvalidResponseError>().toExtend<SeaLinkError>();
    expectTypeOf<SeaLinkError>().toExtend<Error>();
    expectTypeOf<APIError['status']>().toBeNumber();
    expectTypeOf<APIError['headers']>().toEqualTypeOf<Headers>();
    expectTypeOf<APIError['request_id']>().toEqualTypeOf<string | null>();
    expectTypeOf<APIConnectionTimeoutError['phase']>().toEqualTypeOf<TimeoutPhase>();
    expectTypeOf(SeaLinkError.isInstance).guards.toEqualTypeOf<SeaLinkError>();
    const error: unknown = undefined;
    if (RateLimitError.isInstance(error)) expectTypeOf(error).toEqualTypeOf<RateLimitError>();
    if (SeaLinkError.isInstance(error)) expectTypeOf(error).toEqualTypeOf<SeaLinkError>();
  });
});
