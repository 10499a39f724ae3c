import { describe, expect, it } from 'vitest';
import { randomHex } from './random-hex.js';

describe('randomHex', () => {
  it('gives distinct lowercase hex of the asked length across pool refills', () => {
    const values = new Set<string>();
    for (let draw = 0; draw < 2000; draw++) {
      const hex = randomHex(12);
      expect(hex).toMatch(/^[0-9a-f]{24}$/);
      values.add(hex);
    }
    expect(values.size).toBe(2000);
  });

  it('uses every hex digit (the bytes are not constant)', () => {
    const digits = new Set(randomHex(512));
    expect(digits.size).toBe(16);
  });
});
