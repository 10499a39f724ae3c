/**
 * Writes markdown as one cell of a GitHub-flavoured markdown table: pipes escaped (also inside code spans,
 * where GFM unescapes them), line breaks as spaces.
 */
export function markdownTableCell(markdown: string): string {
  return markdown.replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
}

/** Writes text as inline code that may itself contain backticks. */
export function markdownInlineCode(text: string): string {
  const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${text}${padding}${fence}`;
}

/** Writes a markdown table from a header row and body rows of already formatted cells. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Writes plain text as markdown that renders as exactly that text: every ASCII punctuation character that
 * markdown or HTML could read as syntax is backslash-escaped (CommonMark allows this for any of them), and
 * line breaks become spaces, so the result is also safe as a table cell.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&"']/g, '\\$&').replace(/\r?\n/g, ' ');
}
