import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOpenApiDocument, PUBLIC_SERVER_URL } from '@sealink/rerank-contract';
import type { ConfigReferenceEntry } from '@sealink/rerank-server-app';
import { build as bundle } from 'esbuild';
import { API_BASE_URL_META_NAME, normalizeApiBaseUrl } from './browser/api-base-url.js';
import { escapeHtml } from './escape-html.js';
import { renderConfigReference } from './render-config-reference.js';
import { renderConsoleContent } from './render-console-page.js';
import { renderDialectTable } from './render-dialect-table.js';
import { renderErrorExample, renderErrorTable } from './render-error-table.js';
import { renderLimitsTable } from './render-limits-table.js';
import { fillGeneratedSections, renderMarkdown } from './render-markdown.js';
import { renderPageLayout } from './render-page-layout.js';
import { renderQuickstartSamples } from './render-quickstart-samples.js';
import { renderReferenceContent } from './render-reference-page.js';
import { renderResponseExample } from './render-response-example.js';
import { createScalarConfiguration } from './scalar-configuration.js';
import { SITE_PAGES, type SitePage } from './site-pages.js';

/** Options of {@link buildSite}. */
export interface BuildSiteOptions {
  /** The folder to write the site to; it is emptied first. */
  outDir: string;
  /**
   * The API server the try-it console and the reference's client point at by default (with or without
   * `/v1`); the public server when absent. Users can change it on the page, or with `?base_url=` for a server on this machine.
   */
  apiBaseUrl?: string;
  /** The deployable server's settings, for the configuration reference: `CONFIG_REFERENCE` of the server app. */
  configReference: readonly ConfigReferenceEntry[];
}

/** What {@link buildSite} wrote. */
export interface BuiltSite {
  /** The absolute path of the output folder. */
  outDir: string;
  /** The API base URL the pages start with. */
  apiBaseUrl: string;
  /** The HTML pages written, relative to the output folder. */
  pages: string[];
}

/** Thrown when the build is given an API base URL it cannot use. */
export class InvalidApiBaseUrlError extends Error {
  constructor(message: string) {
    super(`Invalid API base URL: ${message}`);
    this.name = 'InvalidApiBaseUrlError';
  }
}

const SOURCE_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The browser scripts, bundled to classic scripts (module scripts do not load from `file://`). */
const BROWSER_ENTRIES = {
  console: path.join(SOURCE_DIR, 'browser/try-it-console.ts'),
  reference: path.join(SOURCE_DIR, 'browser/reference-page.ts'),
};

/** Where Scalar's standalone bundle is; its package exports no path to it, so it is found from its main entry. */
function scalarPackageDir(): string {
  const mainEntry = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return path.resolve(path.dirname(mainEntry), '..');
}

async function copyScalarBundle(assetsDir: string): Promise<void> {
  const packageDir = scalarPackageDir();
  const bundleText = await readFile(path.join(packageDir, 'dist/browser/standalone.js'), 'utf8');
  const packageJson = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
  };
  const scalarDir = path.join(assetsDir, 'scalar');
  await mkdir(scalarDir, { recursive: true });
  // The 20 MB source map is left out, and so is the comment that points at it (a 404 on every static host).
  await writeFile(
    path.join(scalarDir, 'standalone.js'),
    bundleText.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'),
  );
  await writeFile(
    path.join(scalarDir, 'NOTICE.txt'),
    `Scalar API Reference (@scalar/api-reference) ${packageJson.version}, ${packageJson.license} license.\n`,
  );
}

async function bundleBrowserScripts(assetsDir: string): Promise<void> {
  await bundle({
    entryPoints: BROWSER_ENTRIES,
    outdir: assetsDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    logLevel: 'silent',
  });
}

/** The sections that guides fill with `<!-- generated:NAME -->`. */
function generatedSections(configReference: readonly ConfigReferenceEntry[]): Record<string, string> {
  return {
    'page-list': SITE_PAGES.filter((page) => page.file !== 'index.html')
      .map((page) => `- [${page.title}](./${page.file}): ${page.summary}`)
      .join('\n'),
    'response-example': renderResponseExample(),
    'quickstart-samples': renderQuickstartSamples(),
    'error-example': renderErrorExample(),
    'error-table': renderErrorTable(),
    'limits-table': renderLimitsTable(),
    'config-reference': renderConfigReference(configReference),
    'dialect-table': renderDialectTable(),
  };
}

async function renderPage(
  page: SitePage,
  sections: Record<string, string>,
  headHtml: string,
  scalarConfiguration: ReturnType<typeof createScalarConfiguration>,
): Promise<string> {
  const common = { page, pages: SITE_PAGES, headHtml };
  switch (page.kind) {
    case 'guide': {
      if (page.guide === undefined) throw new Error(`The guide page ${page.file} names no markdown file.`);
      const markdown = await readFile(path.join(SOURCE_DIR, 'guides', page.guide), 'utf8');
      const rendered = renderMarkdown(fillGeneratedSections(markdown, sections));
      return renderPageLayout({ ...common, contentHtml: rendered.html, headings: rendered.headings });
    }
    case 'reference':
      return renderPageLayout({
        ...common,
        contentHtml: renderReferenceContent(scalarConfiguration),
        scripts: ['assets/scalar/standalone.js', 'assets/reference.js'],
        variant: 'full-width',
      });
    case 'console':
      return renderPageLayout({
        ...common,
        contentHtml: renderConsoleContent(),
        scripts: ['assets/console.js'],
      });
  }
}

/**
 * Builds the static docs site: the guides, the API reference (Scalar's standalone bundle with the spec
 * embedded), the try-it console, the spec as `openapi.json`, and every asset the pages use. Nothing is
 * loaded from another host; every path is relative.
 */
export async function buildSite(options: BuildSiteOptions): Promise<BuiltSite> {
  const parsedBaseUrl = normalizeApiBaseUrl(options.apiBaseUrl ?? PUBLIC_SERVER_URL);
  if (!parsedBaseUrl.ok) throw new InvalidApiBaseUrlError(parsedBaseUrl.message);
  const apiBaseUrl = parsedBaseUrl.url;
  const outDir = path.resolve(options.outDir);
  const assetsDir = path.join(outDir, 'assets');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(assetsDir, { recursive: true });

  const document = createOpenApiDocument();
  await writeFile(path.join(outDir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  await copyScalarBundle(assetsDir);
  await bundleBrowserScripts(assetsDir);
  for (const asset of ['site.css', 'favicon.svg']) {
    await copyFile(path.join(SOURCE_DIR, 'assets', asset), path.join(assetsDir, asset));
  }
  const require = createRequire(import.meta.url);
  await copyFile(require.resolve('highlight.js/styles/github.css'), path.join(assetsDir, 'highlight.css'));

  const sections = generatedSections(options.configReference);
  const headHtml = `<meta name="${API_BASE_URL_META_NAME}" content="${escapeHtml(apiBaseUrl)}">`;
  const scalarConfiguration = createScalarConfiguration(document);
  const pages: string[] = [];
  for (const page of SITE_PAGES) {
    const html = await renderPage(page, sections, headHtml, scalarConfiguration);
    await writeFile(path.join(outDir, page.file), html);
    pages.push(page.file);
  }
  return { outDir, apiBaseUrl, pages };
}
