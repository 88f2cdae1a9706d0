import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { plotSpikes2d, renderPng, renderSvg, type SpikeMark } from './index.js';
import { countColour, decodePng, drawnRects, expectRejects } from './test-support.js';

const backends = await availableBackends();

/** Spikes [T = 6, N = 4] with k = 5 spikes at known places. */
const SPIKES = [
  [0, 1, 0, 0],
  [0, 0, 0, 0],
  [1, 0, 0, 1],
  [0, 0, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];
const EXPECTED: SpikeMark[] = [
  { t: 0, neuron: 1 }, { t: 4, neuron: 0 }, { t: 4, neuron: 3 }, { t: 8, neuron: 2 }, { t: 10, neuron: 3 },
];

describeEachBackend('plotSpikes2d', backends, () => {
  it('a raster of k spikes has k marks at (k·dt in ms, neuron)', async () => {
    const s = tf.tensor2d(SPIKES);
    const spec = (await plotSpikes2d(s, { dt: 0.002 })) as { data: { values: SpikeMark[] }; mark: { type: string } };
    expect(spec.mark.type).toBe('tick');
    expect(spec.data.values).toEqual(EXPECTED);
    s.dispose();
  });

  it('names its axes with units and says what it shows', async () => {
    const s = tf.tensor2d(SPIKES);
    const spec = (await plotSpikes2d(s)) as Record<string, any>;
    expect(spec.encoding.x.title).toBe('Time (ms)');
    expect(spec.encoding.y.title).toBe('Neuron (index)');
    expect(spec.title.text).toBe('Spike raster');
    expect(spec.title.subtitle[0]).toBe('5 spikes of 4 neurons over 6 steps of 1 ms');
    expect(spec.encoding.x.scale.domain).toEqual([0, 6]);
    s.dispose();
  });

  it('takes one batch entry of [T, B, ...neurons], flattening the neuron dimensions', async () => {
    // [T = 2, B = 2, 2, 2]: batch 1 spikes at step 0, flat neuron 0 and at step 1, flat neuron 3
    // (row 1, column 1); batch 0 spikes at step 1, neuron 2.
    const s = tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], [2, 2, 2, 2]);
    const spec = (await plotSpikes2d(s, { batch: 1 })) as Record<string, any>;
    expect(spec.data.values).toEqual([{ t: 0, neuron: 0 }, { t: 1, neuron: 3 }]);
    const first = (await plotSpikes2d(s)) as Record<string, any>;
    expect(first.data.values).toEqual([{ t: 1, neuron: 2 }]);
    expect(spec.encoding.y.title).toBe('Neuron (row-major index over 2 × 2)');
    expect(spec.title.subtitle).toContain('batch entry 1 of 2');
    s.dispose();
  });

  it('leaks no tensor', async () => {
    const s = tf.tensor2d(SPIKES);
    await expectNoLeak(() => plotSpikes2d(s), 'plotSpikes2d');
    s.dispose();
  });
});

describe('plotSpikes2d: the drawing', () => {
  it('the SVG holds exactly k tick marks, each centred on its spike', async () => {
    const s = tf.tensor2d(SPIKES);
    const width = 600;
    const height = 200;
    const svg = await renderSvg(await plotSpikes2d(s, { width, height }));
    s.dispose();
    const rects = drawnRects(svg);
    expect(rects).toHaveLength(EXPECTED.length);
    const centres = rects.map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })).sort((a, b) => a.x - b.x || b.y - a.y);
    // EXPECTED is at dt = 2 ms; drawn here at the default 1 ms, over a time axis of 6 ms.
    const expected = EXPECTED.map((m) => ({ x: (m.t / 2 / 6) * width, y: height - ((m.neuron + 0.5) / 4) * height }));
    centres.forEach((c, k) => {
      expect(c.x).toBeCloseTo(expected[k]!.x, 1);
      expect(c.y).toBeCloseTo(expected[k]!.y, 1);
    });
    expect(svg).toContain('>Time (ms)</text>');
    expect(svg).toContain('>Neuron (index)</text>');
  });

  it('the PNG shows black ticks', async () => {
    const s = tf.tensor2d(SPIKES);
    const png = decodePng(await renderPng(await plotSpikes2d(s), { scale: 1 }));
    s.dispose();
    expect(countColour(png, [0, 0, 0], 40)).toBeGreaterThan(5 * 10);
  });

  it('more spikes than maxSpikes: a density raster that says so', async () => {
    const s = tf.ones([40, 10]);
    const spec = (await plotSpikes2d(s, { maxSpikes: 100, width: 40, height: 20 })) as Record<string, any>;
    s.dispose();
    expect(spec.title.subtitle.join(' ')).toMatch(/more than 100 spikes: drawn as the fraction of entries that spiked per block of 2 steps × 1 neuron \(20 × 10 blocks\)/);
    expect(spec.data.values).toHaveLength(200);
    expect(spec.data.values.every((c: { value: number }) => c.value === 1)).toBe(true);
  });
});

describe('plotSpikes2d: bad input', () => {
  it('a 1-D tensor', async () => {
    const x = tf.zeros([5]);
    await expectRejects(() => plotSpikes2d(x), /plotSpikes2d: argument 'spikes' expected a tensor of shape \[T, N\] or \[T, B, \.\.\.neurons\] \(time first\); received a float32 tensor of shape \[5\]/);
    x.dispose();
  });
  it('an empty tensor', async () => {
    const x = tf.zeros([0, 4]);
    await expectRejects(() => plotSpikes2d(x), /argument 'spikes' expected a non-empty tensor .*received a float32 tensor of shape \[0, 4\]/);
    x.dispose();
  });
  it('not a tensor, a disposed tensor, a string tensor', async () => {
    await expectRejects(() => plotSpikes2d([[0, 1]] as never), /argument 'spikes' expected a tensor; received an array of length 1/);
    const d = tf.zeros([2, 2]);
    d.dispose();
    await expectRejects(() => plotSpikes2d(d), /expected a live tensor/);
    const str = tf.tensor(['a', 'b'], [1, 2]);
    await expectRejects(() => plotSpikes2d(str), /expected dtype float32 or int32 or bool; received a string tensor/);
    str.dispose();
  });
  it('NaN in the spikes names where', async () => {
    const x = tf.tensor2d([[0, 0], [0, Number.NaN]]);
    await expectRejects(() => plotSpikes2d(x), /argument 'spikes' expected finite spike values \(0 = no spike\); received NaN at time step 1, neuron 1/);
    x.dispose();
  });
  it('bad options', async () => {
    const x = tf.zeros([2, 2]);
    await expectRejects(() => plotSpikes2d(x, { dt: 0 }), /argument 'options.dt' expected a finite number > 0 \(seconds per time step\); received 0/);
    await expectRejects(() => plotSpikes2d(x, { step: 1 } as never), /argument 'options.step' expected one of the options title, width, height, dt, batch, maxSpikes; received unknown option 'step'/);
    await expectRejects(() => plotSpikes2d(x, { width: -3 }), /argument 'options.width' expected an integer ≥ 10/);
    await expectRejects(() => plotSpikes2d(x, { batch: 1 }), /argument 'options.batch' expected 0 or no batch option for a \[T, N\] tensor; received 1/);
    const y = tf.zeros([2, 3, 2]);
    await expectRejects(() => plotSpikes2d(y, { batch: 3 }), /argument 'options.batch' expected a batch index < 3/);
    tf.dispose([x, y]);
  });
});
