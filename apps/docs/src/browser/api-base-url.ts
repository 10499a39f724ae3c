/** The `localStorage` key under which the try-it console keeps the API base URL the user chose. */
export const API_BASE_URL_STORAGE_KEY = 'sealink-docs:api-base-url';

/**
 * The query-string parameter that sets the API base URL, for example `console.html?base_url=http://127.0.0.1:4010`:
 * honoured only for a server on this machine or the build default's server ({@link resolveApiBaseUrl}).
 */
export const API_BASE_URL_QUERY_PARAMETER = 'base_url';

/** The `<meta name>` through which the build gives pages its default API base URL. */
export const API_BASE_URL_META_NAME = 'sealink-api-base-url';

/** The outcome of {@link normalizeApiBaseUrl}. */
export type ApiBaseUrlParse = { ok: true; url: string } | { ok: false; message: string };

/**
 * Reads what a user typed as the API's base URL: an `http:` or `https:` URL of the server, with or without
 * the `/v1` the routes start with and with or without a trailing slash. Gives the URL without either (and
 * with repeated slashes made single), to which `/v1/rerank` is appended, or a message saying what is wrong.
 */
export function normalizeApiBaseUrl(input: string): ApiBaseUrlParse {
  const trimmed = input.trim();
  if (trimmed === '')
    return { ok: false, message: 'Enter the URL of a SeaLink server, for example http://127.0.0.1:8080.' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: `'${trimmed}' is not a URL; enter one such as http://127.0.0.1:8080.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: `The URL must start with http:// or https://: '${trimmed}' does not.` };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, message: 'The base URL may not have a query string or a # fragment.' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'Put credentials in the API key field, not in the URL.' };
  }
  const path = url.pathname.replace(/\/{2,}/g, '/').replace(/(?:\/v1)*\/*$/, '');
  return { ok: true, url: `${url.origin}${path}` };
}

/** The URL of `POST /v1/rerank` on a server, from its normalized base URL. */
export function rerankEndpoint(baseUrl: string): string {
  return `${baseUrl}/v1/rerank`;
}

/** Where {@link resolveApiBaseUrl} looks for the API base URL. */
export interface ApiBaseUrlSources {
  /** The page's query string, `location.search`. */
  search: string;
  /** What the user stored earlier, or `null`. */
  stored: string | null;
  /** The build's default. */
  buildDefault: string;
}

/** Whether a host name names this machine: `localhost`, an IPv4 loopback address (127.0.0.0/8) or `[::1]`. */
function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * Whether a link's `?base_url=` may choose `url` (normalized): a server on this machine (the mock server, a
 * validating proxy, `pnpm start`) or the build default's own server. Any other is ignored: a link to the
 * public docs naming a server of its author's would have the key a reader types sent there (Swagger UI's
 * `?url=` was turned off by default for the same reason).
 */
function linkMayChoose(url: string, buildDefault: string): boolean {
  const { hostname, origin } = new URL(url);
  if (isLoopbackHost(hostname)) return true;
  const fallback = normalizeApiBaseUrl(buildDefault);
  return fallback.ok && new URL(fallback.url).origin === origin;
}

/**
 * The API base URL a page starts with: the query string's `base_url` first (a link that names a server
 * on this machine, or the build default's server, means that server), then the one the user stored, then
 * the build's default; the first that is valid.
 */
export function resolveApiBaseUrl(sources: ApiBaseUrlSources): string {
  const fromQuery = new URLSearchParams(sources.search).get(API_BASE_URL_QUERY_PARAMETER);
  if (fromQuery !== null) {
    const parsed = normalizeApiBaseUrl(fromQuery);
    if (parsed.ok && linkMayChoose(parsed.url, sources.buildDefault)) return parsed.url;
  }
  for (const candidate of [sources.stored, sources.buildDefault]) {
    if (candidate === null) continue;
    const parsed = normalizeApiBaseUrl(candidate);
    if (parsed.ok) return parsed.url;
  }
  return sources.buildDefault;
}
