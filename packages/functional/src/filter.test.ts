import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { expFilter, expFilterStep } from './index.js';

const backends = await availableBackends();

function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('exponential filter: bad input', () => {
  const a = tf.zeros([2, 3]);
  it('old and newValue of different shapes, or not tensors', () => {
    const b = tf.zeros([3, 2]);
    expectRejects(() => expFilterStep(a, b, 0.9), /expFilterStep: argument 'newValue' expected shape \[2, 3\] \(the shape of 'old'\); received a float32 tensor of shape \[3, 2\]/);
    expectRejects(() => expFilterStep([0] as never, a, 0.9), /expFilterStep: argument 'old' expected a tensor/);
    b.dispose();
  });
  it('a parameter that is not finite, not a number, or does not broadcast', () => {
    expectRejects(() => expFilterStep(a, a, NaN), /expFilterStep: argument 'parameter' expected a finite number or a float32 tensor; received NaN/);
    expectRejects(() => expFilterStep(a, a, '0.9' as never), /argument 'parameter' expected a tensor; received "0.9"/);
    const p = tf.ones([2]);
    expectRejects(() => expFilterStep(a, a, p), /argument 'parameter' expected a number or a tensor that broadcasts to \[2, 3\]/);
    const seq = tf.zeros([4, 2, 3]);
    expectRejects(() => expFilter(seq, p), /expFilter: argument 'parameter' expected a number or a tensor that broadcasts to \[2, 3\]/);
    tf.dispose([p, seq]);
  });
  it('a sequence without steps or without a time axis', () => {
    const empty = tf.zeros([0, 3]);
    const scalar = tf.scalar(1);
    expectRejects(() => expFilter(empty, 0.5), /expFilter: argument 'input' expected a sequence \[T, ...\] with T ≥ 1/);
    expectRejects(() => expFilter(scalar, 0.5), /expFilter: argument 'input' expected a tensor of rank ≥ 1/);
    tf.dispose([empty, scalar]);
  });
});

describeEachBackend('exponential filter', backends, () => {
  it('one step is parameter·old + new', async () => {
    const old = tf.tensor([1, 2, -4]);
    const x = tf.tensor([0.5, 0, 1]);
    const y = expFilterStep(old, x, 0.5);
    expect(await values(y)).toEqual([1, 1, -1]);
    const p = tf.tensor([0, 1, 0.25]);
    const yt = expFilterStep(old, x, p);
    expect(await values(yt)).toEqual([0.5, 2, 0]);
    tf.dispose([old, x, y, p, yt]);
  });

  it('the sequence filter is the step rolled from zero, and settles at x/(1 − a)', async () => {
    const input = tf.randomUniform([30, 2, 3], -1, 1, 'float32', 19);
    const out = expFilter(input, 0.9);
    let y = tf.zeros([2, 3]);
    const ys: tf.Tensor[] = [];
    for (const xt of tf.unstack(input)) {
      const next = expFilterStep(y, xt, 0.9);
      ys.push(next);
      xt.dispose();
      y = next;
    }
    const stacked = tf.stack(ys);
    expect(await values(out)).toEqual(await values(stacked));
    tf.dispose([input, out, stacked, ...ys]);

    const ones = tf.ones([200, 1]);
    const settled = expFilter(ones, 0.75);
    expect((await values(settled))[199]).toBeCloseTo(4, 5);
    tf.dispose([ones, settled]);
  });

  it('leaks nothing', async () => {
    const a = tf.ones([2, 3]);
    const seq = tf.ones([10, 2, 3]);
    const p = tf.fill([3], 0.5);
    await expectNoLeak(() => expFilterStep(a, a, 0.9), 'expFilterStep');
    await expectNoLeak(() => expFilter(seq, p), 'expFilter');
    await expectNoLeak(() => tf.grad((x: tf.Tensor) => tf.sum(expFilter(x, 0.9)))(seq), 'expFilter gradient');
    tf.dispose([a, seq, p]);
  });
});
