import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { NON_FINITE_COLOR, plotHeatmap2d, renderPng, renderSvg, type HeatmapCell } from './index.js';
import { countColour, decodePng, drawnRects, expectRejects } from './test-support.js';

const backends = await availableBackends();

describeEachBackend('plotHeatmap2d', backends, () => {
  it('one cell per (step, neuron): time along x in ms, neuron along y, the value as colour', async () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const spec = (await plotHeatmap2d(x, { dt: 0.01, valueLabel: 'Voltage v (mV)' })) as Record<string, any>;
    x.dispose();
    const cells = spec.data.values as HeatmapCell[];
    expect(cells).toHaveLength(6);
    expect(cells[5]).toEqual({ x0: 10, x1: 20, y0: 1.5, y1: 2.5, value: 6 });
    expect(cells[1]).toEqual({ x0: 0, x1: 10, y0: 0.5, y1: 1.5, value: 2 });
    const encoding = spec.layer[0].encoding;
    expect(encoding.x.title).toBe('Time (ms)');
    expect(encoding.y.title).toBe('Neuron (index)');
    expect(encoding.color.title).toBe('Voltage v (mV)');
    expect(spec.title.text).toBe('Voltage v (mV) over time');
    expect(spec.layer).toHaveLength(1);
  });

  it('larger than the screen: downsampled by block means, and the subtitle says so', async () => {
    const x = tf.tidy(() => tf.add(tf.range(0, 1000).reshape([1000, 1]), tf.zeros([1000, 300])));
    const spec = (await plotHeatmap2d(x, { width: 400, height: 200 })) as Record<string, any>;
    x.dispose();
    const cells = spec.data.values as HeatmapCell[];
    // 1000 steps in blocks of 5 → 200 columns; 300 neurons in blocks of 3 → 100 rows.
    expect(cells).toHaveLength(200 * 100);
    expect(spec.title.subtitle).toContain('downsampled from 1,000 × 300 to 200 × 100 (time × neuron): each cell the mean of 5 steps × 3 neurons');
    expect(cells[0]).toEqual({ x0: 0, x1: 5, y0: -0.5, y1: 2.5, value: 2 });
    expect(cells[cells.length - 1]!.x1).toBe(1000);
  });

  it('NaN and ±∞ are cells of their own colour with a legend entry, counted in the subtitle', async () => {
    const x = tf.tensor2d([[0, Number.NaN], [1, Number.POSITIVE_INFINITY], [2, 3]]);
    const spec = (await plotHeatmap2d(x)) as Record<string, any>;
    x.dispose();
    const cells = spec.data.values as HeatmapCell[];
    expect(cells.filter((c) => c.value === null)).toHaveLength(2);
    expect(spec.layer).toHaveLength(2);
    expect(spec.layer[1].mark.color).toBe(NON_FINITE_COLOR);
    expect(spec.layer[1].encoding.opacity.datum).toBe('NaN or ±∞');
    expect(spec.title.subtitle).toContain('2 values are NaN or ±∞ (magenta)');
  });

  it('leaks no tensor', async () => {
    const x = tf.ones([4, 3]);
    await expectNoLeak(() => plotHeatmap2d(x), 'plotHeatmap2d');
    x.dispose();
  });
});

describe('plotHeatmap2d: the drawing', () => {
  it('a NaN is visible in the SVG and the PNG, not a hole', async () => {
    const values = Array.from({ length: 20 }, (_, k) => Array.from({ length: 10 }, (_, n) => (k === 7 && n === 4 ? Number.NaN : k + n)));
    const x = tf.tensor2d(values);
    const spec = await plotHeatmap2d(x, { width: 200, height: 100 });
    x.dispose();
    const rects = drawnRects(await renderSvg(spec));
    expect(rects).toHaveLength(200);
    expect(rects.filter((r) => r.fill === NON_FINITE_COLOR)).toHaveLength(1);
    const png = decodePng(await renderPng(spec, { scale: 1 }));
    // One cell of 10 × 10 px (more with the legend swatch) is magenta.
    expect(countColour(png, [255, 0, 255], 10)).toBeGreaterThanOrEqual(100);
  });

  it('a 1,000 × 1,000 tensor becomes an SVG of a few MB, not a hundred', async () => {
    const x = tf.randomUniform([1000, 1000], 0, 1, 'float32', 5);
    const spec = (await plotHeatmap2d(x)) as Record<string, any>;
    x.dispose();
    expect(spec.title.subtitle.join(' ')).toMatch(/downsampled from 1,000 × 1,000 to 250 × 143/);
    const svg = await renderSvg(spec);
    expect(drawnRects(svg)).toHaveLength(250 * 143);
    expect(svg.length).toBeLessThan(6e6);
  });
});

describe('plotHeatmap2d: bad input', () => {
  it('a 1-D tensor, an empty tensor', async () => {
    const a = tf.zeros([5]);
    const b = tf.zeros([3, 0]);
    await expectRejects(() => plotHeatmap2d(a), /plotHeatmap2d: argument 'data' expected a tensor of shape \[T, N\] .*received a float32 tensor of shape \[5\]/);
    await expectRejects(() => plotHeatmap2d(b), /argument 'data' expected a non-empty tensor/);
    tf.dispose([a, b]);
  });
  it('bad options', async () => {
    const x = tf.zeros([2, 2]);
    await expectRejects(() => plotHeatmap2d(x, { maxRows: 0 }), /argument 'options.maxRows' expected an integer ≥ 1; received 0/);
    await expectRejects(() => plotHeatmap2d(x, { colorScheme: 3 } as never), /argument 'options.colorScheme' expected a string; received 3/);
    x.dispose();
  });
});
