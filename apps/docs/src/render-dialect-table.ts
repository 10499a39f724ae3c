import { DIALECTS, type DialectInfo, type DialectTokenLimit } from '@sealink/rerank-contract/dialects';
import { markdownInlineCode, markdownTable, markdownTableCell, markdownText } from './markdown-table.js';

/** Inline code that is safe in a table cell. */
const codeCell = (text: string): string => markdownTableCell(markdownInlineCode(text));

/** How a dialect handles the request's `max_tokens_per_doc`, as markdown safe in a table cell. */
function tokenLimitCell(limit: DialectTokenLimit): string {
  switch (limit.kind) {
    case 'per-document':
      return `exact, per document: ${codeCell(limit.wire)}`;
    case 'model-length':
      return `${codeCell(limit.wire)}: ${markdownText("cut to the model's length; the count is not honoured (warning)")}`;
    case 'none':
      return markdownText(limit.note === undefined ? 'none (warning)' : `none (warning); ${limit.note}`);
  }
}

/**
 * The contract's provider and engine dialects (`DIALECTS`) as a markdown table, one row per dialect: its
 * routes, how its scores map to [0, 1] (and its raw scores, where it has them), its default batch size,
 * how the instruction and `max_tokens_per_doc` reach it; then each dialect's summary as a list.
 */
export function renderDialectTable(dialects: readonly DialectInfo[] = Object.values(DIALECTS)): string {
  if (dialects.length === 0) throw new Error('The dialect table is empty.');
  const rows = dialects.map((info) => [
    `${codeCell(info.name)} ${markdownText(`(${info.title}, ${info.kind})`)}`,
    info.paths.map((path) => codeCell(`${info.method} ${path}`)).join(', '),
    codeCell(info.scoreMapping),
    info.rawScoreMapping === undefined ? '-' : codeCell(info.rawScoreMapping),
    info.defaultMaxBatch.toLocaleString('en-US'),
    markdownText(info.instruction),
    tokenLimitCell(info.tokenLimit),
  ]);
  const table = markdownTable(
    [
      'Dialect',
      'Routes',
      'Score mapping',
      'Raw-score mapping',
      'Default batch',
      'Instruction',
      '`max_tokens_per_doc`',
    ],
    rows,
  );
  const summaries = dialects.map(
    (info) => `- ${markdownInlineCode(info.name)}: ${markdownText(info.summary)}`,
  );
  return `${table}\n\n${summaries.join('\n')}`;
}
