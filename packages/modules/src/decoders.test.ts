import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { MaxDecoder, maxDecode, SpikesToTimesDecoder, spikesToTimes, SumDecoder, sumDecode } from './decoders.js';
import type { LIFFeedForwardState } from '@snn/functional';
import { LIFCell } from './lif.js';
import { Lift } from './lift.js';
import { SequentialState } from './sequential-state.js';

const backends = await availableBackends();

/** The values of a tensor, with −0 read as 0. */
async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data(), (v) => v + 0);
}

/** [T = 5, B = 1, N = 3]: neuron 0 fires at t = 1 and 3, neuron 1 never, neuron 2 at t = 0, 2 and 4. */
function spikeTrain(): Tensor {
  return tf.tensor3d([[[0, 0, 1]], [[1, 0, 0]], [[0, 0, 1]], [[1, 0, 0]], [[0, 0, 1]]]);
}

/** Computes a tensor, reads it and frees it. */
async function readOf(fn: () => Tensor): Promise<number[]> {
  const t = tf.tidy(fn);
  try {
    return Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

describeEachBackend('decoders', backends, () => {
  it('sum and max over the leading time axis', async () => {
    const x = tf.tensor3d([[[1, -2]], [[3, 0.5]], [[-1, 4]]]);
    await expectNoLeak(async () => {
      const s = sumDecode(x);
      const m = maxDecode(x);
      expect(s.shape).toEqual([1, 2]);
      expect(await values(s)).toEqual([3, 2.5]);
      expect(await values(m)).toEqual([3, 4]);
      const series = tf.tensor1d([1, 2, 3]);
      const scalar = sumDecode(series);
      expect(scalar.shape).toEqual([]);
      expect(await values(scalar)).toEqual([6]);
      return [s, m, series, scalar];
    });
    x.dispose();
  });

  it('spikesToTimes gives the first spike time per neuron, and `never` for silent neurons', async () => {
    const z = spikeTrain();
    await expectNoLeak(async () => {
      const times = spikesToTimes(z);
      expect(times.shape).toEqual([1, 1, 3]);
      const t = await values(times);
      expect(t[0]).toBeCloseTo(0.001, 7);
      expect(t[1]).toBe(Infinity);
      expect(t[2]).toBe(0);
      const two = spikesToTimes(z, { spikeCount: 2, unit: 'index', never: -1 });
      expect(two.shape).toEqual([2, 1, 3]);
      expect(await values(two)).toEqual([1, -1, 0, 3, -1, 2]);
      const all = spikesToTimes(z, { spikeCount: 9, unit: 'index', never: -1 });
      expect(all.shape).toEqual([5, 1, 3]);
      expect(await values(all)).toEqual([1, -1, 0, 3, -1, 2, -1, -1, 4, -1, -1, -1, -1, -1, -1]);
      const scaled = spikesToTimes(z, { dt: 0.5 });
      expect(await values(scaled)).toEqual([0.5, Infinity, 0]);
      return [times, two, all, scaled];
    });
    z.dispose();
  });

  it('spikesToTimes sends −dt back to each returned spike and nothing elsewhere (Norse\'s gradient)', async () => {
    const z = spikeTrain();
    await expectNoLeak(async () => {
      const upstream = tf.tensor3d([[[2, 5, 3]]]);
      const g = tf.grad((x: Tensor) => tf.sum(tf.mul(spikesToTimes(x, { dt: 0.25, never: 0 }), upstream)))(z);
      // Neuron 0's first spike is at t = 1, neuron 2's at t = 0; neuron 1 never fires.
      expect(await values(g)).toEqual([0, 0, -0.75, -0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      const g2 = tf.grad((x: Tensor) => tf.sum(spikesToTimes(x, { spikeCount: 2, unit: 'index', never: 0 })))(z);
      expect(await values(g2)).toEqual([0, 0, -1, -1, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0, 0]);
      return [upstream, g, g2];
    });
    z.dispose();
  });

  it('as modules, also inside a SequentialState after a lifted cell', async () => {
    const x = tf.randomUniform([12, 2, 4], 0, 5, 'float32', 3);
    const model = new SequentialState(new Lift(new LIFCell()), new SumDecoder());
    const lift = new Lift<LIFFeedForwardState>(new LIFCell());
    const [spikes, final] = lift.forward(x);
    await expectNoLeak(async () => {
      const [counts, state] = model.forward(x);
      expect(await values(counts)).toEqual(await readOf(() => sumDecode(spikes)));
      expect(await readOf(() => new MaxDecoder().forward(x))).toEqual(await readOf(() => maxDecode(x)));
      const decoder = new SpikesToTimesDecoder({ unit: 'index' });
      expect(await readOf(() => decoder.forward(spikes))).toEqual(await readOf(() => spikesToTimes(spikes, { unit: 'index' })));
      return [counts, state];
    });
    tf.dispose([x, spikes, final.v, final.i]);
    model.dispose();
    lift.dispose();
  });

  it('rejects tensors without a time axis and bad options', () => {
    const scalar = tf.scalar(1);
    const empty = tf.zeros([0, 2]);
    const z = spikeTrain();
    expect(() => sumDecode(scalar)).toThrow(/sumDecode: argument 'input' expected a tensor of rank ≥ 1/);
    expect(() => maxDecode(empty)).toThrow(/maxDecode: argument 'input' expected a sequence \[T, \.\.\.\] with T ≥ 1/);
    expect(() => spikesToTimes(z, { spikeCount: 0 })).toThrow(/options\.spikeCount/);
    expect(() => spikesToTimes(z, { unit: 'ms' as never })).toThrow(/options\.unit/);
    expect(() => spikesToTimes(z, { dt: -1 })).toThrow(/options\.dt/);
    expect(() => spikesToTimes(z, { never: Number.NaN })).toThrow(/options\.never/);
    expect(() => new SpikesToTimesDecoder({ spikeCount: 1.5 })).toThrow(/SpikesToTimesDecoder: argument 'options\.spikeCount'/);
    tf.dispose([scalar, empty, z]);
  });
});
