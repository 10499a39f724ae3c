// The configuration table of the app's README is what operators read: its keys, environment variables
// and defaults must be those of CONFIG_REFERENCE, which the schema is declared from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMarkdownTable } from '../read-markdown-table.js';
import { CONFIG_REFERENCE } from './server-config.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** One row of the README's configuration table, its cells as written. */
interface ConfigRow {
  key: string;
  environment: string;
  default: string;
}

/** The first name in backticks of a cell, or `undefined`. */
function firstCodeSpan(cell: string): string | undefined {
  return /`([^`]+)`/.exec(cell)?.[1];
}

/** The rows of the table whose header starts with `| key`. */
function readConfigTable(markdown: string): ConfigRow[] {
  return readMarkdownTable(markdown, /^\| key\s+\| environment\s+\| default\s+\|$/).map((cells) => {
    const [key, environment, fallback] = cells;
    if (fallback === undefined)
      throw new Error(`a row of the configuration table is short: ${cells.join(' | ')}`);
    return { key: firstCodeSpan(key!) ?? key!, environment: environment!, default: fallback };
  });
}

const rows = readConfigTable(README);

describe('the README configuration table', () => {
  it('lists every setting exactly once', () => {
    expect(rows.map((row) => row.key).sort()).toEqual(CONFIG_REFERENCE.map((entry) => entry.name).sort());
  });

  describe.each(CONFIG_REFERENCE.map((entry) => [entry.name, entry] as const))('%s', (name, entry) => {
    const row = rows.find((candidate) => candidate.key === name);

    it('names its environment variable, or says it is file only', () => {
      expect(row).toBeDefined();
      if (entry.env === '') expect(row?.environment).toBe('(file only)');
      else expect(firstCodeSpan(row?.environment ?? '')).toBe(entry.env);
    });

    it('gives its default, or says there is none', () => {
      expect(row).toBeDefined();
      if (entry.default === '') expect(row?.default).toMatch(/^none\b/);
      else expect(row?.default.startsWith(`\`${entry.default}\``)).toBe(true);
    });
  });
});
