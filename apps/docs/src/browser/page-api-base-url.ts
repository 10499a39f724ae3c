import { API_BASE_URL_META_NAME, API_BASE_URL_STORAGE_KEY, resolveApiBaseUrl } from './api-base-url.js';

/** Reads the stored API base URL; `null` when there is none or storage is not available (some `file://` setups). */
export function readStoredApiBaseUrl(): string | null {
  try {
    return window.localStorage.getItem(API_BASE_URL_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Stores the API base URL the user chose; does nothing when storage is not available. */
export function storeApiBaseUrl(url: string): void {
  try {
    window.localStorage.setItem(API_BASE_URL_STORAGE_KEY, url);
  } catch {
    // Storage can be off (private modes, some file:// setups); the URL then lasts for this page only.
  }
}

/** The API base URL this page starts with, from its query string, storage and the build's `<meta>` default. */
export function pageApiBaseUrl(): string {
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="${API_BASE_URL_META_NAME}"]`);
  return resolveApiBaseUrl({
    search: window.location.search,
    stored: readStoredApiBaseUrl(),
    buildDefault: meta?.content ?? '',
  });
}
