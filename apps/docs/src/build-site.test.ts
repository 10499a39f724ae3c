import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createOpenApiDocument } from '@sealink/rerank-contract';
import { DIALECT_NAMES, DIALECTS } from '@sealink/rerank-contract/dialects';
import { CONFIG_REFERENCE } from '@sealink/rerank-server-app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE_URL_META_NAME } from './browser/api-base-url.js';
import { SCALAR_CONFIGURATION_ELEMENT_ID } from './browser/reference-element-ids.js';
import { type BuiltSite, buildSite, InvalidApiBaseUrlError } from './build-site.js';
import { createScalarConfiguration, SITE_HEADER_STATIC_MAX_WIDTH_PX } from './scalar-configuration.js';
import { SITE_PAGES } from './site-pages.js';

let site: BuiltSite;

beforeAll(async () => {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'sealink-docs-build-'));
  site = await buildSite({
    outDir,
    apiBaseUrl: 'http://127.0.0.1:4010/v1/',
    configReference: CONFIG_REFERENCE,
  });
}, 30_000);

afterAll(async () => {
  await rm(site.outDir, { recursive: true, force: true });
});

async function page(file: string): Promise<string> {
  return readFile(path.join(site.outDir, file), 'utf8');
}

/** Every `href` and `src` attribute value of some HTML. */
function linksOf(html: string): string[] {
  return Array.from(html.matchAll(/\s(?:href|src)="([^"]*)"/g), (match) => match[1] ?? '');
}

describe('buildSite', () => {
  it('writes every page of the navigation, and the spec the contract generates', async () => {
    expect(site.pages).toEqual(SITE_PAGES.map((sitePage) => sitePage.file));
    expect(JSON.parse(await page('openapi.json'))).toEqual(createOpenApiDocument());
  });

  it('links only to files of the build or to anchors that exist, with relative paths', async () => {
    for (const file of site.pages) {
      const html = await page(file);
      for (const link of linksOf(html)) {
        expect(link, `${file} links to ${link}`).toMatch(/^(\.\/|#)/);
        const target = link.split(/[?#]/)[0] ?? '';
        const fragment = link.includes('#') ? link.slice(link.indexOf('#') + 1) : '';
        if (fragment !== '') {
          const targetHtml = target === '' ? html : await page(target);
          expect(targetHtml, `${file} links to ${link}`).toContain(` id="${fragment}"`);
        }
        if (target === '') continue;
        const targetStat = await stat(path.join(site.outDir, target));
        expect(targetStat.isFile(), `${file} links to ${link}`).toBe(true);
      }
    }
  });

  it('loads nothing from another host: no absolute URL in any src, href, CSS url() or import', async () => {
    const files = (await readdir(site.outDir, { recursive: true })).filter((file) =>
      /\.(html|css)$/.test(file),
    );
    for (const file of files) {
      const text = await page(file);
      expect(text, file).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//);
      expect(text, file).not.toMatch(/url\(\s*['"]?(?:https?:)?\/\//);
      expect(text, file).not.toMatch(/@import/);
    }
  });

  it("gives the pages the API base URL, normalized, and embeds the spec in the reference's Scalar configuration", async () => {
    expect(site.apiBaseUrl).toBe('http://127.0.0.1:4010');
    const consoleHtml = await page('console.html');
    expect(consoleHtml).toContain(`<meta name="${API_BASE_URL_META_NAME}" content="http://127.0.0.1:4010">`);
    const referenceHtml = await page('reference.html');
    const json = new RegExp(
      `<script type="application/json" id="${SCALAR_CONFIGURATION_ELEMENT_ID}">(.*?)</script>`,
    ).exec(referenceHtml)?.[1];
    const configuration = JSON.parse(json ?? 'null') as Record<string, unknown>;
    expect(configuration).toMatchObject({
      content: createOpenApiDocument(),
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: 'never',
      authentication: { preferredSecurityScheme: 'bearerAuth' },
    });
    expect(configuration).not.toHaveProperty('proxyUrl');
  });

  it("takes the reference's header room away at the width where the site's stylesheet lets the header scroll away", async () => {
    const css = await page('assets/site.css');
    const staticHeaderWidths = Array.from(
      css.matchAll(/@media \(max-width: (\d+)px\) \{\s*html \{\s*scroll-padding-top/g),
      (match) => Number(match[1]),
    );
    expect(staticHeaderWidths).toEqual([SITE_HEADER_STATIC_MAX_WIDTH_PX]);
    const { customCss } = createScalarConfiguration(createOpenApiDocument());
    expect(customCss).toContain(
      `@media (max-width: ${SITE_HEADER_STATIC_MAX_WIDTH_PX}px) { .scalar-app { --scalar-custom-header-height: 0px; } }`,
    );
  });

  it('ships Scalar without its source map comment, and with its licence', async () => {
    const bundle = await page('assets/scalar/standalone.js');
    expect(bundle).not.toContain('sourceMappingURL');
    expect(bundle).toContain('createApiReference');
    expect(await page('assets/scalar/NOTICE.txt')).toMatch(
      /^Scalar API Reference \(@scalar\/api-reference\) 1\.76\.0, MIT license\./,
    );
  });

  it('fills every generated section of the guides', async () => {
    for (const sitePage of SITE_PAGES.filter((candidate) => candidate.kind === 'guide')) {
      expect(await page(sitePage.file), sitePage.file).not.toContain('generated:');
    }
    const server = await page('running-the-server.html');
    expect(server).toContain('<td><code>SEALINK_API_KEYS</code></td>');
    const errors = await page('errors-and-limits.html');
    expect(errors).toContain('<td><code>rate_limit_error</code></td>');
  });

  it("renders every dialect of the contract's DIALECTS, with its score mapping, in Running the server", async () => {
    const html = await page('running-the-server.html');
    const rows = Array.from(html.matchAll(/<tr>([\s\S]*?)<\/tr>/g), (match) => match[1] ?? '');
    for (const name of DIALECT_NAMES) {
      const row = rows.find((cells) => cells.trimStart().startsWith(`<td><code>${name}</code> `));
      expect(row, name).toBeDefined();
      expect(row, name).toContain(`<td><code>${DIALECTS[name].scoreMapping}</code></td>`);
    }
  });

  it('refuses an API base URL it cannot use', async () => {
    await expect(
      buildSite({ outDir: site.outDir, apiBaseUrl: 'ftp://x', configReference: CONFIG_REFERENCE }),
    ).rejects.toThrow(InvalidApiBaseUrlError);
  });
});
