import { DEFAULT_MAX_BODY_BYTES, MAX_DOCUMENTS, MAX_QUERY_LENGTH } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { renderLimitsTable } from './render-limits-table.js';

describe('renderLimitsTable', () => {
  it("lists each limit with the contract's own answer to a request just over it", () => {
    const table = renderLimitsTable();
    const lines = table.split('\n');
    expect(lines[0]).toBe('| Limit | Value | Answer when exceeded | `param` | `message` |');
    expect(lines).toContain(
      `| \`documents\` per request | ${MAX_DOCUMENTS.toLocaleString('en-US')} documents | 400 \`invalid_request_error\` | \`documents\` | Invalid 'documents': documents may have at most ${MAX_DOCUMENTS} items\\. |`.replaceAll(
        "'",
        "\\'",
      ),
    );
    expect(table).toContain(`| \`query\` | ${MAX_QUERY_LENGTH.toLocaleString('en-US')} characters | 400`);
    expect(table).toContain(
      `${DEFAULT_MAX_BODY_BYTES.toLocaleString('en-US')} bytes | 413 \`request_too_large\` |  |`,
    );
  });
});
