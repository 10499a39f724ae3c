import type { RerankRequest, RerankResponse, RerankResult } from '@sealink/rerank-contract';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type APIPromise,
  mergeRerankResponses,
  type RerankAllResponse,
  type RerankResponseWithDocuments,
  type RerankResponseWithoutDocuments,
  type RerankResultWithDocument,
  type RerankResultWithoutDocument,
  type SeaLink,
  type WithRequestId,
  type WithResponse,
} from './index.js';

declare const client: SeaLink;
declare const someFlag: boolean;
const page = {
  model: 'qwen3-rerank',
  query: 'best API gateway for Qwen models',
  documents: ['SeaLink exposes one rerank API.', 'Rerank models improve retrieval quality for RAG.'],
  top_n: 2,
};

describe('the result type follows return_documents', () => {
  it('return_documents omitted or true: result.document.text compiles, as the API page shows it', async () => {
    const response = await client.rerank(page);
    for (const result of response.results) {
      expectTypeOf(result.document.text).toEqualTypeOf<string>();
      expectTypeOf(result).toEqualTypeOf<RerankResultWithDocument>();
    }
    expectTypeOf(response).toEqualTypeOf<WithRequestId<RerankResponseWithDocuments>>();
    expectTypeOf(response.request_id).toEqualTypeOf<string | null>();
    const asked = await client.rerank({ ...page, return_documents: true }, { timeout: 5_000 });
    expectTypeOf(asked.results[0]!.document.text).toEqualTypeOf<string>();
    const inline = await client.rerank({ model: 'bm25', query: 'q', documents: [{ text: 'a' }] });
    expectTypeOf(inline.results[0]!.document).toEqualTypeOf<{ text: string }>();
    // A result that carries its document is still the contract's result.
    expectTypeOf<RerankResultWithDocument>().toExtend<RerankResult>();
    expectTypeOf<RerankResponseWithDocuments>().toExtend<RerankResponse>();
  });

  it('return_documents: false gives results without a document', async () => {
    const response = await client.rerank({ ...page, return_documents: false });
    expectTypeOf(response).toEqualTypeOf<WithRequestId<RerankResponseWithoutDocuments>>();
    expectTypeOf(response.results[0]!).toEqualTypeOf<RerankResultWithoutDocument>();
    expectTypeOf(response.results[0]!.document).toEqualTypeOf<undefined>();
    // @ts-expect-error no document was asked for, so there is no text to read
    void response.results[0]!.document.text;
    expectTypeOf<RerankResponseWithoutDocuments>().toExtend<RerankResponse>();
  });

  it('a return_documents only known at run time keeps the optional document', async () => {
    const response = await client.rerank({ ...page, return_documents: someFlag });
    expectTypeOf(response).toEqualTypeOf<WithRequestId<RerankResponse>>();
    expectTypeOf(response.results[0]!.document).toEqualTypeOf<{ text: string } | undefined>();
    const params: RerankRequest = page;
    expectTypeOf(await client.rerank(params)).toEqualTypeOf<WithRequestId<RerankResponse>>();
  });

  it('withResponse and then follow the request too', async () => {
    expectTypeOf(client.rerank(page)).toEqualTypeOf<APIPromise<WithRequestId<RerankResponseWithDocuments>>>();
    const { data } = await client.rerank(page).withResponse();
    expectTypeOf(data.results[0]!.document.text).toEqualTypeOf<string>();
    expectTypeOf(client.rerank({ ...page, return_documents: false }).withResponse()).resolves.toEqualTypeOf<
      WithResponse<WithRequestId<RerankResponseWithoutDocuments>>
    >();
    const texts = client.rerank(page).then((answer) => answer.results.map((result) => result.document.text));
    expectTypeOf(texts).toEqualTypeOf<Promise<string[]>>();
  });

  it('rerankAll follows return_documents the same way, with its options', async () => {
    const all = await client.rerankAll(page, { chunkSize: 1, concurrency: 2 });
    expectTypeOf(all).toEqualTypeOf<RerankAllResponse<RerankResponseWithDocuments>>();
    expectTypeOf(all.results[0]!.document.text).toEqualTypeOf<string>();
    expectTypeOf(all.request_ids).toEqualTypeOf<(string | null)[]>();
    const bare = await client.rerankAll({ ...page, return_documents: false });
    expectTypeOf(bare).toEqualTypeOf<RerankAllResponse<RerankResponseWithoutDocuments>>();
    expectTypeOf(bare.results[0]!.document).toEqualTypeOf<undefined>();
    const either = await client.rerankAll({ ...page, return_documents: someFlag });
    expectTypeOf(either).toEqualTypeOf<RerankAllResponse>();
    expectTypeOf<RerankAllResponse>().toEqualTypeOf<RerankAllResponse<RerankResponse>>();
    const { data } = await client.rerankAll(page).withResponse();
    expectTypeOf(data.results[0]!.document.text).toEqualTypeOf<string>();
  });

  it('mergeRerankResponses follows returnDocuments', () => {
    const chunks = [{ offset: 0, response: { id: 'rerank-1', model: 'm', results: [] } }];
    const merged = mergeRerankResponses({ model: 'm', documents: ['a'], chunks });
    expectTypeOf(merged).toEqualTypeOf<RerankResponseWithDocuments>();
    const asked = mergeRerankResponses({ model: 'm', documents: ['a'], chunks, returnDocuments: true });
    expectTypeOf(asked).toEqualTypeOf<RerankResponseWithDocuments>();
    const bare = mergeRerankResponses({ model: 'm', documents: ['a'], chunks, returnDocuments: false });
    expectTypeOf(bare).toEqualTypeOf<RerankResponseWithoutDocuments>();
    const either = mergeRerankResponses({ model: 'm', documents: ['a'], chunks, returnDocuments: someFlag });
    expectTypeOf(either).toEqualTypeOf<RerankResponse>();
  });

  it('still refuses requests that break the contract types, under every overload', () => {
    // @ts-expect-error unknown fields are not part of the request
    void client.rerank({ ...page, top_k: 2 });
    // @ts-expect-error unknown fields are not part of the request, with return_documents: false too
    void client.rerank({ ...page, return_documents: false, top_k: 2 });
    // @ts-expect-error return_documents is a boolean
    void client.rerank({ ...page, return_documents: 'no' });
    // @ts-expect-error unknown fields are not part of a rerankAll request either
    void client.rerankAll({ ...page, return_documents: true, top_k: 2 });
  });
});
