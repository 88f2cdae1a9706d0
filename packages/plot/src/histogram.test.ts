import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { plotHistogram2d, renderSvg, type HistogramBar } from './index.js';
import { drawnRects, expectRejects } from './test-support.js';

const backends = await availableBackends();

describeEachBackend('plotHistogram2d', backends, () => {
  it('counts every value of any shape into equal bins over [min, max], the maximum in the last', async () => {
    const x = tf.tensor3d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10], [2, 3, 2]);
    const spec = (await plotHistogram2d(x, { bins: 5, valueLabel: 'Voltage v (mV)' })) as Record<string, any>;
    x.dispose();
    const bars = spec.data.values as HistogramBar[];
    expect(bars.map((b) => b.count)).toEqual([2, 2, 2, 2, 4]);
    expect(bars.map((b) => [b.lo, b.hi])).toEqual([[0, 2], [2, 4], [4, 6], [6, 8], [8, 10]]);
    expect(spec.encoding.x.title).toBe('Voltage v (mV)');
    expect(spec.encoding.y.title).toBe('Count (values per bin)');
    expect(spec.title.text).toBe('Histogram: Voltage v (mV)');
    expect(spec.title.subtitle).toEqual(['12 values of a 2 × 3 × 2 tensor in 5 bins']);
  });

  it('density: the bars integrate to 1', async () => {
    const x = tf.randomNormal([1000], 0, 1, 'float32', 7);
    const spec = (await plotHistogram2d(x, { bins: 17, density: true })) as Record<string, any>;
    x.dispose();
    const area = (spec.data.values as HistogramBar[]).reduce((a, b) => a + b.count * (b.hi - b.lo), 0);
    expect(area).toBeCloseTo(1, 5);
    expect(spec.encoding.y.title).toBe('Density (per unit of Value)');
  });

  it('all values equal: one bin of width 1 around them', async () => {
    const x = tf.fill([4], 3);
    const spec = (await plotHistogram2d(x, { bins: 1 })) as Record<string, any>;
    x.dispose();
    expect(spec.data.values).toEqual([{ lo: 2.5, hi: 3.5, count: 4 }]);
  });

  it('NaN and ±∞ are left out and counted in the subtitle', async () => {
    const x = tf.tensor1d([1, Number.NaN, 2, Number.NEGATIVE_INFINITY]);
    const spec = (await plotHistogram2d(x, { bins: 2 })) as Record<string, any>;
    x.dispose();
    expect((spec.data.values as HistogramBar[]).map((b) => b.count)).toEqual([1, 1]);
    expect(spec.title.subtitle).toContain('2 values NaN or ±∞, not shown');
  });

  it('leaks no tensor', async () => {
    const x = tf.ones([4, 3]);
    await expectNoLeak(() => plotHistogram2d(x), 'plotHistogram2d');
    x.dispose();
  });
});

describe('plotHistogram2d', () => {
  it('draws one bar per bin', async () => {
    const x = tf.tensor1d([0, 1, 1, 2, 2, 2, 3]);
    const rects = drawnRects(await renderSvg(await plotHistogram2d(x, { bins: 4 })));
    x.dispose();
    expect(rects).toHaveLength(4);
    const heights = rects.map((r) => r.height);
    expect(heights[2]! / heights[0]!).toBeCloseTo(3, 1);
  });

  it('bad input: empty, all NaN, bad bins', async () => {
    const e = tf.zeros([0]);
    const n = tf.fill([3], Number.NaN);
    const x = tf.ones([3]);
    await expectRejects(() => plotHistogram2d(e), /plotHistogram2d: argument 'data' expected a non-empty tensor of any shape; received a float32 tensor of shape \[0\]/);
    await expectRejects(() => plotHistogram2d(n), /argument 'data' expected at least one finite value; received a tensor of shape \[3\] whose 3 values are all NaN or ±∞/);
    await expectRejects(() => plotHistogram2d(x, { bins: 0 }), /argument 'options.bins' expected an integer ≥ 1; received 0/);
    await expectRejects(() => plotHistogram2d(x, { density: 'yes' } as never), /argument 'options.density' expected a boolean/);
    tf.dispose([e, n, x]);
  });
});
