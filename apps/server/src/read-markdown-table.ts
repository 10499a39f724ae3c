/**
 * The cells of the rows of the first Markdown table whose header line matches `header`, trimmed, up to the
 * first line that is not a row: how the README tests read the tables operators rely on.
 * @throws Error when no header line matches.
 */
export function readMarkdownTable(markdown: string, header: RegExp): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => header.test(line));
  if (start === -1) throw new Error(`no Markdown table has a header matching ${header}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}
