import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOpenApiDocument } from '../src/openapi-document.js';

/** Where the committed spec lives. */
export const OPENAPI_PATH = fileURLToPath(new URL('../openapi.json', import.meta.url));

/** The spec as it is committed: the generated document, pretty-printed, with a final newline. */
export function renderOpenApiJson(): string {
  return `${JSON.stringify(createOpenApiDocument(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_PATH, renderOpenApiJson());
  console.log(`wrote ${OPENAPI_PATH}`);
}
