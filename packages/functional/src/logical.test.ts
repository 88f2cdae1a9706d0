import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { logicalAnd, logicalOr, logicalXor, mullerC, posedgeDetector } from './index.js';

const backends = await availableBackends();

function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

async function values(t: tf.Tensor): Promise<number[]> {
  try {
    return Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

describe('logical: bad input', () => {
  const a = tf.zeros([2, 3]);
  const b = tf.zeros([3]);
  it('arguments of different shapes, or not tensors', () => {
    expectRejects(() => logicalAnd(a, b), /logicalAnd: argument 'y' expected shape \[2, 3\] \(the shape of 'x'\); received a float32 tensor of shape \[3\]/);
    expectRejects(() => logicalXor(1 as never, a), /logicalXor: argument 'x' expected a tensor; received 1/);
    expectRejects(() => logicalOr(a, undefined as never), /logicalOr: argument 'y' expected a tensor; received undefined/);
    expectRejects(() => mullerC(a, a, b), /mullerC: argument 'x2' expected shape \[2, 3\] \(the shape of 'yPrev'\)/);
    expectRejects(() => posedgeDetector(b, a), /posedgeDetector: argument 'zPrev' expected shape \[3\] \(the shape of 'z'\)/);
  });
});

describeEachBackend('logical', backends, () => {
  it('AND, XOR, OR and the edge detector follow their truth tables', async () => {
    const x = tf.tensor([0, 0, 1, 1]);
    const y = tf.tensor([0, 1, 0, 1]);
    expect(await values(logicalAnd(x, y))).toEqual([0, 0, 0, 1]);
    expect(await values(logicalXor(x, y))).toEqual([0, 1, 1, 0]);
    expect(await values(logicalOr(x, y))).toEqual([0, 1, 1, 1]);
    expect(await values(posedgeDetector(x, y))).toEqual([0, 0, 1, 0]);
    tf.dispose([x, y]);
  });

  it('the Muller C-element follows agreeing inputs and otherwise holds its previous output', async () => {
    const yPrev = tf.tensor([0, 0, 0, 0, 1, 1, 1, 1]);
    const x1 = tf.tensor([0, 0, 1, 1, 0, 0, 1, 1]);
    const x2 = tf.tensor([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(await values(mullerC(yPrev, x1, x2))).toEqual([0, 0, 0, 1, 0, 1, 1, 1]);
    tf.dispose([yPrev, x1, x2]);
  });

  it('OR passes the SuperSpike surrogate gradient, AND the product rule', async () => {
    const x = tf.tensor([0, 1]);
    const y = tf.tensor([0, 0]);
    // d Θ(x + y)/dx = 1/(100·|x + y| + 1)²: 1 at 0, 1/101² at 1.
    const g = await values(tf.grad((t: tf.Tensor) => tf.sum(logicalOr(t, y)))(x));
    expect(g[0]).toBeCloseTo(1, 6);
    expect(g[1]).toBeCloseTo(1 / 101 ** 2, 8);
    const ga = await values(tf.grad((t: tf.Tensor) => tf.sum(logicalAnd(x, t)))(y));
    expect(ga).toEqual([0, 1]);
    tf.dispose([x, y]);
  });

  it('leaks nothing', async () => {
    const x = tf.tensor([0, 1, 1]);
    const y = tf.tensor([1, 1, 0]);
    await expectNoLeak(() => logicalAnd(x, y), 'logicalAnd');
    await expectNoLeak(() => logicalXor(x, y), 'logicalXor');
    await expectNoLeak(() => logicalOr(x, y), 'logicalOr');
    await expectNoLeak(() => mullerC(y, x, y), 'mullerC');
    await expectNoLeak(() => posedgeDetector(x, y), 'posedgeDetector');
    await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(mullerC(y, t, y)))(x), 'mullerC gradient');
    tf.dispose([x, y]);
  });
});
