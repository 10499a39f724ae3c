import { describe, expect, it } from 'vitest';
import { serializeJsonForScript } from './serialize-json-for-script.js';

describe('serializeJsonForScript', () => {
  const hostile = {
    title: 'Rerank </script><script>alert(1)</script> <!-- comment --> a < b && c > d',
    separators: 'line\u2028paragraph\u2029end',
  };

  it('writes <, >, & and the JavaScript line separators as \\u escapes, so spec text cannot close the element', () => {
    const json = serializeJsonForScript(hostile);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json).toContain('\\u003c/script\\u003e\\u003cscript\\u003e');
    expect(json).toContain('\\u003c!--');
    expect(json).toContain('\\u0026\\u0026');
    expect(json).toContain('line\\u2028paragraph\\u2029end');
  });

  it('stays the same value as JSON', () => {
    expect(JSON.parse(serializeJsonForScript(hostile))).toEqual(hostile);
    expect(serializeJsonForScript({ a: 1, b: [true, null, 'x'] })).toBe('{"a":1,"b":[true,null,"x"]}');
  });
});
