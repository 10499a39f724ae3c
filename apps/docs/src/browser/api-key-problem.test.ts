import { describe, expect, it } from 'vitest';
import { apiKeyProblem } from './api-key-problem.js';

describe('apiKeyProblem', () => {
  it.each([
    ['sk-docs-0123456789'],
    [''],
    ['key with spaces and ~!@#$%^&*()'],
    // Latin-1 characters are sent as one byte each; the server decides whether the key is valid.
    ['sk-caf\u00e9\u00a0key'],
    ['sk-tab\there'],
  ])('finds nothing wrong with %j, which fetch sends', (key) => {
    expect(apiKeyProblem(key)).toBeUndefined();
  });

  it.each([
    ['sk-docs\u200b0123456789', 'character 8 is U+200B'],
    ['\u201csk-docs\u201d', 'character 1 is U+201C'],
    ['sk-docs\n0123', 'character 8 is U+000A'],
    ['sk\r\n', 'character 3 is U+000D'],
    ['sk\u0000', 'character 3 is U+0000'],
    // A character outside the BMP counts as one, as the user sees it.
    ['\u{1f511}sk-\u00ff', 'character 1 is U+1F511'],
    ['a\u{1f511}\u2028', 'character 2 is U+1F511'],
  ])('names the first character of %j that fetch cannot send: %s', (key, expected) => {
    expect(apiKeyProblem(key)).toContain(expected);
  });
});
