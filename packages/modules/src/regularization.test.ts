import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import type { LIFFeedForwardState } from '@snn/functional';
import { LIFCell } from './lif.js';
import { RegularizationCell, spikeAccumulator, squaredVoltageAccumulator, voltageAccumulator, type Accumulator } from './regularization.js';

const backends = await availableBackends();

/** Runs a LIF cell over `steps` and a regularisation cell beside it; returns the term and the recorded spikes and voltages. */
function run(accumulator: Accumulator, xs: Tensor, cell: LIFCell): { term: Tensor; z: Tensor; v: Tensor } {
  return tf.tidy(() => {
    const reg = new RegularizationCell(accumulator);
    let s: LIFFeedForwardState | undefined;
    let term: Tensor | undefined;
    const zs: Tensor[] = [];
    const vs: Tensor[] = [];
    for (const x of tf.unstack(xs)) {
      const [z, next] = cell.forward(x, s);
      const [passed, t] = reg.forward(z, next, term);
      expect(passed).toBe(z);
      zs.push(z);
      vs.push(next.v);
      s = next;
      term = t;
    }
    return { term: term!, z: tf.stack(zs), v: tf.stack(vs) };
  });
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

describeEachBackend('RegularizationCell', backends, () => {
  const xs = (): Tensor => tf.randomUniform([20, 2, 5], 0, 6, 'float32', 11);

  it('counts spikes by default (a scalar Σ_t Σ z_t)', async () => {
    const cell = new LIFCell();
    const input = xs();
    await expectNoLeak(async () => {
      const { term, z, v } = run(spikeAccumulator, input, cell);
      expect(term.shape).toEqual([]);
      const [count] = await readOf(() => tf.sum(z));
      expect(count).toBeGreaterThan(0);
      expect((await term.data())[0]).toBe(count);
      return [term, z, v];
    });
    input.dispose();
    cell.dispose();
  });

  it('sums voltages per neuron (Norse\'s voltage accumulator) and squared voltages overall', async () => {
    const cell = new LIFCell();
    const input = xs();
    await expectNoLeak(async () => {
      const sum = run(voltageAccumulator, input, cell);
      const squared = run(squaredVoltageAccumulator, input, cell);
      expect(sum.term.shape).toEqual([2, 5]);
      const expectedSum = await readOf(() => tf.sum(sum.v, 0));
      Array.from(await sum.term.data()).forEach((a, k) => expect(a).toBeCloseTo(expectedSum[k]!, 4));
      expect(squared.term.shape).toEqual([]);
      expect((await squared.term.data())[0]).toBeCloseTo((await readOf(() => tf.sum(tf.square(squared.v))))[0]!, 3);
      return [sum, squared];
    });
    input.dispose();
    cell.dispose();
  });

  it('is differentiable: the term added to a loss sends gradients back to the input', async () => {
    const cell = new LIFCell();
    const input = xs();
    const grad = tf.grad((x: Tensor) => run(squaredVoltageAccumulator, x, cell).term)(input);
    const g = await grad.data();
    expect(g.some((d) => d !== 0)).toBe(true);
    expect(g.every(Number.isFinite)).toBe(true);
    tf.dispose([grad, input]);
    cell.dispose();
  });

  it('rejects a non-function accumulator, a state without voltage and a mis-shaped term', () => {
    expect(() => new RegularizationCell(3 as never)).toThrow(/RegularizationCell: argument 'accumulator' expected a function.*received 3/);
    const z = tf.zeros([2, 3]);
    const wrong = tf.zeros([3]);
    const reg = new RegularizationCell(voltageAccumulator);
    expect(() => reg.forward(z, { i: z })).toThrow(/voltageAccumulator: argument 'cellState' expected a neuron state with a voltage tensor v/);
    expect(() => reg.forward(z, { v: z }, wrong)).toThrow(/voltageAccumulator: argument 'term' expected shape \[2, 3\]/);
    expect(() => new RegularizationCell().forward(z, undefined, wrong)).toThrow(/spikeAccumulator: argument 'term' expected a rank-0 tensor/);
    expect(() => new RegularizationCell().forward('z' as never, undefined)).toThrow(/argument 'z' expected a tensor/);
    tf.dispose([z, wrong]);
    reg.dispose();
    expect(() => reg.forward(z, undefined)).toThrow(/disposed/);
  });
});
