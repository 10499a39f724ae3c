import { describe, expect, it } from 'vitest';
import { RERANK_REQUEST_FIELDS } from './rerank-request.js';
import { suggestField } from './zod-error-to-error-response.js';

describe('suggestField', () => {
  it('suggests a field within two edits, and none three edits away', () => {
    expect(suggestField('querry', RERANK_REQUEST_FIELDS)).toBe('query');
    expect(suggestField('modle', RERANK_REQUEST_FIELDS)).toBe('model');
    expect(suggestField('Top_N', RERANK_REQUEST_FIELDS)).toBe('top_n');
    // Three edits from `model` and from `query`: too far to be a misspelling of either.
    expect(suggestField('modexyz', RERANK_REQUEST_FIELDS)).toBeUndefined();
    expect(suggestField('qu', RERANK_REQUEST_FIELDS)).toBeUndefined();
  });

  it('takes the first of equally near fields, in the order they are given', () => {
    // One edit from both `ab` and `ac`.
    expect(suggestField('a', ['ab', 'ac'])).toBe('ab');
    expect(suggestField('a', ['ac', 'ab'])).toBe('ac');
  });

  it('answers at once for a field name far longer than any allowed one (a body of one huge key)', () => {
    // The edit distance is at least the difference in length: a 16-million-character key is never two edits
    // from a field. Computing the distance to each field (the bug) took 3.1-3.4 s of blocked event loop on
    // Node 20 and 24, more on a loaded machine; skipping them takes no time whatever the key's length. The
    // bound sits half way, so scheduling delays on a loaded CI machine cannot reach it but the bug still does.
    const huge = 'a'.repeat(16_000_000);
    const started = performance.now();
    expect(suggestField(huge, RERANK_REQUEST_FIELDS)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('does not take names of Object.prototype for aliases', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(suggestField(name, ['constructor', 'model'])).toBe(
        name === 'constructor' ? 'constructor' : undefined,
      );
      expect(suggestField(name, RERANK_REQUEST_FIELDS)).toBeUndefined();
    }
  });

  it('maps the common names of other APIs to the contract field', () => {
    expect(suggestField('top_k', RERANK_REQUEST_FIELDS)).toBe('top_n');
    expect(suggestField('texts', RERANK_REQUEST_FIELDS)).toBe('documents');
    // An alias is only offered when the field it names is allowed.
    expect(suggestField('texts', ['model', 'query'])).toBeUndefined();
  });
});
