// The docs site in a real browser: builds the site, serves it on 127.0.0.1, starts the mock server, and
// drives Debian's Chromium through every page, the API reference and the try-it console.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ERROR_TYPE_NAMES,
  ERROR_TYPES,
  EXAMPLE_RERANK_REQUEST,
  RERANK_REQUEST_FIELDS,
  type RerankResponse,
} from '@sealink/rerank-contract';
import { type MockServer, startMockServer } from '@sealink/rerank-mock-server';
import { createServerFromConfig, loadServerConfig } from '@sealink/rerank-server-app';
import type { Page } from 'playwright-core';
import { test as base, describe, expect } from 'vitest';
import { API_BASE_URL_STORAGE_KEY } from './browser/api-base-url.js';
import { CONSOLE_ELEMENT_IDS } from './browser/console-element-ids.js';
import { API_REFERENCE_ELEMENT_ID } from './browser/reference-element-ids.js';
import { buildSite } from './build-site.js';
import { serveStaticSite } from './serve-static-site.js';
import { SITE_PAGES } from './site-pages.js';
import { findLowContrastText } from './testing/find-low-contrast-text.js';
import { launchChromium, type TestBrowser } from './testing/launch-chromium.js';
import { SAMPLE_CONFIG_REFERENCE } from './testing/sample-config-reference.js';

/** Where the test saves its screenshots (gitignored). */
const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../test-artifacts');

/** The longest the test waits for any one thing in the browser. */
const WAIT_MS = 15_000;

/** Everything the tests of this file share: the built site, its server, the mock, and the browser. */
interface DocsUnderTest {
  /** The built site's folder. */
  distDir: string;
  /** The URL the site is served at, with a trailing slash. */
  siteUrl: string;
  /** The mock API server. */
  mock: MockServer;
  /** Chromium with a fresh profile. */
  browser: TestBrowser;
  /** Every request the browser tried to send to a host other than 127.0.0.1; each was blocked. */
  blockedRequests: string[];
}

/** Whether a request stays on this machine: the site, the mock server, or the page itself. */
function staysLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'file:' || protocol === 'data:' || protocol === 'blob:' || protocol === 'about:')
    return true;
  return hostname === '127.0.0.1';
}

const test = base.extend<{ docs: DocsUnderTest }>({
  docs: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const distDir = await mkdtemp(path.join(os.tmpdir(), 'sealink-docs-dist-'));
      await using _distCleanup = {
        [Symbol.asyncDispose]: () => rm(distDir, { recursive: true, force: true }),
      };
      await buildSite({ outDir: distDir, configReference: SAMPLE_CONFIG_REFERENCE });
      await using site = await serveStaticSite({ root: distDir, port: 0, host: '127.0.0.1' });
      await using mock = await startMockServer({ port: 0, host: '127.0.0.1' });
      await using browser = await launchChromium();
      const blockedRequests: string[] = [];
      await browser.context.route('**/*', async (route) => {
        const url = route.request().url();
        if (staysLocal(url)) return route.continue();
        blockedRequests.push(url);
        return route.abort('blockedbyclient');
      });
      await browser.context.routeWebSocket(/.*/, (webSocket) => {
        if (staysLocal(webSocket.url().replace(/^ws/, 'http'))) return webSocket.connectToServer();
        blockedRequests.push(webSocket.url());
        return webSocket.close();
      });
      browser.context.on('request', (request) => {
        if (!staysLocal(request.url()) && !blockedRequests.includes(request.url())) {
          blockedRequests.push(request.url());
        }
      });
      await use({ distDir, siteUrl: site.url, mock, browser, blockedRequests });
    },
    { scope: 'file' },
  ],
});

/** The URL of a port on 127.0.0.1 that nothing listens on: one the system just gave out and took back. */
async function freePortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A new page that records its console errors and uncaught exceptions. */
async function openPage(docs: DocsUnderTest): Promise<{ page: Page; errors: string[] }> {
  const page = await docs.browser.context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { page, errors };
}

/** A new page (as {@link openPage}) with the console's element ids and its status and error elements. */
async function openConsolePage(docs: DocsUnderTest) {
  const { page, errors } = await openPage(docs);
  const ids = CONSOLE_ELEMENT_IDS;
  return {
    page,
    errors,
    ids,
    status: page.locator(`#${ids.responseStatus}`),
    message: page.locator(`#${ids.responseError}`),
  };
}

