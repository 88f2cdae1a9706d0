import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { SeedSequence, poissonEncode, poissonEncodeStep, signedPoissonEncode, signedPoissonEncodeStep } from './index.js';
import { expectRejects, values } from './test-helpers.js';

const backends = await availableBackends();

describe('Poisson encoders: bad input', () => {
  const x = tf.fill([2, 3], 0.5);
  it('a sequence length that is not an integer ≥ 1', () => {
    expectRejects(() => poissonEncode(x, 0), /poissonEncode: argument 'seqLength' expected an integer ≥ 1; received 0/);
    expectRejects(() => signedPoissonEncode(x, 2.5), /signedPoissonEncode: argument 'seqLength' expected an integer ≥ 1; received 2.5/);
  });
  it('a rate, dt or seed out of range', () => {
    expectRejects(() => poissonEncode(x, 10, -1), /poissonEncode: argument 'fMax' expected a finite number ≥ 0; received -1/);
    expectRejects(() => poissonEncodeStep(x, NaN), /poissonEncodeStep: argument 'fMax' .* received NaN/);
    expectRejects(() => signedPoissonEncodeStep(x, 1000, 0), /signedPoissonEncodeStep: argument 'dt' expected a finite number > 0/);
    expectRejects(() => poissonEncode(x, 10, 100, 1e-3, 1.5), /poissonEncode: argument 'seed' expected an integer seed, a SeedSequence or undefined; received 1.5/);
    expectRejects(() => poissonEncodeStep(x, 1000, 1e-3, '7' as never), /argument 'seed' .* received "7"/);
  });
  it('an input that is not a float32 tensor', () => {
    const ints = tf.zeros([2], 'int32');
    expectRejects(() => poissonEncode([0.5] as never, 10), /poissonEncode: argument 'input' expected a tensor; received an array of length 1/);
    expectRejects(() => poissonEncodeStep(ints), /argument 'input' expected dtype float32; received a int32 tensor of shape \[2\]/);
    ints.dispose();
  });
});

describeEachBackend('Poisson encoders', backends, () => {
  it('sequences are [T, ...shape] of 0/1; signed ones carry the sign of the input', async () => {
    const x = tf.tensor2d([[0, 0.3, 1], [0.6, 0.9, 2]]);
    const z = poissonEncode(x, 20, 500);
    expect(z.shape).toEqual([20, 2, 3]);
    expect(new Set(await values(z))).toEqual(new Set([0, 1]));
    const s = tf.tensor1d([-2, -0.5, 0, 0.5, 2]);
    const zs = signedPoissonEncode(s, 50, 500);
    expect(zs.shape).toEqual([50, 5]);
    const v = await values(zs);
    for (let t = 0; t < 50; t++) {
      expect(v[t * 5]).toBe(-1); // p = 1 for |x| = 2 at 500 Hz
      expect(v[t * 5 + 1]).toBeLessThanOrEqual(0);
      expect(v[t * 5 + 2]).toBe(0);
      expect(v[t * 5 + 3]).toBeGreaterThanOrEqual(0);
      expect(v[t * 5 + 4]).toBe(1);
    }
    tf.dispose([x, s]);
  });

  it('p = dt·f_max·x: a rate of 0 never fires, p ≥ 1 always fires, the mean is p', async () => {
    const x = tf.tensor1d([0, 0.3, 1, 5]);
    const z = poissonEncode(x, 4000, 1000, 1e-3, 3);
    const mean = await values(tf.tidy(() => tf.mean(z, 0)));
    z.dispose();
    expect(mean[0]).toBe(0);
    expect(mean[2]).toBe(1);
    expect(mean[3]).toBe(1);
    expect(Math.abs(mean[1]! - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / 4000));
    const none = poissonEncodeStep(x, 0);
    expect(await values(none)).toEqual([0, 0, 0, 0]);
    x.dispose();
  });

  it('a seed reproduces exactly, on every backend alike; the steps of a sequence differ', async () => {
    const x = tf.fill([64], 0.5);
    const a = await values(poissonEncode(x, 8, 1000, 1e-3, 42));
    const b = await values(poissonEncode(x, 8, 1000, 1e-3, 42));
    const c = await values(poissonEncode(x, 8, 1000, 1e-3, 43));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    const steps = Array.from({ length: 8 }, (_, t) => a.slice(t * 64, (t + 1) * 64).join(''));
    expect(new Set(steps).size).toBe(8);
    // The seeded draws happen in JavaScript before reaching the backend: the same spikes everywhere.
    expect([a.reduce((s, v) => s + v, 0), a.reduce((s, v, k) => s + v * k, 0)]).toEqual(SEED_42_SPIKES);
    x.dispose();
  });

  it('single steps: a number seed repeats its sample, a SeedSequence gives fresh reproducible steps', async () => {
    const x = tf.fill([2, 50], 0.5);
    expect(await values(poissonEncodeStep(x, 1000, 1e-3, 5))).toEqual(await values(poissonEncodeStep(x, 1000, 1e-3, 5)));
    const run = async (seed: number): Promise<string[]> => {
      const seq = new SeedSequence(seed);
      const out: string[] = [];
      for (let t = 0; t < 5; t++) out.push((await values(signedPoissonEncodeStep(x, 1000, 1e-3, seq))).join(','));
      return out;
    };
    const first = await run(9);
    expect(await run(9)).toEqual(first);
    expect(new Set(first).size).toBe(5);
    x.dispose();
  });

  it('the spikes are real float32 values: transposed and reshaped they keep their count', async () => {
    // Large enough for WebGPU to compute on the device rather than hand small tensors to the CPU.
    const x = tf.tidy(() => tf.tile(tf.tensor2d([[0.2, 0], [0, 0.1]]), [8, 32]));
    const z = poissonEncode(x, 50, 1000, 1e-3, 5);
    const moved = tf.tidy(() => tf.reshape(tf.transpose(z, [1, 0, 2]), [800, 64]));
    const total = (await values(tf.sum(z)))[0]!;
    expect(total).toBeGreaterThan(0);
    expect((await values(tf.sum(moved)))[0]).toBe(total);
    expect(new Set(await values(moved))).toEqual(new Set([0, 1]));
    tf.dispose([x, z]);
  });

  it('leaks no tensor', async () => {
    const x = tf.fill([3, 4], 0.2);
    await expectNoLeak(() => [
      poissonEncode(x, 5), poissonEncodeStep(x), signedPoissonEncode(x, 5, 100, 1e-3, 1), signedPoissonEncodeStep(x, 1000, 1e-3, new SeedSequence(2)),
    ]);
    x.dispose();
  });
});

/**
 * `poissonEncode(fill([64], 0.5), 8, 1000, 1e-3, 42)` — 512 draws of p = 0.5 — found on cpu: the number
 * of spikes, and the sum of their flat indices (which any change of position would alter).
 */
const SEED_42_SPIKES = [258, 66424];
