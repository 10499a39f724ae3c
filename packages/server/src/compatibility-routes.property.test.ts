import { CohereV2RerankResponse, logit, TeiRerankResponse } from '@sealink/rerank-contract/dialects';
import {
  junkBodyArbitrary,
  queryArbitrary,
  rerankRequestArbitrary,
  textArbitrary,
} from '@sealink/rerank-contract/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authorizationArbitrary,
  contentTypeArbitrary,
  echoedRequestId,
  expectContractError,
  junkHeadersArbitrary,
  PROPERTY_API_KEY,
  requestIdArbitrary,
  sendRaw,
  startPropertyServer,
} from './http-property-test-kit.js';
import { wordOverlapScore } from './testing/scripted-backend.js';

/** A random body that TEI's `POST /rerank` takes, every optional field present or not. */
const teiRequestArbitrary = fc.record(
  {
    query: queryArbitrary,
    texts: fc.array(textArbitrary(), { minLength: 1, maxLength: 20 }),
    return_text: fc.boolean(),
    raw_scores: fc.boolean(),
    truncate: fc.option(fc.boolean(), { nil: null }),
    truncation_direction: fc.constantFrom('Left', 'Right', 'left', 'right'),
  },
  { requiredKeys: ['query', 'texts'] },
);

/** A valid Cohere v2 body for the default model. */
const cohereBodyArbitrary = rerankRequestArbitrary({ models: ['bm25', 'other'], maxDocuments: 5 }).map(
  (request) =>
    JSON.stringify({
      model: request.model,
      query: request.query,
      documents: request.documents.map((document) =>
        typeof document === 'string' ? document : document.text,
      ),
    }),
);

describe('compatibility routes, properties over a real socket', () => {
  it('TEI POST /rerank: random valid requests get one result per text, ranked, with the backend’s scores', async () => {
    await using server = await startPropertyServer();
    await fc.assert(
      fc.asyncProperty(teiRequestArbitrary, async (request) => {
        const answer = await sendRaw(server.port, {
          method: 'POST',
          path: '/rerank',
          headers: [
            ['authorization', `Bearer ${PROPERTY_API_KEY}`],
            ['content-type', 'application/json'],
          ],
          body: JSON.stringify(request),
        });
        expect(answer.status, answer.body).toBe(200);
        expect(answer.headers.get('content-type')).toMatch(/^application\/json\b/);
        const results = TeiRerankResponse.parse(JSON.parse(answer.body));
        // Every text once, whatever top_n would be: TEI has none.
        expect(results.map((result) => result.index).sort((a, b) => a - b)).toEqual(
          request.texts.map((_, index) => index),
        );
        for (const [position, result] of results.entries()) {
          const probability = wordOverlapScore(request.query, request.texts[result.index]!);
          expect(result.score).toBeCloseTo(request.raw_scores === true ? logit(probability) : probability, 9);
          if (request.return_text === true) expect(result.text).toBe(request.texts[result.index]);
          else expect(result).not.toHaveProperty('text');
          // Ranked by score descending, ties by index ascending.
          const next = results[position + 1];
          if (next !== undefined) {
            expect(result.score >= next.score).toBe(true);
            if (result.score === next.score) expect(result.index).toBeLessThan(next.index);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('never answers junk methods, headers, content types or bodies on a compatibility route with a 5xx', async () => {
    await using server = await startPropertyServer();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: fc.constant('POST') },
          { weight: 1, arbitrary: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') },
        ),
        fc.constantFrom('/v2/rerank', '/rerank', '/rerank?model=x', '/v2/rerank?', '/rerank/', '/v2/rerank/'),
        fc.option(contentTypeArbitrary, { nil: undefined }),
        fc.option(authorizationArbitrary(PROPERTY_API_KEY), { nil: undefined }),
        fc.option(requestIdArbitrary, { nil: undefined }),
        junkHeadersArbitrary,
        fc.oneof(
          junkBodyArbitrary,
          cohereBodyArbitrary,
          teiRequestArbitrary.map((request) => JSON.stringify(request)),
        ),
        async (method, path, contentType, authorization, requestId, extra, body) => {
          const headers: [string, string][] = [];
          if (contentType !== undefined) headers.push(['content-type', contentType]);
          if (authorization !== undefined) headers.push(['authorization', authorization]);
          if (requestId !== undefined) headers.push(['x-request-id', requestId]);
          headers.push(...extra);
          const answer = await sendRaw(server.port, { method, path, headers, body });
          expect(answer.status).toBeGreaterThanOrEqual(200);
          expect(answer.status).toBeLessThan(500);
          const echoed = echoedRequestId(headers);
          if (echoed !== undefined) expect(answer.headers.get('x-request-id')).toBe(echoed);
          if (answer.status === 200) {
            expect(method).toBe('POST');
            const json: unknown = JSON.parse(answer.body);
            if (path.startsWith('/v2/')) CohereV2RerankResponse.parse(json);
            else TeiRerankResponse.parse(json);
            return;
          }
          const error = expectContractError(answer, method);
          if (/^[^?]+\/(\?|$)/.test(path)) {
            // A trailing slash is another path, which no route serves.
            expect(answer.status).toBe(404);
            if (error !== undefined) expect(error.code).toBe('route_not_found');
          } else if (method !== 'POST') {
            expect(answer.status).toBe(405);
            expect(answer.headers.get('allow')).toBe('POST');
            if (error !== undefined) expect(error.type).toBe('method_not_allowed');
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
