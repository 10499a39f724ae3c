// The API reference page: reads the Scalar configuration the build embedded, puts the API base URL the
// user chose (query string, then storage, then the build's default) first among the servers, and mounts
// Scalar's standalone bundle, which the page loads before this script.
import { pageApiBaseUrl } from './page-api-base-url.js';
import { API_REFERENCE_ELEMENT_ID, SCALAR_CONFIGURATION_ELEMENT_ID } from './reference-element-ids.js';

interface ScalarServer {
  url: string;
  description: string;
}

interface ScalarGlobal {
  createApiReference(selector: string, configuration: Record<string, unknown>): unknown;
}

declare global {
  interface Window {
    /** Scalar's standalone bundle defines this. */
    Scalar?: ScalarGlobal;
  }
}

function mountApiReference(): void {
  const configurationElement = document.getElementById(SCALAR_CONFIGURATION_ELEMENT_ID);
  const scalar = window.Scalar;
  if (configurationElement === null || scalar === undefined) {
    throw new Error('The API reference page is missing its configuration or Scalar bundle.');
  }
  const configuration = JSON.parse(configurationElement.textContent ?? '{}') as Record<string, unknown> & {
    servers?: ScalarServer[];
  };
  const baseUrl = pageApiBaseUrl();
  const servers = configuration.servers ?? [];
  configuration.servers = [
    { url: baseUrl, description: 'The API server of the try-it console' },
    ...servers.filter((server) => server.url !== baseUrl),
  ];
  scalar.createApiReference(`#${API_REFERENCE_ELEMENT_ID}`, configuration);
}

mountApiReference();
