import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { applyReset, isResetMethod, RESET_METHODS, resetSubtract, resetValue } from './index.js';

const backends = await availableBackends();

function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

describe('reset: bad input', () => {
  const z = tf.tensor([[1, 0, 1]]);
  const v = tf.tensor([[1.2, 0.4, 2.5]]);
  it('z or v not a tensor, or of different shapes', () => {
    expectRejects(() => resetValue([1, 0] as never, v, 0), /resetValue: argument 'z' expected a tensor; received an array of length 2/);
    const v2 = tf.zeros([3]);
    expectRejects(() => resetSubtract(z, v2, 1), /resetSubtract: argument 'v' expected shape \[1, 3\] \(the shape of 'z'\); received a float32 tensor of shape \[3\]/);
    v2.dispose();
  });
  it('a non-finite amount, or a tensor amount that does not broadcast', () => {
    expectRejects(() => resetValue(z, v, NaN), /resetValue: argument 'vReset' expected a finite number or a float32 tensor; received NaN/);
    const bad = tf.ones([2]);
    expectRejects(() => resetSubtract(z, v, bad), /resetSubtract: argument 'vTh' expected a number or a tensor that broadcasts to \[1, 3\]; received a float32 tensor of shape \[2\]/);
    bad.dispose();
  });
  it('an unknown method or a missing parameter object', () => {
    expectRejects(() => applyReset('hard' as never, z, v, { vTh: 1, vReset: 0 }), /applyReset: argument 'method' expected one of 'value', 'subtract'; received "hard"/);
    expectRejects(() => applyReset('value', z, v, null as never), /applyReset: argument 'p' expected an object with the fields vTh and vReset/);
    expectRejects(() => applyReset('subtract', z, v, { vTh: Infinity, vReset: 0 }), /argument 'p.vTh' expected a finite number/);
  });
  it('names the methods', () => {
    expect([...RESET_METHODS]).toEqual(['value', 'subtract']);
    expect(isResetMethod('subtract')).toBe(true);
    expect(isResetMethod('reset_subtract')).toBe(false);
  });
});

describeEachBackend('reset', backends, () => {
  it('value sets spiking neurons to v_reset; subtract removes v_th and keeps the excess', async () => {
    const z = tf.tensor([[1, 0, 1]]);
    const v = tf.tensor([[1.25, 0.5, 2.5]]);
    const hard = resetValue(z, v, -0.5);
    const soft = resetSubtract(z, v, 1);
    expect(Array.from(await hard.data())).toEqual([-0.5, 0.5, -0.5]);
    expect(Array.from(await soft.data())).toEqual([0.25, 0.5, 1.5]);
    const viaValue = applyReset('value', z, v, { vTh: 1, vReset: -0.5 });
    const viaSubtract = applyReset('subtract', z, v, { vTh: 1, vReset: -0.5 });
    expect(Array.from(await viaValue.data())).toEqual([-0.5, 0.5, -0.5]);
    expect(Array.from(await viaSubtract.data())).toEqual([0.25, 0.5, 1.5]);
    tf.dispose([z, v, hard, soft, viaValue, viaSubtract]);
  });

  it('takes per-neuron tensor amounts', async () => {
    const z = tf.tensor([[1, 1], [0, 1]]);
    const v = tf.tensor([[3, 3], [3, 3]]);
    const vTh = tf.tensor([1, 2]);
    const out = resetSubtract(z, v, vTh);
    expect(Array.from(await out.data())).toEqual([2, 1, 3, 1]);
    tf.dispose([z, v, vTh, out]);
  });

  it('the gradient flows through z: d(v − z·v_th)/dz = −v_th, d((1 − z)·v + z·v_reset)/dz = v_reset − v', async () => {
    const z = tf.tensor([0, 1]);
    const v = tf.tensor([0.5, 2]);
    const gs = tf.grad((x: tf.Tensor) => tf.sum(resetSubtract(x, v, 0.75)))(z);
    const gv = tf.grad((x: tf.Tensor) => tf.sum(resetValue(x, v, 0.25)))(z);
    expect(Array.from(await gs.data())).toEqual([-0.75, -0.75]);
    expect(Array.from(await gv.data())).toEqual([-0.25, -1.75]);
    tf.dispose([z, v, gs, gv]);
  });

  it('leaks nothing', async () => {
    const z = tf.tensor([1, 0]);
    const v = tf.tensor([1.5, 0.2]);
    await expectNoLeak(() => resetValue(z, v, 0), 'resetValue');
    await expectNoLeak(() => resetSubtract(z, v, 1), 'resetSubtract');
    await expectNoLeak(() => applyReset('subtract', z, v, { vTh: 1, vReset: 0 }), 'applyReset');
    tf.dispose([z, v]);
  });
});
