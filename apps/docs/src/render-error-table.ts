import { ERROR_EXAMPLES, ERROR_TYPES, errorExample } from '@sealink/rerank-contract';
import { markdownCodeBlock } from './markdown-code-block.js';
import { markdownInlineCode, markdownTable, markdownText } from './markdown-table.js';

/**
 * The contract's error table as markdown: every error type of `ERROR_TYPES` with its HTTP status, its
 * meaning, and the `code` and `message` of the contract's example body for it.
 */
export function renderErrorTable(): string {
  const rows = ERROR_EXAMPLES.map(([type, example]) => [
    markdownInlineCode(type),
    String(ERROR_TYPES[type].status),
    markdownText(ERROR_TYPES[type].description),
    markdownInlineCode(example.error.code),
    markdownText(example.error.message),
  ]);
  return markdownTable(['`type`', 'HTTP status', 'Meaning', 'Example `code`', 'Example `message`'], rows);
}

/** The contract's example body of an `invalid_request_error`, as a JSON code block. */
export function renderErrorExample(): string {
  return markdownCodeBlock(JSON.stringify(errorExample('invalid_request_error'), null, 2), 'json');
}
