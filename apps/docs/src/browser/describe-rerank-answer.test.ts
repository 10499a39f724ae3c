import { describe, expect, it } from 'vitest';
import { describeNonJsonAnswer, describeRerankAnswer } from './describe-rerank-answer.js';

const sent = ['first', 'second'];

describe('describeRerankAnswer', () => {
  it('lists the results of a rerank answer, taking the text from the request when the answer has none', () => {
    const body = {
      results: [
        { index: 1, relevance_score: 0.9, document: { text: 'second' } },
        { index: 0, relevance_score: 0.25 },
      ],
    };
    expect(describeRerankAnswer(200, body, sent)).toEqual({
      kind: 'results',
      rows: [
        ['1', '1', '0.9000', 'second'],
        ['2', '0', '0.2500', 'first'],
      ],
    });
  });

  it("shows the contract's error as type: message (param)", () => {
    const body = { error: { type: 'not_found_error', message: 'no model x', param: 'model' } };
    expect(describeRerankAnswer(404, body, sent)).toEqual({
      kind: 'error',
      message: 'not_found_error: no model x (param: model)',
    });
  });

  it.each([
    [{ results: [{ index: 0 }] }, 'results[0].relevance_score is not a number'],
    [{ results: [null] }, 'results[0] is not an object'],
    [{ results: [{ index: -1, relevance_score: 0.5 }] }, 'results[0].index is not an index'],
    [{ results: [{ index: 0, relevance_score: 0.5, document: 'x' }] }, 'results[0].document has no text'],
    [{ id: 'x' }, 'it has no results array'],
    [[], 'it has no results array'],
  ])('says why a 200 with %j is not a rerank answer, without throwing', (body, problem) => {
    expect(describeRerankAnswer(200, body, sent)).toEqual({
      kind: 'error',
      message: `The answer is not a rerank answer: ${problem}.`,
    });
  });

  it('says that an error answer is not in the error shape, whatever its body', () => {
    for (const body of [{ error: 'Unauthorized' }, { message: 'Bad gateway' }, null, 'x']) {
      expect(describeRerankAnswer(401, body, sent)).toEqual({
        kind: 'error',
        message: "HTTP 401: the answer is not in the API's error shape.",
      });
    }
  });
});

describe('describeNonJsonAnswer', () => {
  it('names the status of an error answer that is not JSON', () => {
    expect(describeNonJsonAnswer(413)).toBe('HTTP 413: the answer is not JSON.');
    expect(describeNonJsonAnswer(200)).toBe('The answer is not JSON.');
  });
});