/** Waits until Scalar has rendered the rerank operation on the reference page. */
async function waitForScalar(page: Page): Promise<void> {
  await page
    .locator(`#${API_REFERENCE_ELEMENT_ID}`)
    .getByRole('heading', { name: 'Rerank documents' })
    .first()
    .waitFor({ state: 'visible' });
}

describe('the docs site in Chromium', { timeout: 25_000 }, () => {
  test('every page but the reference loads without console errors', async ({ docs }) => {
    await Promise.all(
      SITE_PAGES.filter((sitePage) => sitePage.kind !== 'reference').map(async (sitePage) => {
        const { page, errors } = await openPage(docs);
        const response = await page.goto(`${docs.siteUrl}${sitePage.file}`);
        expect(response?.status(), sitePage.file).toBe(200);
        await expect(page.title()).resolves.toBe(`${sitePage.title} - SeaLink Rerank`);
        await page.waitForLoadState('networkidle');
        expect(errors, sitePage.file).toEqual([]);
        await page.close();
      }),
    );
    expect(docs.blockedRequests).toEqual([]);
  });

  test('every text of the guides, the console (with an error answer) and the reference meets WCAG AA contrast', async ({
    docs,
  }) => {
    const lowContrast = await Promise.all(
      SITE_PAGES.map(async (sitePage) => {
        const { page } = await openPage(docs);
        await page.goto(`${docs.siteUrl}${sitePage.file}?base_url=${encodeURIComponent(docs.mock.url)}`);
        if (sitePage.kind === 'reference') await waitForScalar(page);
        if (sitePage.kind === 'console') {
          await page.locator(`#${CONSOLE_ELEMENT_IDS.model}`).fill('no-such-model');
          await page.locator(`#${CONSOLE_ELEMENT_IDS.send}`).click();
          await expect
            .poll(() => page.locator(`#${CONSOLE_ELEMENT_IDS.responseError}`).textContent(), {
              timeout: WAIT_MS,
            })
            .not.toBe('');
        }
        const found = await page.evaluate(findLowContrastText, 'body');
        await page.close();
        return found.map((text) => ({ page: sitePage.file, ...text }));
      }),
    );
    expect(lowContrast.flat()).toEqual([]);
  });

  test('at every viewport width, from a phone to a laptop, every link of the site navigation is on screen and the header covers none of the reference', async ({
    docs,
  }) => {
    // Scalar has two layouts (a menu bar on a narrow screen, a sidebar on a wide one): the reference is loaded in each.
    const cases = [
      ...[375, 768, 1024, 1280].map((width) => ({ file: 'quickstart.html', width })),
      ...[375, 1024].map((width) => ({ file: 'reference.html', width })),
    ];
    await Promise.all(
      cases.map(async ({ file, width }) => {
        const { page, errors } = await openPage(docs);
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${docs.siteUrl}${file}`);
        // Scalar renders operations as they scroll into view; on a phone the first is below the fold.
        if (file === 'reference.html') {
          await page
            .locator(`#${API_REFERENCE_ELEMENT_ID}`)
            .getByRole('heading', { level: 1 })
            .first()
            .waitFor({ state: 'visible' });
        }
        const where = `${file} at ${width}px`;
        const offScreen = await page.locator('.site-header a').evaluateAll((links) =>
          links
            .filter((link) => {
              const box = link.getBoundingClientRect();
              return box.left < 0 || box.right > document.documentElement.clientWidth || box.top < 0;
            })
            .map((link) => link.textContent),
        );
        expect(offScreen, where).toEqual([]);
        if (file === 'reference.html') {
          // Scalar's layout (its sidebar on a wide screen, its menu bar on a narrow one) starts below the header.
          const overlap = await page.evaluate(() => {
            const header = document.querySelector('.site-header')?.getBoundingClientRect();
            const scalar = [...document.querySelectorAll('.references-layout > *')]
              .map((element) => element.getBoundingClientRect())
              .filter((box) => box.height > 0);
            return Math.max(...scalar.map((box) => (header?.bottom ?? 0) - box.top));
          });
          expect(overlap, where).toBeLessThanOrEqual(0);
        }
        expect(errors, where).toEqual([]);
        await page.close();
      }),
    );
  });

  test('on a phone, the try-it console with an answer fits the screen: the page never scrolls sideways', async ({
    docs,
  }) => {
    docs.mock.clear();
    const { page, errors, ids, status } = await openConsolePage(docs);
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${docs.siteUrl}console.html?base_url=${encodeURIComponent(docs.mock.url)}`);
    await page.locator(`#${ids.send}`).click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('200');
    await expect
      .poll(() => page.locator(`#${ids.responseResults} tr`).count(), { timeout: WAIT_MS })
      .toBe(EXAMPLE_RERANK_REQUEST.top_n);
    // Every panel open, as a reader opens them: the headers list holds the long x-request-id.
    await page.evaluate(() => {
      for (const details of document.querySelectorAll('details')) details.open = true;
    });
    const width = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      screen: document.documentElement.clientWidth,
    }));
    expect(width.page).toBe(width.screen);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a keyboard user's first Tab reaches a visible link that skips the site navigation to the page's content", async ({
    docs,
  }) => {
    await Promise.all(
      ['quickstart.html', 'console.html', 'reference.html'].map(async (file) => {
        const { page, errors } = await openPage(docs);
        await page.goto(`${docs.siteUrl}${file}`);
        if (file === 'reference.html') await waitForScalar(page);
        await page.keyboard.press('Tab');
        const skipLink = page.locator(':focus');
        await expect(skipLink.textContent(), file).resolves.toBe('Skip to content');
        await expect(skipLink.isVisible(), file).resolves.toBe(true);
        await page.keyboard.press('Enter');
        await page.keyboard.press('Tab');
        // The next Tab lands inside <main>, past every link of the header.
        await expect(
          page.evaluate(() => document.activeElement?.closest('main') !== null),
          file,
        ).resolves.toBe(true);
        expect(errors, file).toEqual([]);
        await page.close();
      }),
    );
  });

  test('the API reference loads without console errors and shows POST /v1/rerank, its parameters, its error responses and the chosen API server', async ({
    docs,
  }) => {
    const { page, errors } = await openPage(docs);
    const response = await page.goto(
      `${docs.siteUrl}reference.html?base_url=${encodeURIComponent(docs.mock.url)}`,
    );
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('API reference - SeaLink Rerank');
    await waitForScalar(page);
    const reference = page.locator(`#${API_REFERENCE_ELEMENT_ID}`);
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the point: hidden text would pass too.
    const text = await reference.innerText();
    expect(text).toMatch(/POST\s*\/v1\/rerank/);
    for (const field of RERANK_REQUEST_FIELDS) expect(text).toContain(field);
    for (const type of ERROR_TYPE_NAMES) {
      expect(text).toContain(String(ERROR_TYPES[type].status));
      expect(text).toContain(`${type}: ${ERROR_TYPES[type].description}`);
    }
    expect(text).toContain(docs.mock.url);
    await page.waitForLoadState('networkidle');
    await reference.getByRole('heading', { name: 'Rerank documents' }).first().scrollIntoViewIfNeeded();
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'reference.png') });
    expect(errors).toEqual([]);
    expect(docs.blockedRequests).toEqual([]);
    await page.close();
  });

  test("the API reference links to no other host but Scalar's credit: no button hands the page to Scalar's hosted client", async ({
    docs,
  }) => {
    const { page, errors } = await openPage(docs);
    await page.goto(`${docs.siteUrl}reference.html?base_url=${encodeURIComponent(docs.mock.url)}`);
    await waitForScalar(page);
    await page.waitForLoadState('networkidle');
    // Scalar's "Open API Client" sidebar button links to client.scalar.com with this page's URL, which that
    // site cannot load (the spec is embedded, and the page may be on 127.0.0.1 or file://).
    await expect(page.getByText('Open API Client').count()).resolves.toBe(0);
    const offSiteHosts = await page
      .locator('a[href]')
      .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href)));
    expect(
      offSiteHosts.filter((url) => url.origin !== new URL(docs.siteUrl).origin).map((url) => url.host),
    ).toEqual(['scalar.com']);
    // The reference's own client (the Test Request button) still sends requests straight to the API.
    await expect(page.getByRole('button', { name: /Test Request/ }).count()).resolves.toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(docs.blockedRequests).toEqual([]);
    await page.close();
  });

  test('the try-it console sends the public API page example to the mock server and shows the results', async ({
    docs,
  }) => {
    docs.mock.clear();
    const { page, errors } = await openPage(docs);
    await page.goto(`${docs.siteUrl}console.html?base_url=${encodeURIComponent(`${docs.mock.url}/v1/`)}`);
    const ids = CONSOLE_ELEMENT_IDS;
    await expect(page.locator(`#${ids.baseUrl}`).inputValue()).resolves.toBe(docs.mock.url);
    await expect(page.locator(`#${ids.model}`).inputValue()).resolves.toBe(EXAMPLE_RERANK_REQUEST.model);
    await page.locator(`#${ids.apiKey}`).fill('test-key');
    await page.locator(`#${ids.send}`).click();

    const status = page.locator(`#${ids.responseStatus}`);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('200');
    await expect(status.textContent()).resolves.toBe('200 OK');
    // The status shows as soon as the headers arrive; the body and results once the body is read.
    const bodyText = page.locator(`#${ids.responseBody}`);
    await expect.poll(() => bodyText.textContent(), { timeout: WAIT_MS }).not.toBe('');
    const body = JSON.parse((await bodyText.textContent()) ?? '') as RerankResponse;
    expect(body.model).toBe(EXAMPLE_RERANK_REQUEST.model);
    expect(body.results).toHaveLength(EXAMPLE_RERANK_REQUEST.top_n);

    const rows = await page
      .locator(`#${ids.responseResults} tr`)
      .evaluateAll((elements) =>
        elements.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent)),
      );
    expect(rows).toEqual(
      body.results.map((result, rank) => [
        String(rank + 1),
        String(result.index),
        result.relevance_score.toFixed(4),
        EXAMPLE_RERANK_REQUEST.documents[result.index],
      ]),
    );

    const sent = docs.mock.requests.filter(
      (request) => request.method === 'POST' && request.path === '/v1/rerank',
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual({ ...EXAMPLE_RERANK_REQUEST, return_documents: true });
    expect(sent[0]?.headers.authorization).toBe('Bearer [redacted]');
    await expect(page.locator(`#${ids.responseRequestId}`).textContent()).resolves.toBe(sent[0]?.requestId);

    const stored = await page.evaluate((key) => window.localStorage.getItem(key), API_BASE_URL_STORAGE_KEY);
    expect(stored).toBe(docs.mock.url);
    await page.goto(`${docs.siteUrl}console.html`);
    await expect(page.locator(`#${ids.baseUrl}`).inputValue()).resolves.toBe(docs.mock.url);

    expect(errors).toEqual([]);
    expect(docs.blockedRequests).toEqual([]);
    await page.close();
  });

  test('the try-it console calls a real server straight from the page when SEALINK_CORS_ORIGINS allows the site, and the browser refuses it otherwise', async ({
    docs,
  }) => {
    const siteOrigin = new URL(docs.siteUrl).origin;
    const key = 'sk-docs-cors-0123456789';
    const startServer = async (origins: string) => {
      const config = loadServerConfig({
        env: { PORT: '0', SEALINK_API_KEYS: key, SEALINK_CORS_ORIGINS: origins, SEALINK_LOG_LEVEL: 'silent' },
      });
      const server = createServerFromConfig(config);
      const running = await server.start();
      return { url: running.url, [Symbol.asyncDispose]: () => server.stop() };
    };
    const ids = CONSOLE_ELEMENT_IDS;
    const send = async (page: Page, baseUrl: string) => {
      await page.goto(`${docs.siteUrl}console.html?base_url=${encodeURIComponent(baseUrl)}`);
      await page.locator(`#${ids.model}`).fill('bm25');
      await page.locator(`#${ids.apiKey}`).fill(key);
      await page.locator(`#${ids.send}`).click();
    };

    await using allowing = await startServer(siteOrigin);
    const { page, errors } = await openPage(docs);
    await send(page, allowing.url);
    const status = page.locator(`#${ids.responseStatus}`);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('200');
    await expect
      .poll(() => page.locator(`#${ids.responseResults} tr`).count(), { timeout: WAIT_MS })
      .toBe(EXAMPLE_RERANK_REQUEST.top_n);
    // The page reads the request id: the server exposes X-Request-Id to the allowed origin.
    await expect(page.locator(`#${ids.responseRequestId}`).textContent()).resolves.toMatch(/^req_/);
    expect(errors).toEqual([]);

    await using refusing = await startServer('https://elsewhere.example.com');
    await send(page, refusing.url);
    await expect
      .poll(() => page.locator(`#${ids.responseError}`).textContent(), { timeout: WAIT_MS })
      .not.toBe('');
    await expect(status.getAttribute('data-status')).resolves.not.toBe('200');
    await expect(page.locator(`#${ids.responseResults} tr`).count()).resolves.toBe(0);
    expect(docs.blockedRequests).toEqual([]);
    await page.close();
  });

  test("the try-it console shows the contract's error answer for an unknown model", async ({ docs }) => {
    docs.mock.clear();
    const { page } = await openPage(docs);
    await page.goto(`${docs.siteUrl}console.html?base_url=${encodeURIComponent(docs.mock.url)}`);
    const ids = CONSOLE_ELEMENT_IDS;
    await page.locator(`#${ids.model}`).fill('no-such-model');
    await page.locator(`#${ids.send}`).click();
    const status = page.locator(`#${ids.responseStatus}`);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('404');
    // The status shows as soon as the headers arrive; the error text once the body is read.
    await expect
      .poll(() => page.locator(`#${ids.responseError}`).textContent(), { timeout: WAIT_MS })
      .toMatch(/^not_found_error: .*no-such-model.*\(param: model\)$/);
    await expect(page.locator(`#${ids.responseResults} tr`).count()).resolves.toBe(0);
    await page.close();
  });

  test("the try-it console sends a top_n that is not a whole number as typed, and shows the server's 400 with its param", async ({
    docs,
  }) => {
    docs.mock.clear();
    const { page, errors, ids, status, message } = await openConsolePage(docs);
    await page.goto(`${docs.siteUrl}console.html?base_url=${encodeURIComponent(docs.mock.url)}`);
    const topN = page.locator(`#${ids.topN}`);
    await topN.clear();
    // Typed key by key, as a user does: a number input keeps "2e" on screen but reports an empty value.
    await topN.pressSequentially('2e');
    await expect(topN.inputValue()).resolves.toBe('2e');
    await page.locator(`#${ids.send}`).click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('400');
    await expect
      .poll(() => message.textContent(), { timeout: WAIT_MS })
      .toMatch(/^invalid_request_error: .*\(param: top_n\)$/);
    const sent = docs.mock.requests.filter((request) => request.path === '/v1/rerank');
    expect(sent.map((request) => (request.body as { top_n?: unknown }).top_n)).toEqual(['2e']);
    await expect(page.locator(`#${ids.responseResults} tr`).count()).resolves.toBe(0);
    expect(errors.filter((error) => error.startsWith('uncaught:'))).toEqual([]);
    await page.close();
  });

  test('the try-it console says which character of a pasted API key cannot be sent, instead of blaming the server', async ({
    docs,
  }) => {
    docs.mock.clear();
    const { page, errors, ids } = await openConsolePage(docs);
    await page.goto(`${docs.siteUrl}console.html?base_url=${encodeURIComponent(docs.mock.url)}`);
    const apiKey = page.locator(`#${ids.apiKey}`);
    // A zero-width space copied with the key: fetch refuses to put it in a header and sends nothing.
    await apiKey.fill('sk-docs\u200b0123456789');
    await page.locator(`#${ids.send}`).click();
    const keyMessage = page.locator(`#${ids.apiKeyMessage}`);
    await expect.poll(() => keyMessage.textContent(), { timeout: WAIT_MS }).toContain('U+200B');
    await expect(keyMessage.textContent()).resolves.toContain('character 8');
    await expect(apiKey.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(ids.apiKey);
    await expect(page.locator(`#${ids.response}`).isHidden()).resolves.toBe(true);
    expect(docs.mock.requests.filter((request) => request.path === '/v1/rerank')).toEqual([]);

    await apiKey.fill('sk-docs-0123456789');
    await page.locator(`#${ids.send}`).click();
    const status = page.locator(`#${ids.responseStatus}`);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('200');
    await expect(keyMessage.textContent()).resolves.toBe('');
    await expect(apiKey.getAttribute('aria-invalid')).resolves.toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the try-it console announces a short summary of each answer in a status region present from the start, not the whole response panel, and hides the last answer when it refuses to send', async ({
    docs,
  }) => {
    docs.mock.clear();
    const { page, errors, ids } = await openConsolePage(docs);
    await page.goto(`${docs.siteUrl}console.html?base_url=${encodeURIComponent(docs.mock.url)}`);
    // Present (and empty) before any request, so a screen reader already watches it when the first answer comes.
    const announcement = page.locator(`#${ids.announcement}`);
    await expect(announcement.getAttribute('role')).resolves.toBe('status');
    await expect(announcement.textContent()).resolves.toBe('');
    const response = page.locator(`#${ids.response}`);
    await expect(response.getAttribute('aria-live')).resolves.toBeNull();
    await expect(response.getAttribute('role')).resolves.toBeNull();

    await page.locator(`#${ids.send}`).click();
    await expect
      .poll(() => announcement.textContent(), { timeout: WAIT_MS })
      .toBe(`200 OK, ${EXAMPLE_RERANK_REQUEST.top_n} results`);
    // No live region inside the panel either: the JSON body is never read out on its own.
    await expect(response.locator('[aria-live], [role="status"], [role="alert"]').count()).resolves.toBe(0);

    await page.locator(`#${ids.model}`).fill('no-such-model');
    await page.locator(`#${ids.send}`).click();
    await expect
      .poll(() => announcement.textContent(), { timeout: WAIT_MS })
      .toMatch(/^404 not_found_error: .*no-such-model.*\(param: model\)$/);

    const closedPortUrl = await freePortUrl();
    await page.locator(`#${ids.baseUrl}`).fill(closedPortUrl);
    await page.locator(`#${ids.send}`).click();
    await expect
      .poll(() => announcement.textContent(), { timeout: WAIT_MS })
      .toMatch(new RegExp(`^Could not reach ${closedPortUrl}/v1/rerank`));

    // A request refused in the page: the last answer (and its announcement) must not pass for this one's.
    await page.locator(`#${ids.baseUrl}`).fill(docs.mock.url);
    await page.locator(`#${ids.model}`).fill(EXAMPLE_RERANK_REQUEST.model);
    await page.locator(`#${ids.send}`).click();
    await expect.poll(() => announcement.textContent(), { timeout: WAIT_MS }).toMatch(/^200 OK, /);
    await page.locator(`#${ids.apiKey}`).fill('sk-docs\u201c0123456789');
    await page.locator(`#${ids.send}`).click();
    await expect.poll(() => response.isHidden(), { timeout: WAIT_MS }).toBe(true);
    await expect(announcement.textContent()).resolves.toBe('');
    await page.locator(`#${ids.apiKey}`).fill('');
    await page.locator(`#${ids.baseUrl}`).fill('not a url');
    await page.locator(`#${ids.send}`).click();
    await expect
      .poll(() => page.locator(`#${ids.baseUrlMessage}`).textContent(), { timeout: WAIT_MS })
      .not.toBe('');
    await expect(response.isHidden()).resolves.toBe(true);
    await expect(announcement.textContent()).resolves.toBe('');
    expect(errors.filter((error) => error.startsWith('uncaught:'))).toEqual([]);
    await page.close();
  });

  test('the try-it console reports an unreachable server and a connection cut during the answer, without an uncaught error', async ({
    docs,
  }) => {
    const { page, errors, ids, status, message } = await openConsolePage(docs);

    // Nothing listens on a port just freed. (A reset before the headers is not used here: Chromium retries a
    // request whose reused connection closes before any answer, and the retry succeeds.)
    const closedPortUrl = await freePortUrl();
    await page.goto(`${docs.siteUrl}console.html?base_url=${encodeURIComponent(closedPortUrl)}`);
    await page.locator(`#${ids.send}`).click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('network-error');
    await expect(message.textContent()).resolves.toContain(`Could not reach ${closedPortUrl}/v1/rerank`);

    docs.mock.clear();
    docs.mock.faults.enqueue({ kind: 'reset', phase: 'mid-body' });
    await page.locator(`#${ids.baseUrl}`).fill(docs.mock.url);
    await page.locator(`#${ids.send}`).click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('200');
    await expect.poll(() => message.textContent(), { timeout: WAIT_MS }).toContain('The connection broke');
    await expect(page.locator(`#${ids.responseResults} tr`).count()).resolves.toBe(0);
    expect(errors.filter((error) => error.startsWith('uncaught:'))).toEqual([]);
    await page.close();
  });

  test('the try-it console reports answers it cannot show (results not in the contract shape, a non-JSON error page, an error in another shape), without an uncaught error', async ({
    docs,
  }) => {
    const { page, errors, ids, status, message } = await openConsolePage(docs);
    const answers = [
      { status: 200, contentType: 'application/json', body: '{"results":[{"index":0},null]}' },
      {
        status: 413,
        contentType: 'text/html',
        body: '<html><body>413 Request Entity Too Large</body></html>',
      },
      { status: 401, contentType: 'application/json', body: '{"error":"Unauthorized"}' },
    ];
    await page.route(`${docs.mock.url}/v1/rerank`, async (route) => {
      const answer = answers.shift();
      if (answer === undefined) return route.abort();
      return route.fulfill({ ...answer, headers: { 'access-control-allow-origin': '*' } });
    });
    await page.goto(`${docs.siteUrl}console.html?base_url=${encodeURIComponent(docs.mock.url)}`);

    await page.locator(`#${ids.send}`).click();
    await expect.poll(() => message.textContent(), { timeout: WAIT_MS }).toContain('not a rerank answer');
    await expect(status.getAttribute('data-status')).resolves.toBe('200');
    await expect(page.locator(`#${ids.responseResults} tr`).count()).resolves.toBe(0);

    await page.locator(`#${ids.send}`).click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('413');
    await expect.poll(() => message.textContent(), { timeout: WAIT_MS }).toContain('HTTP 413');
    await expect(message.textContent()).resolves.toContain('not JSON');

    await page.locator(`#${ids.send}`).click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('401');
    await expect.poll(() => message.textContent(), { timeout: WAIT_MS }).toContain('HTTP 401');
    expect(errors.filter((error) => error.startsWith('uncaught:'))).toEqual([]);
    await page.close();
  });

  test('the site works from file://: a guide, the reference and the console', async ({ docs }) => {
    // The guides share one layout and no script, so one stands for all of them here; every page is loaded
    // over HTTP above.
    const pagesWithScripts = SITE_PAGES.filter(
      (sitePage) => sitePage.kind !== 'guide' || sitePage.file === 'index.html',
    );
    await Promise.all(
      pagesWithScripts.map(async (sitePage) => {
        const { page, errors } = await openPage(docs);
        await page.goto(pathToFileURL(path.join(docs.distDir, sitePage.file)).href);
        if (sitePage.kind === 'reference') await waitForScalar(page);
        await page.waitForLoadState('networkidle');
        expect(errors, sitePage.file).toEqual([]);
        await page.close();
      }),
    );
    docs.mock.clear();
    const { page, errors } = await openPage(docs);
    const consoleUrl = pathToFileURL(path.join(docs.distDir, 'console.html'));
    consoleUrl.searchParams.set('base_url', docs.mock.url);
    await page.goto(consoleUrl.href);
    await page.locator(`#${CONSOLE_ELEMENT_IDS.send}`).click();
    await expect
      .poll(() => page.locator(`#${CONSOLE_ELEMENT_IDS.responseStatus}`).getAttribute('data-status'), {
        timeout: WAIT_MS,
      })
      .toBe('200');
    // The status shows as soon as the headers arrive; the rows once the body is read.
    await expect
      .poll(() => page.locator(`#${CONSOLE_ELEMENT_IDS.responseResults} tr`).count(), { timeout: WAIT_MS })
      .toBe(2);
    expect(errors).toEqual([]);
    expect(docs.blockedRequests).toEqual([]);
    await page.close();
  });
});
