import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { ExpFilter, ExpFilterCell, type ExpFilterState } from './exp-filter.js';
import { Lift } from './lift.js';

const backends = await availableBackends();

function close(actual: ArrayLike<number>, expected: readonly number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((a, k) => expect(a).toBeCloseTo(expected[k]!, digits));
}

describeEachBackend('ExpFilter', backends, () => {
  it('maps through its weights, then filters: y_t = a·y_{t−1} + W x_t + b', async () => {
    const w = tf.tensor2d([[1, 0], [0, 2]]);
    // a = exp(−dt·τ⁻¹) = 0.5
    const filter = new ExpFilter(2, 2, { inputWeights: w, tauFilterInv: Math.LN2 / 1e-3, bias: false });
    expect(filter.parameter).toBeCloseTo(0.5, 12);
    expect([...filter.namedVariables().keys()]).toEqual(['inputWeights']);
    const x = tf.tensor3d([[[1, 0]], [[0, 1]], [[2, 2]]]);
    await expectNoLeak(async () => {
      const y = filter.forward(x);
      expect(y.shape).toEqual([3, 1, 2]);
      close(await y.data(), [1, 0, 0.5, 2, 2.25, 5]);
      return y;
    });
    tf.dispose([w, x]);
    filter.dispose();
  });

  it('defaults to a = e⁻¹ with a bias, and its cell gives the same sequence step by step under Lift', async () => {
    const filter = new ExpFilter(3, 2, { seed: 4 });
    expect(filter.parameter).toBeCloseTo(Math.exp(-1), 12);
    expect([...filter.namedVariables().keys()]).toEqual(['inputWeights', 'bias']);
    const cell = new ExpFilterCell(3, 2, { seed: 9 });
    const weights = filter.getWeights();
    cell.setWeights(weights);
    const x = tf.randomNormal([6, 4, 3], 0, 1, 'float32', 5);
    const lifted = new Lift(cell);
    await expectNoLeak(async () => {
      const y = filter.forward(x);
      const [ys, last] = lifted.forward(x);
      close(await ys.data(), Array.from(await y.data()));
      const lastStep = tf.slice(y, 5, 1);
      close(await (last as ExpFilterState).y.data(), Array.from(await lastStep.data()));
      return [y, ys, last, lastStep];
    }, 'filter and cell');
    tf.dispose([x, ...Object.values(weights)]);
    filter.dispose();
    lifted.dispose();
  });

  it('trains: gradients reach the weights and the bias', async () => {
    const filter = new ExpFilter(2, 3, { seed: 1 });
    const x = tf.randomNormal([5, 2, 2], 0, 1, 'float32', 2);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(filter.forward(x))) as tf.Scalar, filter.trainableVariables());
    expect(Object.keys(grads)).toHaveLength(2);
    for (const g of Object.values(grads)) expect((await g.data()).some((d) => d !== 0)).toBe(true);
    tf.dispose([x, value, ...Object.values(grads)]);
    filter.dispose();
  });

  it('rejects bad sizes, weights, time constants and inputs', () => {
    const w = tf.zeros([2, 3]);
    expect(() => new ExpFilter(0, 2)).toThrow(/ExpFilter: argument 'inputSize' expected an integer ≥ 1; received 0/);
    expect(() => new ExpFilter(2, 3, { inputWeights: w })).toThrow(/options\.inputWeights' expected shape \[3, 2\]/);
    expect(() => new ExpFilter(2, 2, { tauFilterInv: -1 })).toThrow(/options\.tauFilterInv/);
    expect(() => new ExpFilter(2, 2, { dt: 0 })).toThrow(/options\.dt/);
    const filter = new ExpFilter(3, 2);
    const cell = new ExpFilterCell(3, 2);
    const x = tf.zeros([4, 1, 2]);
    expect(() => filter.forward(x)).toThrow(/ExpFilter\.forward: argument 'input' expected a sequence \[T ≥ 1, \.\.\., 3\]/);
    const good = tf.zeros([1, 3]);
    const badState = tf.zeros([1, 3]);
    expect(() => cell.forward(good, { y: badState })).toThrow(/argument 'state\.y' expected shape \[1, 2\]/);
    expect(() => cell.forward(good, badState as never)).toThrow(/argument 'state\.y' expected a tensor/);
    tf.dispose([w, x, good, badState]);
    filter.dispose();
    cell.dispose();
    expect(() => filter.forward(x)).toThrow(/disposed/);
  });
});
