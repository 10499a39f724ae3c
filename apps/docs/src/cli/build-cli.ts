// `pnpm build`: builds the docs site into dist/ (or --out-dir), pointing the try-it console and the
// reference's client at --api-base-url (the public server by default).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_REFERENCE } from '@sealink/rerank-server-app';
import { buildSite } from '../build-site.js';
import { commandArguments } from './command-arguments.js';

const USAGE = `Usage: pnpm build [--out-dir dist] [--api-base-url URL]

  --out-dir       Where to write the site (emptied first); dist by default.
  --api-base-url  The API server the try-it console starts with; the public server by default.
                  Also read from SEALINK_DOCS_API_BASE_URL.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: commandArguments(),
    options: {
      'out-dir': { type: 'string', default: 'dist' },
      'api-base-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    return;
  }
  const apiBaseUrl = values['api-base-url'] ?? process.env.SEALINK_DOCS_API_BASE_URL;
  const site = await buildSite({
    outDir: path.resolve(values['out-dir']),
    configReference: CONFIG_REFERENCE,
    ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
  });
  console.log(`Built ${site.pages.length} pages into ${site.outDir} (API base URL ${site.apiBaseUrl}).`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
