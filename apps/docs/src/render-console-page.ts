import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';
import { CONSOLE_ELEMENT_IDS as IDS } from './browser/console-element-ids.js';
import { escapeHtml } from './escape-html.js';

/**
 * The content of the try-it console page: a form prefilled with the public API page's example request
 * and the panels that show what was sent and what came back. Its script (`assets/console.js`) does the rest.
 * The status region below the button (always present, so screen readers watch it from the start) announces
 * one line per answer; the response panel is not live, so its JSON body is never read out unasked.
 *
 * The form never submits itself: its fields have no `name` and its method is `dialog` (which does nothing
 * outside a dialog), so pressing Enter before the script runs, or where it never loads, cannot put the API
 * key or the documents into the page's URL (browser history, the site's access log, Referer headers).
 */
export function renderConsoleContent(): string {
  const example = EXAMPLE_RERANK_REQUEST;
  return `<h1>Try it</h1>
<p>Send a real <code>POST /v1/rerank</code> request from your browser to any SeaLink Rerank server that allows cross-origin
requests from this page: the public API, or the mock server (<code>pnpm --filter @sealink/rerank-docs dev</code> starts one and
points this page at it). Your own server (<code>pnpm start</code>) sends no CORS headers unless <code>SEALINK_CORS_ORIGINS</code> allows this
page's origin: otherwise put the mock server in front of it as a validating proxy (<a href="./running-the-server.html#start-it">Running the server</a> shows how) and point this page at the
proxy. The server URL is remembered in this browser; the API key is not stored anywhere.</p>
<form id="${IDS.form}" class="console-form" method="dialog" novalidate>
<div class="field field-wide">
<label for="${IDS.baseUrl}">API server URL</label>
<input id="${IDS.baseUrl}" type="url" inputmode="url" autocomplete="url" spellcheck="false" required aria-describedby="${IDS.baseUrlMessage}">
<p class="field-hint">The server, with or without <code>/v1</code>, for example <code>http://127.0.0.1:8080</code>. A link can set it with <code>?base_url=</code> to a server on this machine (<code>localhost</code>, <code>127.x.x.x</code>, <code>[::1]</code>) or to this site's default server; a link naming any other server is ignored, so that no link can have your key sent to a server of its choosing.</p>
<p id="${IDS.baseUrlMessage}" class="field-error" role="alert"></p>
</div>
<div class="field">
<label for="${IDS.apiKey}">API key</label>
<input id="${IDS.apiKey}" type="password" autocomplete="off" spellcheck="false" placeholder="sent as Authorization: Bearer ..." aria-describedby="${IDS.apiKeyMessage}">
<p id="${IDS.apiKeyMessage}" class="field-error" role="alert"></p>
</div>
<div class="field">
<label for="${IDS.model}">Model</label>
<input id="${IDS.model}" type="text" spellcheck="false" value="${escapeHtml(example.model)}">
</div>
<div class="field field-wide">
<label for="${IDS.query}">Query</label>
<input id="${IDS.query}" type="text" value="${escapeHtml(example.query)}">
</div>
<div class="field field-wide">
<label for="${IDS.documents}">Documents, one per line</label>
<textarea id="${IDS.documents}" rows="5">${escapeHtml(example.documents.join('\n'))}</textarea>
<p class="field-hint">Blank lines are skipped; result indices count the remaining lines from 0.</p>
</div>
<div class="field">
<label for="${IDS.topN}">top_n</label>
<input id="${IDS.topN}" type="text" inputmode="numeric" spellcheck="false" value="${example.top_n}" placeholder="all">
</div>
<div class="field field-checkbox">
<input id="${IDS.returnDocuments}" type="checkbox" checked>
<label for="${IDS.returnDocuments}">return_documents</label>
</div>
<div class="field field-wide">
<label for="${IDS.instruction}">Instruction (optional)</label>
<input id="${IDS.instruction}" type="text" placeholder="for instruction-following rerankers such as Qwen3-Reranker">
</div>
<div class="field field-wide">
<button id="${IDS.send}" type="submit">Send request</button>
<p id="${IDS.announcement}" class="console-announcement" role="status"></p>
</div>
</form>
<section id="${IDS.response}" class="console-response" hidden>
<h2>Response</h2>
<dl class="response-summary">
<dt>Status</dt><dd id="${IDS.responseStatus}"></dd>
<dt>x-request-id</dt><dd id="${IDS.responseRequestId}"></dd>
</dl>
<p id="${IDS.responseError}" class="response-error" hidden></p>
<table class="response-results">
<thead><tr><th>Rank</th><th>index</th><th>relevance_score</th><th>document</th></tr></thead>
<tbody id="${IDS.responseResults}"></tbody>
</table>
<details open><summary>JSON body</summary><pre><code id="${IDS.responseBody}"></code></pre></details>
<details><summary>Headers the server exposes to this page</summary><dl id="${IDS.responseHeaders}" class="response-headers"></dl></details>
<details><summary>Request body</summary><pre><code id="${IDS.requestBody}"></code></pre></details>
<details><summary>The same request with curl</summary><pre><code id="${IDS.requestCurl}"></code></pre></details>
</section>`;
}
