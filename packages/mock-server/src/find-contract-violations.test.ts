import { describe, expect, it } from 'vitest';
import { findContractViolations } from './find-contract-violations.js';
import { mockModelList } from './mock-models.js';

const jsonHeaders = (requestId = 'req_1') =>
  new Headers({ 'content-type': 'application/json', 'x-request-id': requestId });

describe('findContractViolations', () => {
  it('accepts a valid model list and model, and reports broken ones', () => {
    const list = mockModelList(['bm25'], 10);
    const base = { method: 'GET', requestBody: undefined, status: 200, headers: jsonHeaders() };
    expect(findContractViolations({ ...base, path: '/v1/models', bodyText: JSON.stringify(list) })).toEqual(
      [],
    );
    expect(
      findContractViolations({ ...base, path: '/v1/models/bm25', bodyText: JSON.stringify(list.data[0]) }),
    ).toEqual([]);
    expect(
      findContractViolations({ ...base, path: '/v1/models/other', bodyText: JSON.stringify(list.data[0]) }),
    ).toEqual(['asked for model other, got bm25']);
    const [problem] = findContractViolations({
      ...base,
      path: '/v1/models',
      bodyText: JSON.stringify({ object: 'list', data: 'none' }),
    });
    expect(problem).toMatch(/^the model list does not match ModelList: data: /);
  });

  it('reports a body that is not JSON, a wrong content type, an unknown status and an unknown route', () => {
    const base = { method: 'GET', path: '/v1/models', requestBody: undefined };
    expect(
      findContractViolations({
        ...base,
        status: 200,
        headers: new Headers({ 'x-request-id': 'r' }),
        bodyText: '{',
      }),
    ).toEqual([
      "the answer's Content-Type is missing, not application/json",
      expect.stringMatching(/^the body is not valid JSON/),
    ]);
    expect(findContractViolations({ ...base, status: 302, headers: jsonHeaders(), bodyText: '' })).toEqual([
      'status 302 is not one the contract uses',
    ]);
    expect(
      findContractViolations({
        ...base,
        path: '/v1/embeddings',
        status: 200,
        headers: jsonHeaders(),
        bodyText: '{}',
      }),
    ).toEqual(['answered 200 to GET /v1/embeddings, a route the contract does not have']);
  });

  it('reads the model id of the path as the server does: a malformed escape is kept raw, not a crash', () => {
    const model = mockModelList(['bm25'], 10).data[0];
    const base = { method: 'GET', requestBody: undefined, status: 200, headers: jsonHeaders() };
    expect(
      findContractViolations({ ...base, path: '/v1/models/%E0%A4%A', bodyText: JSON.stringify(model) }),
    ).toEqual(['asked for model %E0%A4%A, got bm25']);
    expect(
      findContractViolations({ ...base, path: '/v1/models/bm%32%35', bodyText: JSON.stringify(model) }),
    ).toEqual([]);
    expect(
      findContractViolations({ ...base, path: '/v1/models/a%20b%ZZ', bodyText: JSON.stringify(model) }),
    ).toEqual(['asked for model a b%ZZ, got bm25']);
    // The id is one path segment: a 200 to a path with a raw slash after it answers a route the API lacks.
    expect(
      findContractViolations({
        ...base,
        path: '/v1/models/org/bm25',
        bodyText: JSON.stringify({ ...model, id: 'org/bm25' }),
      }),
    ).toEqual(['answered 200 to GET /v1/models/org/bm25, a route the contract does not have']);
  });

  it('checks that an error body names the request id of the header', () => {
    const body = {
      error: { type: 'not_found_error', code: 'route_not_found', message: 'No.', request_id: 'req_2' },
    };
    expect(
      findContractViolations({
        method: 'GET',
        path: '/v1/nothing',
        requestBody: undefined,
        status: 404,
        headers: jsonHeaders('req_1'),
        bodyText: JSON.stringify(body),
      }),
    ).toEqual(['request_id req_2 differs from the X-Request-Id header req_1']);
  });
});
