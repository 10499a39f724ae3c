import type { ConfigReferenceEntry } from '@sealink/rerank-server-app';
import { markdownInlineCode, markdownTable, markdownTableCell, markdownText } from './markdown-table.js';

/**
 * The server's configuration reference as a markdown table, one row per setting in the given order:
 * environment variable, config file field, type, default and description. An empty `env` (a setting only
 * the config file sets) or `default` (no default) reads as a dash; descriptions are markdown.
 */
export function renderConfigReference(entries: readonly ConfigReferenceEntry[]): string {
  if (entries.length === 0) throw new Error('The configuration reference is empty.');
  const codeOrDash = (text: string) => (text === '' ? '-' : markdownTableCell(markdownInlineCode(text)));
  const rows = entries.map((entry) => [
    codeOrDash(entry.env),
    codeOrDash(entry.name),
    markdownText(entry.type),
    codeOrDash(entry.default),
    markdownTableCell(entry.description),
  ]);
  return markdownTable(['Environment variable', 'Config file field', 'Type', 'Default', 'Description'], rows);
}
