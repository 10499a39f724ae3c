import {
  DIALECT_NAMES,
  DIALECTS,
  type DialectInfo,
  type DialectName,
} from '@sealink/rerank-contract/dialects';
import { describe, expect, it } from 'vitest';
import { renderDialectTable } from './render-dialect-table.js';
import { renderMarkdown } from './render-markdown.js';

/** The cells of each body row of the first table of some HTML, as HTML. */
function tableRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return Array.from(body.matchAll(/<tr>([\s\S]*?)<\/tr>/g), (row) =>
    Array.from((row[1] ?? '').matchAll(/<td>([\s\S]*?)<\/td>/g), (cell) => cell[1] ?? ''),
  );
}

describe('renderDialectTable', () => {
  it("has one row per dialect of the contract's DIALECTS, with its routes, score mappings and batch", () => {
    const rows = tableRows(renderMarkdown(renderDialectTable()).html);
    expect(rows.map((cells) => /^<code>([^<]+)<\/code>/.exec(cells[0] ?? '')?.[1])).toEqual([
      ...DIALECT_NAMES,
    ]);
    for (const [index, name] of DIALECT_NAMES.entries()) {
      const info = DIALECTS[name];
      const [, routes, mapping, raw, batch] = rows[index] ?? [];
      expect(mapping, name).toBe(`<code>${info.scoreMapping}</code>`);
      expect(raw, name).toBe(
        info.rawScoreMapping === undefined ? '-' : `<code>${info.rawScoreMapping}</code>`,
      );
      expect(batch, name).toBe(info.defaultMaxBatch.toLocaleString('en-US'));
      for (const path of info.paths) expect(routes, name).toContain(`<code>POST ${path}</code>`);
    }
  });

  it('says how max_tokens_per_doc reaches each kind of upstream', () => {
    const rows = tableRows(renderMarkdown(renderDialectTable()).html);
    const limitOf = (name: DialectName) => rows[DIALECT_NAMES.indexOf(name)]?.[6];
    expect(limitOf('cohere-v2')).toBe('exact, per document: <code>max_tokens_per_doc</code>');
    expect(limitOf('tei')).toBe(
      '<code>truncate: true</code>: cut to the model&#39;s length; the count is not honoured (warning)',
    );
    expect(limitOf('vllm-score')).toContain(
      '<code>truncate_prompt_tokens: -1</code>: cut to the model&#39;s length',
    );
    expect(limitOf('jina')).toBe('none (warning)');
    expect(limitOf('voyage')).toContain('none (warning); truncation: true is always sent');
  });

  it('keeps markup in the dialect texts as text, and lists every summary', () => {
    const tricky: DialectInfo = {
      ...DIALECTS.tei,
      instruction: 'a | pipe and <b>tag</b>',
      summary: 'Summary with `code` and | pipe.',
    };
    const html = renderMarkdown(renderDialectTable([tricky])).html;
    expect(tableRows(html)[0]).toHaveLength(7);
    expect(html).toContain('<td>a | pipe and &lt;b&gt;tag&lt;/b&gt;</td>');
    expect(html).toContain('Summary with `code` and | pipe.');
    expect(renderDialectTable()).toContain(`- \`llama-cpp\`: `);
  });

  it('refuses an empty table', () => {
    expect(() => renderDialectTable([])).toThrow('The dialect table is empty.');
  });
});
