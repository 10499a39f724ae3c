import type { RerankAnswerView } from './describe-rerank-answer.js';

/**
 * The one line the console's status region announces for an answer, short enough for a screen reader to read
 * in full: `200 OK, 3 results` for a success; the contract's error after the status code, as
 * `401 authentication_error: ...`; otherwise the status line and what is wrong, as
 * `413 Payload Too Large: the answer is not JSON.`. The panel below shows the details (headers, JSON body).
 */
export function answerAnnouncement(status: number, statusText: string, view: RerankAnswerView): string {
  const statusLine = `${status} ${statusText}`.trim();
  if (view.kind === 'results') {
    const count = view.rows.length;
    return `${statusLine}, ${count} ${count === 1 ? 'result' : 'results'}`;
  }
  const httpPrefix = `HTTP ${status}: `;
  if (view.message.startsWith(httpPrefix)) return `${statusLine}: ${view.message.slice(httpPrefix.length)}`;
  if (status >= 200 && status <= 299) return `${statusLine}: ${view.message}`;
  return `${status} ${view.message}`;
}
