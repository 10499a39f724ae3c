import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';

describe('ProgressBar', () => {
  it('draws on a terminal and ends the line', () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ isTTY: true, write: (text) => writes.push(text) }, 'bm25');
    bar.update(5, 10);
    bar.update(10, 10);
    bar.finish();
    expect(writes[0]).toMatch(/^\rbm25 \[#{15}-{15}\] 5\/10 \d+\.\d s$/);
    expect(writes.at(-2)).toMatch(/\[#{30}\] 10\/10/);
    expect(writes.at(-1)).toBe('\n');
  });

  it('writes nothing when the stream is not a terminal', () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ isTTY: false, write: (text) => writes.push(text) }, 'bm25');
    bar.update(1, 2);
    bar.finish();
    expect(writes).toEqual([]);
  });
});
