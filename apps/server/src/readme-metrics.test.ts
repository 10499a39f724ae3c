// The metrics table of the app's README is what operators build dashboards and alerts from: its names,
// types and labels must be those the server registers.
import { readFileSync } from 'node:fs';
import { ServerMetrics } from '@sealink/rerank-server';
import { describe, expect, it } from 'vitest';
import { readMarkdownTable } from './read-markdown-table.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The code spans of a table cell, in order. */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
}

/** The rows of the table whose header starts with `| metric`: name, type and labels. */
function readMetricsTable(markdown: string): { name: string; type: string; labels: string[] }[] {
  return readMarkdownTable(markdown, /^\| metric\s+\| type\s+\| labels\s+\|/).map(([name, type, labels]) => ({
    name: codeSpans(name!)[0]!,
    type: type!,
    labels: codeSpans(labels!),
  }));
}

/** Label names prom-client keeps on each metric (not in its public types). */
function labelNamesOf(metric: object): string[] {
  return [...((metric as { labelNames?: readonly string[] }).labelNames ?? [])];
}

describe('the README metrics table', () => {
  it('lists every series of the server, with its type and labels, and no other', () => {
    const registered = new ServerMetrics().registry.getMetricsAsArray().map((metric) => ({
      name: metric.name,
      type: String(metric.type),
      labels: labelNamesOf(metric),
    }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(readMetricsTable(README).sort(byName)).toEqual(registered.sort(byName));
  });

  it('names process series that the server exports with process metrics on', () => {
    const names = new Set(
      new ServerMetrics({ processMetrics: true }).registry.getMetricsAsArray().map((metric) => metric.name),
    );
    const section = README.slice(README.indexOf('## Metrics'), README.indexOf('## Shutdown'));
    const mentioned = codeSpans(section).filter((span) => /^sealink_rerank_(process|nodejs)_/.test(span));
    expect(mentioned.length).toBeGreaterThan(0);
    for (const name of mentioned) expect(names).toContain(name);
  });
});
