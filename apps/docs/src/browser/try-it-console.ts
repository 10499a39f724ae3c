// The try-it console: sends real `POST /v1/rerank` requests from the browser to the API base URL the user
// chose, and shows the status, the headers the server exposes, the results and the raw JSON answer.
import { answerAnnouncement } from './answer-announcement.js';
import { normalizeApiBaseUrl, rerankEndpoint } from './api-base-url.js';
import { apiKeyProblem } from './api-key-problem.js';
import { CONSOLE_ELEMENT_IDS as IDS } from './console-element-ids.js';
import { describeNonJsonAnswer, describeRerankAnswer, type ResultRow } from './describe-rerank-answer.js';
import { pageApiBaseUrl, storeApiBaseUrl } from './page-api-base-url.js';
import { buildRerankRequestBody, type RerankRequestBody, rerankCurlCommand } from './rerank-form.js';

/** How long the console waits for an answer before it gives up. */
const REQUEST_TIMEOUT_MS = 60_000;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`The console page has no element #${id}.`);
  return found as T;
}

function inputValue(id: string): string {
  return element<HTMLInputElement | HTMLTextAreaElement>(id).value;
}

function showResults(rows: readonly ResultRow[]): void {
  const tbody = element<HTMLTableSectionElement>(IDS.responseResults);
  tbody.replaceChildren(
    ...rows.map((cells) => {
      const row = document.createElement('tr');
      for (const cell of cells) {
        const td = document.createElement('td');
        td.textContent = cell;
        row.append(td);
      }
      return row;
    }),
  );
}

function showHeaders(headers: Headers): void {
  const list = element<HTMLDListElement>(IDS.responseHeaders);
  list.replaceChildren();
  for (const [name, value] of headers) {
    const term = document.createElement('dt');
    term.textContent = name;
    const definition = document.createElement('dd');
    definition.textContent = value;
    list.append(term, definition);
  }
}

/**
 * Sets the one line the status region (role="status") announces; the response panel itself is not live, so
 * a screen reader reads this summary, not the JSON body. An empty text announces nothing.
 */
function announce(text: string): void {
  element(IDS.announcement).textContent = text;
}

/**
 * Hides the last answer (and its request) and silences its announcement, when the form refuses to send:
 * what is on screen must not pass for the answer to the request that was not sent.
 */
function hideResponse(): void {
  element(IDS.response).hidden = true;
  announce('');
}

function resetResponse(statusText: string): void {
  element(IDS.response).hidden = false;
  element(IDS.responseStatus).textContent = statusText;
  element(IDS.responseStatus).dataset.status = '';
  element(IDS.responseRequestId).textContent = '-';
  element(IDS.responseHeaders).replaceChildren();
  element(IDS.responseError).textContent = '';
  element(IDS.responseError).hidden = true;
  element(IDS.responseResults).replaceChildren();
  element(IDS.responseBody).textContent = '';
}

function showError(message: string): void {
  element(IDS.responseError).textContent = message;
  element(IDS.responseError).hidden = false;
}

async function send(endpoint: string, body: RerankRequestBody, apiKey: string): Promise<void> {
  resetResponse('Sending...');
  // Also makes the same answer twice in a row a change that is announced again.
  announce('Sending request...');
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (apiKey !== '') headers.Authorization = `Bearer ${apiKey}`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    element(IDS.responseStatus).textContent = 'No answer';
    element(IDS.responseStatus).dataset.status = 'network-error';
    const reason = error instanceof Error ? error.message : String(error);
    showError(
      `Could not reach ${endpoint} (${reason}). Is the server running, and does it allow cross-origin requests from this page?`,
    );
    announce(`Could not reach ${endpoint} (${reason}).`);
    return;
  }
  const statusLine = `${response.status} ${response.statusText}`.trim();
  element(IDS.responseStatus).textContent = statusLine;
  element(IDS.responseStatus).dataset.status = String(response.status);
  element(IDS.responseRequestId).textContent =
    response.headers.get('x-request-id') ?? '(not exposed to the page)';
  showHeaders(response.headers);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    showError(`The connection broke while the answer was arriving (${reason}).`);
    announce(`${statusLine}, but the connection broke while the answer was arriving.`);
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    element(IDS.responseBody).textContent = text;
    const message = describeNonJsonAnswer(response.status);
    showError(message);
    announce(answerAnnouncement(response.status, response.statusText, { kind: 'error', message }));
    return;
  }
  element(IDS.responseBody).textContent = JSON.stringify(parsed, null, 2);
  const view = describeRerankAnswer(response.status, parsed, body.documents);
  if (view.kind === 'error') showError(view.message);
  else showResults(view.rows);
  announce(answerAnnouncement(response.status, response.statusText, view));
}

/** Shows a field's problem below it and puts the focus there, or clears it when `problem` is undefined. */
function markField(input: HTMLInputElement, message: HTMLElement, problem: string | undefined): void {
  if (problem === undefined) {
    message.textContent = '';
    input.removeAttribute('aria-invalid');
    return;
  }
  message.textContent = problem;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

function startConsole(): void {
  const baseUrlInput = element<HTMLInputElement>(IDS.baseUrl);
  const baseUrlMessage = element(IDS.baseUrlMessage);
  const apiKeyInput = element<HTMLInputElement>(IDS.apiKey);
  const apiKeyMessage = element(IDS.apiKeyMessage);
  baseUrlInput.value = pageApiBaseUrl();
  const form = element<HTMLFormElement>(IDS.form);
  const sendButton = element<HTMLButtonElement>(IDS.send);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const baseUrl = normalizeApiBaseUrl(baseUrlInput.value);
    markField(baseUrlInput, baseUrlMessage, baseUrl.ok ? undefined : baseUrl.message);
    if (!baseUrl.ok) {
      hideResponse();
      return;
    }
    // fetch would refuse such a key with a TypeError and send nothing: say so, rather than "Could not reach".
    const apiKey = apiKeyInput.value.trim();
    const keyProblem = apiKeyProblem(apiKey);
    markField(apiKeyInput, apiKeyMessage, keyProblem);
    if (keyProblem !== undefined) {
      hideResponse();
      return;
    }
    storeApiBaseUrl(baseUrl.url);
    const endpoint = rerankEndpoint(baseUrl.url);
    const body = buildRerankRequestBody({
      model: inputValue(IDS.model),
      query: inputValue(IDS.query),
      documents: inputValue(IDS.documents),
      topN: inputValue(IDS.topN),
      returnDocuments: element<HTMLInputElement>(IDS.returnDocuments).checked,
      instruction: inputValue(IDS.instruction),
    });
    element(IDS.requestBody).textContent = JSON.stringify(body, null, 2);
    element(IDS.requestCurl).textContent = rerankCurlCommand(endpoint, body);
    sendButton.disabled = true;
    send(endpoint, body, apiKey)
      .catch((error: unknown) => {
        const message = `The console could not show the answer (${error instanceof Error ? error.message : String(error)}).`;
        showError(message);
        announce(message);
      })
      .finally(() => {
        sendButton.disabled = false;
      });
  });
}

startConsole();
