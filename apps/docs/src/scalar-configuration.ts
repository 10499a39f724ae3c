import { BEARER_SECURITY_SCHEME, type createOpenApiDocument } from '@sealink/rerank-contract';

/** An OpenAPI 3.1 document, as the contract generates it. */
export type OpenApiDocument = ReturnType<typeof createOpenApiDocument>;

/**
 * The configuration the API reference page passes to Scalar's `createApiReference`: the spec embedded (so
 * the page needs no request for it and works from `file://`), and every feature that would reach a host
 * other than the page's own and the API's switched off.
 */
export interface ScalarConfiguration {
  /** The OpenAPI document, embedded. */
  content: OpenApiDocument;
  /** The spec's servers; the page puts the API base URL the user chose before them. */
  servers: { url: string; description: string }[];
  /** Scalar's default fonts load from its font host; the site's own font stack is used instead. */
  withDefaultFonts: false;
  /** No usage data is sent. */
  telemetry: false;
  /** The AI agent chat, which talks to Scalar's service, is off. */
  agent: { disabled: true };
  /** The MCP integration is off. */
  mcp: { disabled: true };
  /** The developer tools bar, which links to Scalar's services, is never shown. */
  showDeveloperTools: 'never';
  /**
   * The sidebar's "Open API Client" button is hidden: it links to Scalar's hosted client at
   * client.scalar.com with this page's URL, which that site cannot load (the spec is embedded, and the
   * page may be on a private host or `file://`). The reference's own client (its "Test Request" buttons)
   * stays, and sends requests straight to the API (which must allow CORS), never through a proxy host.
   */
  hideClientButton: true;
  /** The download button offers the embedded spec as JSON. */
  documentDownloadType: 'json';
  /** The site is light; the reference matches it. */
  forceDarkModeState: 'light';
  /** No toggle for a dark mode the rest of the site does not have. */
  hideDarkModeToggle: true;
  /**
   * The reference sits under the site's fixed header (below the header where it scrolls with the page, on
   * narrower screens), in the site's fonts, with text colours of AA contrast.
   */
  customCss: string;
  /** A favicon from the build output. */
  favicon: string;
  /** The title of the document. */
  title: string;
  /** Scalar's client starts with the API's bearer scheme selected, so a key is all a user enters. */
  authentication: { preferredSecurityScheme: string };
  /** The spec has a `Models` tag (its model routes), so its component schemas are listed as `Schemas`. */
  modelsSectionLabel: 'Schemas';
}

/** The height of the site's header, in pixels, which the reference page leaves free at its top. */
export const SITE_HEADER_HEIGHT_PX = 52;

/**
 * The widest viewport, in pixels, at which the site's header may wrap onto more lines and so scrolls with the
 * page (`site.css` has the same number): the reference leaves no room for it at its top there.
 */
export const SITE_HEADER_STATIC_MAX_WIDTH_PX = 1320;

/**
 * Colours of Scalar's light theme that meet WCAG AA contrast (4.5:1) on its backgrounds (white, #f6f6f6
 * and #fbfbfb), in place of its own: its muted text (#8e8e8e, 3.3:1), green (the POST badges, 4.1:1 and
 * 3.8:1), orange (numbers in code, 3.2:1), red (4.5:1 on white only) and yellow (1.8:1); the sidebar's
 * search label takes the new muted colour.
 */
const SCALAR_CONTRAST_COLORS = [
  '--scalar-color-3: #666666;',
  // Set from --scalar-color-3 where the theme is (on <body>), so it is set again here to take the new one.
  '--scalar-sidebar-search-color: var(--scalar-color-3);',
  '--scalar-color-green: #047857;',
  '--scalar-color-orange: #b84200;',
  '--scalar-color-red: #c9000b;',
  '--scalar-color-yellow: #8a6d00;',
].join(' ');

/** The Scalar configuration of the API reference page for an OpenAPI document. */
export function createScalarConfiguration(document: OpenApiDocument): ScalarConfiguration {
  const documentServers = (document.servers ?? []).map((server) => ({
    url: server.url,
    description: server.description ?? server.url,
  }));
  return {
    content: document,
    servers: documentServers,
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: 'never',
    hideClientButton: true,
    documentDownloadType: 'json',
    forceDarkModeState: 'light',
    hideDarkModeToggle: true,
    customCss: `.scalar-app { --scalar-custom-header-height: ${SITE_HEADER_HEIGHT_PX}px; --scalar-font: var(--site-font); --scalar-font-code: var(--site-font-code); ${SCALAR_CONTRAST_COLORS} } @media (max-width: ${SITE_HEADER_STATIC_MAX_WIDTH_PX}px) { .scalar-app { --scalar-custom-header-height: 0px; } }`,
    favicon: './assets/favicon.svg',
    title: document.info.title,
    authentication: { preferredSecurityScheme: BEARER_SECURITY_SCHEME },
    modelsSectionLabel: 'Schemas',
  };
}
