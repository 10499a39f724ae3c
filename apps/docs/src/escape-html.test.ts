import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or a quoted attribute value, and & first', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml('plain text, 100% safe')).toBe('plain text, 100% safe');
  });

  it('keeps a value inside the attribute it is written into, whichever quote the attribute uses', () => {
    const value = `x" onload="alert(1)' onclick='alert(2)`;
    for (const quote of ['"', "'"]) {
      const attribute = `content=${quote}${escapeHtml(value)}${quote}`;
      // The only quotes of the attribute's kind are the two around the value.
      expect(attribute.split(quote)).toHaveLength(3);
    }
  });
});
