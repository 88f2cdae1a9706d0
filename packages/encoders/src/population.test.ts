import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { euclideanDistance, gaussianRbf, populationEncode } from './index.js';
import { expectRejects, values } from './test-helpers.js';

const backends = await availableBackends();

/** The definition, in float64: exp(−(x − c_k)²·scale / 2) with c_k = k·scale/(n − 1). */
function reference(xs: number[], n: number, scale: number): number[] {
  return xs.flatMap((x) => Array.from({ length: n }, (_, k) => Math.exp(-((x - (k * scale) / (n - 1)) ** 2) * scale / 2)));
}

describe('populationEncode: bad input', () => {
  const x = tf.tensor1d([0.1, 0.5]);
  it('outFeatures, scale, kernel, distance', () => {
    const wide = tf.ones([2]);
    expectRejects(() => populationEncode(x, 0), /populationEncode: argument 'outFeatures' expected an integer ≥ 1; received 0/);
    expectRejects(() => populationEncode(x, 4, -1), /argument 'scale' expected a finite number > 0; received -1/);
    expectRejects(() => populationEncode(x, 4, wide), /argument 'scale' expected a number > 0 or a tensor holding one value; received a float32 tensor of shape \[2\]/);
    expectRejects(() => populationEncode(x, 4, 1, 'gauss' as never), /argument 'kernel' expected a function/);
    expectRejects(() => populationEncode(x, 4, 1, gaussianRbf, 3 as never), /argument 'distance' expected a function/);
    expectRejects(() => gaussianRbf(x, 0), /gaussianRbf: argument 'sigma' expected a finite number > 0; received 0/);
    expectRejects(() => gaussianRbf([1] as never), /gaussianRbf: argument 'distance' expected a tensor/);
    expectRejects(() => euclideanDistance(x, 0.5 as never), /euclideanDistance: argument 'y' expected a tensor; received 0.5/);
    wide.dispose();
  });
});

describeEachBackend('populationEncode', backends, () => {
  it('Gaussian tuning curves around centres evenly spread on [0, scale]: [...shape, outFeatures]', async () => {
    const x = tf.tensor2d([[0, 0.4, 1], [1.5, 2, 0.25]]);
    const z = populationEncode(x, 5, 2);
    expect(z.shape).toEqual([2, 3, 5]);
    const got = await values(z);
    reference([0, 0.4, 1, 1.5, 2, 0.25], 5, 2).forEach((e, k) => expect(got[k]).toBeCloseTo(e, 5));
    x.dispose();
  });

  it('without a scale, the input maximum is the scale; a scalar tensor scale equals the number', async () => {
    const x = tf.tensor1d([0.5, 3, 1.2]);
    const s = tf.scalar(3);
    const auto = await values(populationEncode(x, 4));
    expect(await values(populationEncode(x, 4, 3))).toEqual(auto);
    expect(await values(populationEncode(x, 4, s))).toEqual(auto);
    reference([0.5, 3, 1.2], 4, 3).forEach((e, k) => expect(auto[k]).toBeCloseTo(e, 5));
    tf.dispose([x, s]);
  });

  it('takes another kernel and distance; one feature has its centre at 0', async () => {
    const x = tf.tensor1d([1, 2]);
    const absolute = (a: tf.Tensor, c: tf.Tensor): tf.Tensor => tf.abs(tf.sub(a, c));
    const got = await values(populationEncode(x, 3, 2, (d) => tf.sub(1, d), absolute));
    // centres 0, 1, 2; 1 − |x − c|·2
    expect(got).toEqual([-1, 1, -1, -3, -1, 1]);
    const single = await values(populationEncode(x, 1, 2));
    expect(single[0]).toBeCloseTo(Math.exp(-1), 6);
    expect(single[1]).toBeCloseTo(Math.exp(-4), 6);
    const half = tf.scalar(0.5);
    expect(await values(euclideanDistance(x, half))).toEqual([0.25, 2.25]);
    tf.dispose([x, half]);
  });

  it('leaks no tensor', async () => {
    const x = tf.tensor2d([[0.2, 0.9]]);
    await expectNoLeak(() => [populationEncode(x, 6), populationEncode(x, 6, 1.5)]);
    x.dispose();
  });
});
