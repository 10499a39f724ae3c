import { escapeHtml } from './escape-html.js';
import type { PageHeading } from './render-markdown.js';
import type { SitePage } from './site-pages.js';

/** What {@link renderPageLayout} puts around a page's content. */
export interface PageLayoutOptions {
  /** The page being rendered. */
  page: SitePage;
  /** Every page of the site, for the navigation. */
  pages: readonly SitePage[];
  /** The page's content, as HTML. */
  contentHtml: string;
  /** The page's headings; level-2 ones become its "On this page" list. */
  headings?: readonly PageHeading[];
  /** Extra elements for `<head>`, as HTML. */
  headHtml?: string;
  /** Scripts to load at the end of `<body>`, as paths relative to the site root. */
  scripts?: readonly string[];
  /** `full-width` for pages that lay out their own content (the API reference). */
  variant?: 'article' | 'full-width';
}

/** The title every page's `<title>` ends with. */
export const SITE_NAME = 'SeaLink Rerank';

function renderNavigation(current: SitePage, pages: readonly SitePage[]): string {
  const links = pages.map((page) => {
    const currentAttribute = page.file === current.file ? ' aria-current="page"' : '';
    return `<li><a href="./${escapeHtml(page.file)}"${currentAttribute}>${escapeHtml(page.title)}</a></li>`;
  });
  return `<nav class="site-nav" aria-label="Site"><ul>${links.join('')}</ul></nav>`;
}

function renderTableOfContents(headings: readonly PageHeading[]): string {
  const sections = headings.filter((heading) => heading.level === 2);
  if (sections.length < 2) return '';
  const links = sections.map(
    (heading) => `<li><a href="#${escapeHtml(heading.id)}">${escapeHtml(heading.text)}</a></li>`,
  );
  return `<nav class="page-toc" aria-label="On this page"><p>On this page</p><ul>${links.join('')}</ul></nav>`;
}

/**
 * The shared layout of every page: head with the site's stylesheet, a link for keyboard users that skips
 * to the content (shown when focused), header with the site navigation, the content, and the page's
 * scripts. Every link and asset path is relative, so the site works from any folder of any static host and
 * from `file://`.
 */
export function renderPageLayout(options: PageLayoutOptions): string {
  const { page, pages, contentHtml } = options;
  const variant = options.variant ?? 'article';
  const scripts = (options.scripts ?? []).map((script) => `<script src="./${escapeHtml(script)}"></script>`);
  const main =
    variant === 'article'
      ? `<div class="page-columns"><article class="prose">${contentHtml}</article>${renderTableOfContents(options.headings ?? [])}</div>`
      : contentHtml;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${escapeHtml(page.summary)}">
<title>${escapeHtml(page.title)} - ${SITE_NAME}</title>
<link rel="icon" href="./assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="./assets/highlight.css">
<link rel="stylesheet" href="./assets/site.css">
${options.headHtml ?? ''}
</head>
<body class="layout-${variant}">
<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header">
<a class="site-name" href="./index.html">${SITE_NAME}</a>
${renderNavigation(page, pages)}
</header>
<main id="content" tabindex="-1">
${main}
</main>
${scripts.join('\n')}
</body>
</html>
`;
}
