import { describe, expect, it } from 'vitest';
import { fillGeneratedSections, renderMarkdown, UnknownGeneratedSectionError } from './render-markdown.js';

describe('fillGeneratedSections', () => {
  it('replaces each placeholder line with its section', () => {
    const markdown = '# Title\n\n<!-- generated:error-table -->\n\nText.\n<!-- generated:other -->\n';
    expect(fillGeneratedSections(markdown, { 'error-table': '| a |', other: 'B' })).toBe(
      '# Title\n\n| a |\n\nText.\nB\n',
    );
  });

  it('rejects a placeholder for a section it is not given, naming the known ones', () => {
    expect(() => fillGeneratedSections('<!-- generated:eror-table -->', { 'error-table': 'x' })).toThrow(
      new UnknownGeneratedSectionError('eror-table', ['error-table']),
    );
  });
});

describe('renderMarkdown', () => {
  it('renders GitHub-flavoured markdown with heading ids and lists the headings', () => {
    const rendered = renderMarkdown(
      '# Errors and limits\n\n## Error types\n\n| a | b |\n| - | - |\n| 1 | 2 |\n',
    );
    expect(rendered.html).toContain('<h2 id="error-types">Error types</h2>');
    expect(rendered.html).toContain('<td>1</td>');
    expect(rendered.headings).toEqual([
      { level: 1, text: 'Errors and limits', id: 'errors-and-limits' },
      { level: 2, text: 'Error types', id: 'error-types' },
    ]);
  });

  it('shows raw HTML as text instead of passing it through', () => {
    const html = renderMarkdown(
      'Before <script>alert(1)</script> after\n\n<div onclick="x">block</div>\n',
    ).html;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<div');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('gives each page its own heading ids', () => {
    renderMarkdown('## Same\n');
    expect(renderMarkdown('## Same\n').headings).toEqual([{ level: 2, text: 'Same', id: 'same' }]);
  });

  it('highlights code blocks of the languages the guides use, and leaves others plain but escaped', () => {
    const typescript = renderMarkdown('```ts\nconst client = new SeaLink();\n```\n').html;
    expect(typescript).toContain('<code class="hljs language-ts"><span class="hljs-keyword">const</span>');
    const shell = renderMarkdown('```sh\ncurl -H "a: b" x\n```\n').html;
    expect(shell).toContain('<span class="hljs-string">&quot;a: b&quot;</span>');
    const text = renderMarkdown('```text\n<b>doc[2]</b>\n```\n').html;
    expect(text).toContain('<code class="hljs language-text">&lt;b&gt;doc[2]&lt;/b&gt;\n</code>');
  });
});
