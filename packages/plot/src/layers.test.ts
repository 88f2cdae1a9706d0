import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { plotHeatmap3d, plotScatter3d, renderSvg, type HeatmapCell, type LayerSpike } from './index.js';
import { drawnRects, drawnSymbols, expectRejects, parseSvg } from './test-support.js';

const backends = await availableBackends();

/** [T = 3, L = 2, X = 2, Y = 3] with spikes at known places. */
function spikes(): tf.Tensor {
  const values = new Float32Array(3 * 2 * 2 * 3);
  const at = (t: number, l: number, r: number, c: number): number => ((t * 2 + l) * 2 + r) * 3 + c;
  values[at(0, 0, 0, 0)] = 1;
  values[at(1, 1, 1, 2)] = 1;
  values[at(2, 0, 1, 1)] = 1;
  return tf.tensor4d(values, [3, 2, 2, 3]);
}

describeEachBackend('plotScatter3d', backends, () => {
  it('one dot per spike at (layer, row, column), coloured by time in ms; one panel per layer', async () => {
    const s = spikes();
    const spec = (await plotScatter3d(s, { dt: 0.005 })) as Record<string, any>;
    s.dispose();
    expect(spec.data.values as LayerSpike[]).toEqual([
      { layer: 0, row: 0, column: 0, t: 0 }, { layer: 1, row: 1, column: 2, t: 5 }, { layer: 0, row: 1, column: 1, t: 10 },
    ]);
    expect(spec.facet.field).toBe('layer');
    expect(spec.spec.encoding.color.title).toBe('Spike time (ms)');
    expect(spec.spec.encoding.x.title).toBe('Column');
    expect(spec.spec.encoding.y.title).toBe('Row');
    expect(spec.spec.encoding.y.scale.reverse).toBe(true);
    expect(spec.title.subtitle[0]).toBe('3 spikes in 2 layers of 2 × 3 over 3 steps of 5 ms; colour: time of the spike');
  });

  it('[L, X, Y] is one time step; more spikes than maxPoints: every k-th, said in the subtitle', async () => {
    const s = tf.ones([2, 10, 10]);
    const spec = (await plotScatter3d(s, { maxPoints: 50 })) as Record<string, any>;
    s.dispose();
    expect(spec.data.values).toHaveLength(50);
    expect(spec.title.subtitle).toContain('every 4th spike drawn (50 of 200)');
  });

  it('leaks no tensor', async () => {
    const s = spikes();
    await expectNoLeak(() => plotScatter3d(s), 'plotScatter3d');
    s.dispose();
  });
});

describeEachBackend('plotHeatmap3d', backends, () => {
  it('[T, L, X, Y] is averaged over time; one heatmap per layer on one colour scale', async () => {
    const s = spikes();
    const spec = (await plotHeatmap3d(s, { valueLabel: 'Spikes per step' })) as Record<string, any>;
    s.dispose();
    const cells = spec.data.values as HeatmapCell[];
    expect(cells).toHaveLength(2 * 2 * 3);
    expect(cells.find((c) => c.layer === 1 && c.y0 === 0.5 && c.x0 === 1.5)!.value).toBeCloseTo(1 / 3, 6);
    expect(cells.filter((c) => c.value !== 0)).toHaveLength(3);
    expect(spec.title.text).toBe('Spikes per step per layer');
    expect(spec.title.subtitle[0]).toBe('2 layers of 2 × 3, mean over 3 time steps');
    expect(spec.spec.layer[0].encoding.color.scale.domain).toEqual([0, 0.3333333]);
    expect(spec.resolve.scale.color).toBe('shared');
  });

  it('[L, X, Y] as is; large layers downsampled; NaN marked', async () => {
    const values = new Float32Array(2 * 300 * 300).fill(1);
    values[5] = Number.NaN;
    const x = tf.tensor3d(values, [2, 300, 300]);
    const spec = (await plotHeatmap3d(x)) as Record<string, any>;
    x.dispose();
    expect(spec.title.subtitle).toEqual([
      '2 layers of 300 × 300', 'downsampled from 300 × 300 to 100 × 100 per layer: each cell the mean of 3 × 3', '1 value is NaN or ±∞ (magenta)',
    ]);
    expect(spec.data.values).toHaveLength(2 * 100 * 100);
    expect(spec.spec.layer).toHaveLength(2);
  });

  it('leaks no tensor', async () => {
    const s = spikes();
    await expectNoLeak(() => plotHeatmap3d(s), 'plotHeatmap3d');
    s.dispose();
  });
});

describe('3-D plots: drawing and bad input', () => {
  it('render as one panel per layer', async () => {
    const s = spikes();
    const svg = await renderSvg(await plotHeatmap3d(s));
    const scatter = await renderSvg(await plotScatter3d(s));
    s.dispose();
    expect(parseSvg(svg).width).toBeGreaterThan(0);
    expect(drawnRects(svg)).toHaveLength(12);
    expect(svg).toContain('>Layer 1</text>');
    expect(svg).toContain('>Layer 2</text>');
    expect(drawnSymbols(scatter)).toHaveLength(3);
  });

  it('wrong rank, empty, NaN spikes, bad options', async () => {
    const flat = tf.zeros([4, 4]);
    const e = tf.zeros([2, 0, 3]);
    const nan = tf.tensor3d([0, Number.NaN], [1, 1, 2]);
    await expectRejects(() => plotScatter3d(flat), /plotScatter3d: argument 'spikes' expected a tensor of shape \[T, L, X, Y\] \(time, layer, rows, columns\) or \[L, X, Y\]; received a float32 tensor of shape \[4, 4\]/);
    await expectRejects(() => plotHeatmap3d(flat), /plotHeatmap3d: argument 'data' expected a tensor of shape \[L, X, Y\]/);
    await expectRejects(() => plotHeatmap3d(e), /expected a non-empty tensor/);
    await expectRejects(() => plotScatter3d(nan), /received NaN at time step 0, layer 0, row 0, column 1/);
    const ok = tf.zeros([1, 2, 2]);
    await expectRejects(() => plotScatter3d(ok, { columns: 0 }), /argument 'options.columns' expected an integer ≥ 1 \(panels per row\); received 0/);
    tf.dispose([flat, e, nan, ok]);
  });
});
