import type { ClientOptions } from '../client-options.js';
import { SeaLink } from '../sea-link.js';

/** A client for tests against a local server: `await using client = testClient(url)`. No key needed. */
export function testClient(serverUrl: string, options: ClientOptions = {}): SeaLink & AsyncDisposable {
  return new SeaLink({ apiKey: null, baseURL: `${serverUrl}/v1`, ...options });
}
