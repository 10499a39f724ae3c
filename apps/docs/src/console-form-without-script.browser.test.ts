// The try-it console's form in Chromium before (or without) its script: a native form submission must never
// put the API key or the documents into a URL, where browser history, the site's access log and Referer
// headers would keep them.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ELEMENT_IDS as IDS } from './browser/console-element-ids.js';
import { buildSite } from './build-site.js';
import { serveStaticSite } from './serve-static-site.js';
import { launchChromium } from './testing/launch-chromium.js';
import { SAMPLE_CONFIG_REFERENCE } from './testing/sample-config-reference.js';

const API_KEY = 'sk-console-secret-4242';
const DOCUMENT = 'confidential-document-text';

describe('the try-it console form without its script, in Chromium', { timeout: 30_000 }, () => {
  it('pressing Enter in the API key field sends neither the key nor the documents anywhere', async () => {
    const distDir = await mkdtemp(path.join(os.tmpdir(), 'sealink-docs-noscript-'));
    await using _distCleanup = {
      [Symbol.asyncDispose]: () => rm(distDir, { recursive: true, force: true }),
    };
    await buildSite({ outDir: distDir, configReference: SAMPLE_CONFIG_REFERENCE });
    await using site = await serveStaticSite({ root: distDir, port: 0, host: '127.0.0.1' });
    await using browser = await launchChromium();
    const requested: string[] = [];
    await browser.context.route('**/*', async (route) => {
      const url = route.request().url();
      requested.push(`${route.request().method()} ${url} ${route.request().postData() ?? ''}`);
      // The console's script never arrives (blocked, failed, or not yet loaded on a slow connection).
      if (url.endsWith('/assets/console.js')) return route.abort('blockedbyclient');
      if (new URL(url).hostname !== '127.0.0.1') return route.abort('blockedbyclient');
      return route.continue();
    });
    const page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${site.url}console.html?base_url=${encodeURIComponent('http://127.0.0.1:9')}`);
    await page.locator(`#${IDS.documents}`).fill(DOCUMENT);
    await page.locator(`#${IDS.apiKey}`).fill(API_KEY);
    const before = requested.length;
    await page.locator(`#${IDS.apiKey}`).press('Enter');
    // A native submission navigates at once; give it time to, then look at what left the page.
    await page.waitForTimeout(1_000);
    expect(page.url()).not.toContain(API_KEY);
    expect(page.url()).not.toContain(DOCUMENT);
    const sent = requested.slice(before).join('\n');
    expect(sent).not.toContain(API_KEY);
    expect(sent).not.toContain(DOCUMENT);
  });
});
