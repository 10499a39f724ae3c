import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownInlineCode, markdownTable, markdownTableCell, markdownText } from './markdown-table.js';
import { renderMarkdown } from './render-markdown.js';

/** The text content of rendered HTML, with the five escapes undone. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
    .trim();
}

describe('markdownText', () => {
  it('renders as exactly the text, markup characters included', () => {
    const text = 'send it as "Authorization: Bearer <key>" | *not* _emphasis_ [link](x) `code` &amp; # 1. \\';
    expect(textOf(renderMarkdown(markdownText(text)).html)).toBe(text);
  });

  it('renders any printable text as itself, also inside a table cell', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...' abc12<>&"\'|*_`[]()#!\\-+.~{}=:'.split('')), maxLength: 40 }),
        (text) => {
          const visible = text.trim();
          fc.pre(visible !== '');
          const cell = markdownTable(['h'], [[markdownText(visible)]]);
          const html = renderMarkdown(cell).html;
          const cellHtml = /<td>([\s\S]*?)<\/td>/.exec(html)?.[1] ?? '';
          expect(textOf(cellHtml)).toBe(visible);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('markdownInlineCode', () => {
  it('wraps code that holds backticks in a longer fence', () => {
    expect(markdownInlineCode('a`b')).toBe('``a`b``');
    expect(renderMarkdown(markdownInlineCode('`x`')).html).toContain('<code>`x`</code>');
  });
});

describe('markdownTable and markdownTableCell', () => {
  it('writes a table whose cells may hold pipes', () => {
    const table = markdownTable(
      ['a', 'b'],
      [[markdownTableCell('x | y'), markdownTableCell(markdownInlineCode('p|q'))]],
    );
    const html = renderMarkdown(table).html;
    expect(html).toContain('<td>x | y</td>');
    expect(html).toContain('<td><code>p|q</code></td>');
  });
});
