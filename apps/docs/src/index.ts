export {
  API_BASE_URL_QUERY_PARAMETER,
  API_BASE_URL_STORAGE_KEY,
  normalizeApiBaseUrl,
  rerankEndpoint,
  resolveApiBaseUrl,
} from './browser/api-base-url.js';
export { type BuildSiteOptions, type BuiltSite, buildSite, InvalidApiBaseUrlError } from './build-site.js';
export { renderConfigReference } from './render-config-reference.js';
export { renderErrorTable } from './render-error-table.js';
export { renderLimitsTable } from './render-limits-table.js';
export { type ServeStaticSiteOptions, type StaticSiteServer, serveStaticSite } from './serve-static-site.js';
export { SITE_PAGES, type SitePage } from './site-pages.js';
