import { describe, expect, it } from 'vitest';
import { answerAnnouncement } from './answer-announcement.js';
import { describeNonJsonAnswer, describeRerankAnswer } from './describe-rerank-answer.js';

const sent = ['first', 'second', 'third'];

describe('answerAnnouncement', () => {
  it('counts the results of a success', () => {
    const rows = (count: number) =>
      describeRerankAnswer(
        200,
        { results: sent.slice(0, count).map((_, index) => ({ index, relevance_score: 0.5 })) },
        sent,
      );
    expect(answerAnnouncement(200, 'OK', rows(3))).toBe('200 OK, 3 results');
    expect(answerAnnouncement(200, 'OK', rows(1))).toBe('200 OK, 1 result');
    expect(answerAnnouncement(200, '', rows(0))).toBe('200, 0 results');
  });

  it("puts the contract's error after the status code", () => {
    const body = { error: { type: 'authentication_error', message: 'Invalid API key.' } };
    expect(answerAnnouncement(401, 'Unauthorized', describeRerankAnswer(401, body, sent))).toBe(
      '401 authentication_error: Invalid API key.',
    );
  });

  it('says what is wrong with an answer it cannot show, after the status line, without repeating the status', () => {
    expect(
      answerAnnouncement(413, 'Payload Too Large', { kind: 'error', message: describeNonJsonAnswer(413) }),
    ).toBe('413 Payload Too Large: the answer is not JSON.');
    expect(answerAnnouncement(401, 'Unauthorized', describeRerankAnswer(401, { error: 'x' }, sent))).toBe(
      "401 Unauthorized: the answer is not in the API's error shape.",
    );
    expect(answerAnnouncement(200, 'OK', describeRerankAnswer(200, { id: 'x' }, sent))).toBe(
      '200 OK: The answer is not a rerank answer: it has no results array.',
    );
  });
});
