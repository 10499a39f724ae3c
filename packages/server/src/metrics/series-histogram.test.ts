import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesHistogram } from './series-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1, 10];

describe('SeriesHistogram', () => {
  it('renders exactly as prom-client’s own histogram given the same observations', async () => {
    const observation = fc.record({
      model: fc.constantFrom('bm25', 'qwen3-rerank', ''),
      outcome: fc.constantFrom('ok', 'error'),
      value: fc.oneof(fc.constantFrom(...BUCKETS, 0, 100), fc.double({ min: 0, max: 50, noNaN: true })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 60 }), async (observations) => {
        const ours = new Registry();
        const theirs = new Registry();
        const configuration = { name: 'latency_seconds', help: 'Latency.', labelNames: ['model', 'outcome'] };
        const series = new SeriesHistogram({ ...configuration, buckets: [...BUCKETS], registers: [ours] });
        const reference = new Histogram({ ...configuration, buckets: [...BUCKETS], registers: [theirs] });
        for (const { model, outcome, value } of observations) {
          series.series(`${model}/${outcome}`, () => ({ model, outcome })).observe(value);
          reference.observe({ model, outcome }, value);
        }
        expect(await ours.metrics()).toBe(await theirs.metrics());
        // prom-client adds an empty `exemplar` (this server enables no exemplars); all else is equal.
        const referenceValues = (await reference.get()).values.map((value) => {
          const { exemplar: _exemplar, ...rest } = value as typeof value & { exemplar?: unknown };
          return rest;
        });
        expect((await series.get()).values).toEqual(referenceValues);
      }),
      { numRuns: 50 },
    );
  });

  it('counts from zero again after a reset, through series kept before it', async () => {
    const registry = new Registry();
    const histogram = new SeriesHistogram({
      name: 'h',
      help: 'H.',
      labelNames: ['model'],
      buckets: [1],
      registers: [registry],
    });
    const kept = histogram.series('a', () => ({ model: 'a' }));
    kept.observe(0.5);
    kept.observe(2);
    expect(await registry.metrics()).toContain('h_count{model="a"} 2');
    registry.resetMetrics();
    kept.observe(0.25);
    const text = await registry.metrics();
    expect(text).toContain('h_bucket{le="1",model="a"} 1');
    expect(text).toContain('h_sum{model="a"} 0.25');
    expect(text).toContain('h_count{model="a"} 1');
  });
});
