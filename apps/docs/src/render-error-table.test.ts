import { ERROR_TYPE_NAMES, ERROR_TYPES, errorExample } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { renderErrorExample, renderErrorTable } from './render-error-table.js';
import { renderMarkdown } from './render-markdown.js';

/** The cells of each body row of the first table in some HTML, as text. */
function tableRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return Array.from(body.matchAll(/<tr>([\s\S]*?)<\/tr>/g), (row) =>
    Array.from((row[1] ?? '').matchAll(/<td>([\s\S]*?)<\/td>/g), (cell) =>
      (cell[1] ?? '').replace(/<[^>]+>/g, ''),
    ),
  );
}

describe('renderErrorTable', () => {
  it("has one row per error type of the contract, in the contract's order, with its status and meaning", () => {
    const rows = tableRows(renderMarkdown(renderErrorTable()).html);
    expect(rows.map((row) => row.slice(0, 3))).toEqual(
      ERROR_TYPE_NAMES.map((type) => [type, String(ERROR_TYPES[type].status), ERROR_TYPES[type].description]),
    );
  });

  it("shows each type's example code and message as text", () => {
    const html = renderMarkdown(renderErrorTable()).html;
    const rows = tableRows(html);
    expect(rows.map((row) => row[3])).toEqual(ERROR_TYPE_NAMES.map((type) => errorExample(type).error.code));
    expect(html).toContain('Bearer &lt;key&gt;');
  });
});

describe('renderErrorExample', () => {
  it("is the contract's example body of an invalid_request_error", () => {
    const json = /```json\n([\s\S]*)\n```/.exec(renderErrorExample())?.[1];
    expect(JSON.parse(json ?? 'null')).toEqual(errorExample('invalid_request_error'));
  });
});
