import { CONFIG_REFERENCE } from '@sealink/rerank-server-app';
import { describe, expect, it } from 'vitest';
import { renderConfigReference } from './render-config-reference.js';
import { renderMarkdown } from './render-markdown.js';
import { SAMPLE_CONFIG_REFERENCE } from './testing/sample-config-reference.js';

describe('renderConfigReference', () => {
  it('has one row per setting: variable, config field, type, default and description', () => {
    const lines = renderConfigReference(SAMPLE_CONFIG_REFERENCE).split('\n');
    expect(lines).toEqual([
      '| Environment variable | Config file field | Type | Default | Description |',
      '| --- | --- | --- | --- | --- |',
      '| `PORT` | `port` | integer \\(0\\-65535\\) | `8080` | The port to listen on. |',
      '| `SEALINK_API_KEYS` | `api_keys` | comma\\-separated strings | - | Sent as `Authorization: Bearer <key>` \\| pipes and <b>tags</b> stay text. |',
      '| - | `models` | list of models | `[{ "id": "bm25" }]` | The model registry. |',
      '| `SEALINK_LOG_LEVEL` | `log_level` | info \\| debug | `info` | Logs. |',
    ]);
  });

  it('renders to a table whose cells read as the settings, markup shown as text', () => {
    const html = renderMarkdown(renderConfigReference(SAMPLE_CONFIG_REFERENCE)).html;
    expect(html.match(/<tr>/g)).toHaveLength(SAMPLE_CONFIG_REFERENCE.length + 1);
    expect(html).toContain(
      '<code>Authorization: Bearer &lt;key&gt;</code> | pipes and &lt;b&gt;tags&lt;/b&gt; stay text.',
    );
    expect(html).toContain('<td>info | debug</td>');
  });

  it("lists every setting of the server app's CONFIG_REFERENCE", () => {
    const html = renderMarkdown(renderConfigReference(CONFIG_REFERENCE)).html;
    expect(html.match(/<tr>/g)).toHaveLength(CONFIG_REFERENCE.length + 1);
    for (const entry of CONFIG_REFERENCE) {
      expect(html).toContain(`<code>${entry.name}</code>`);
      if (entry.env !== '') expect(html).toContain(`<td><code>${entry.env}</code></td>`);
    }
  });

  it('refuses an empty reference', () => {
    expect(() => renderConfigReference([])).toThrow('The configuration reference is empty.');
  });
});
