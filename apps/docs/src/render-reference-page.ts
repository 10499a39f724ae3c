import {
  API_REFERENCE_ELEMENT_ID,
  SCALAR_CONFIGURATION_ELEMENT_ID,
} from './browser/reference-element-ids.js';
import type { ScalarConfiguration } from './scalar-configuration.js';
import { serializeJsonForScript } from './serialize-json-for-script.js';

/**
 * The content of the API reference page: a fallback for browsers without JavaScript, the (empty) element
 * Scalar renders into, and the Scalar configuration (with the spec) embedded as JSON.
 */
export function renderReferenceContent(configuration: ScalarConfiguration): string {
  return `<noscript><p class="prose">The API reference needs JavaScript. The spec itself is <a href="./openapi.json">openapi.json</a>.</p></noscript>
<div id="${API_REFERENCE_ELEMENT_ID}"></div>
<script type="application/json" id="${SCALAR_CONFIGURATION_ELEMENT_ID}">${serializeJsonForScript(configuration)}</script>`;
}
