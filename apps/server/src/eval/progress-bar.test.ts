import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProgressBar } from './progress-bar.js';

describe('ProgressBar', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

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

  it('draws its first step at once, also in the first 100 ms of the process (performance.now() counts from its start)', () => {
    vi.spyOn(performance, 'now').mockImplementation(() => 40);
    const writes: string[] = [];
    const bar = new ProgressBar({ isTTY: true, write: (text) => writes.push(text) }, 'bm25');
    bar.update(1, 10);
    expect(writes).toEqual([`\rbm25 [###${'-'.repeat(27)}] 1/10 0.0 s`]);
  });

  it('redraws at most every 100 ms, but always draws the last step', () => {
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const writes: string[] = [];
    const bar = new ProgressBar({ isTTY: true, write: (text) => writes.push(text) }, 'bm25');
    bar.update(1, 10);
    now += 99;
    bar.update(2, 10);
    now += 1;
    bar.update(3, 10);
    now += 50;
    bar.update(4, 10);
    bar.update(10, 10);
    expect(writes.map((text) => /\] (\d+)\/10 /.exec(text)?.[1])).toEqual(['1', '3', '10']);
    expect(writes[1]).toMatch(/ 0\.1 s$/);
  });

  it('ends the line once, and only when it drew one', () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ isTTY: true, write: (text) => writes.push(text) }, 'bm25');
    bar.finish();
    expect(writes).toEqual([]);
    bar.update(1, 2);
    bar.finish();
    bar.finish();
    expect(writes.slice(1)).toEqual(['\n']);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ isTTY: false, write: (text) => writes.push(text) }, 'bm25');
    bar.update(1, 2);
    bar.finish();
    expect(writes).toEqual([]);
  });
});
