import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { lifCurrentEncoder } from '@snn/functional';
import { constantCurrentLifEncode, spikeLatencyLifEncode } from './index.js';
import { expectRejects, values } from './test-helpers.js';

const backends = await availableBackends();

describe('LIF encoders: bad input', () => {
  const x = tf.fill([2, 3], 2);
  it('sequence length, parameters, dt, input', () => {
    const vTh = tf.ones([4]);
    expectRejects(() => constantCurrentLifEncode(x, 0), /constantCurrentLifEncode: argument 'seqLength' expected an integer ≥ 1; received 0/);
    expectRejects(() => spikeLatencyLifEncode(x, 10, { tauMem: 1 } as never), /spikeLatencyLifEncode: argument 'p' has an unknown parameter 'tauMem'/);
    expectRejects(() => constantCurrentLifEncode(x, 10, { tauMemInv: -1 }), /argument 'p.tauMemInv' expected a finite number > 0/);
    expectRejects(() => constantCurrentLifEncode(x, 10, { vTh }), /argument 'p.vTh' expected a number or a tensor that broadcasts to \[2, 3\]/);
    expectRejects(() => constantCurrentLifEncode(x, 10, {}, -1e-3), /argument 'dt' expected a finite number > 0/);
    expectRejects(() => spikeLatencyLifEncode(3 as never, 10), /spikeLatencyLifEncode: argument 'inputCurrent' expected a tensor; received 3/);
    vTh.dispose();
  });
});

describeEachBackend('LIF encoders', backends, () => {
  it('constantCurrentLifEncode is lifCurrentEncoder rolled from v = 0 with a constant input', async () => {
    const current = tf.tensor2d([[0, 0.5, 1.5, 3], [6, 12, 25, 60]]);
    const p = { tauMemInv: 150, vTh: 0.9, vReset: -0.1 };
    const z = constantCurrentLifEncode(current, 30, p);
    expect(z.shape).toEqual([30, 2, 4]);
    const expected: number[] = [];
    let v: tf.Tensor = tf.zerosLike(current);
    for (let t = 0; t < 30; t++) {
      const [s, next] = lifCurrentEncoder(current, v, p);
      expected.push(...(await values(s)));
      v.dispose();
      v = next;
    }
    v.dispose();
    const got = await values(z);
    expect(got).toEqual(expected);
    // More current, more spikes; no current, none.
    const counts = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => got.filter((s, k) => k % 8 === n && s === 1).length);
    expect(counts[0]).toBe(0);
    for (let n = 1; n < 8; n++) expect(counts[n]).toBeGreaterThanOrEqual(counts[n - 1]!);
    expect(counts[7]).toBeGreaterThan(counts[4]!);
    current.dispose();
  });

  it('with the default leak and reset (the whole loop as one LIFBox integral): the step rollout, values and gradients', async () => {
    // Images' rank ([B, H, W, C]): the sequence is rank 5.
    const current = tf.tensor4d([0, 0.5, 1.5, 3, 6, 12, 25, 60], [2, 2, 2, 1]);
    const p = { tauMemInv: 150, vTh: 0.9, alpha: 30 };
    const weights = tf.linspace(0.5, 2, 30 * 8).reshape([30, 2, 2, 2, 1]);
    const stepped = (c: tf.Tensor): tf.Tensor => {
      const out: tf.Tensor[] = [];
      let v: tf.Tensor = tf.zerosLike(c);
      for (let t = 0; t < 30; t++) {
        const [s, next] = lifCurrentEncoder(c, v, p);
        out.push(s);
        v = next;
      }
      return tf.stack(out);
    };
    await expectNoLeak(async () => {
      const z = constantCurrentLifEncode(current, 30, p);
      const expected = tf.tidy(() => stepped(current));
      expect(z.shape).toEqual([30, 2, 2, 2, 1]);
      expect(await values(z)).toEqual(await values(expected));
      const g = tf.grad((c: tf.Tensor) => tf.sum(tf.mul(constantCurrentLifEncode(c, 30, p), weights)))(current);
      const gExpected = tf.grad((c: tf.Tensor) => tf.sum(tf.mul(stepped(c), weights)))(current);
      const [a, b] = [await values(g), await values(gExpected)];
      expect(a.some((v) => v !== 0)).toBe(true);
      a.forEach((v, k) => expect(Math.abs(v - b[k]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(b[k]!))));
      return [z, expected, g, gExpected];
    });
    tf.dispose([current, weights]);
  });

  it('spikeLatencyLifEncode keeps the first spike of the constant-current code; stronger fires sooner', async () => {
    const current = tf.tensor1d([0, 2, 5, 8, 12]);
    const all = await values(constantCurrentLifEncode(current, 40));
    const first = await values(spikeLatencyLifEncode(current, 40));
    const latency: number[] = [];
    for (let n = 0; n < 5; n++) {
      const times = Array.from({ length: 40 }, (_, t) => t).filter((t) => all[t * 5 + n] === 1);
      const kept = Array.from({ length: 40 }, (_, t) => t).filter((t) => first[t * 5 + n] === 1);
      expect(kept).toEqual(times.slice(0, 1));
      latency.push(kept[0] ?? Infinity);
    }
    expect(latency[0]).toBe(Infinity);
    for (let n = 2; n < 5; n++) expect(latency[n]).toBeLessThan(latency[n - 1]!);
    current.dispose();
  });

  it('is differentiable in the current through the surrogate', async () => {
    const current = tf.tensor1d([0.8, 1.5]);
    const g = tf.grad((c: tf.Tensor) => tf.sum(constantCurrentLifEncode(c, 20)))(current);
    const grad = await values(g);
    expect(grad.every((v) => Number.isFinite(v))).toBe(true);
    expect(grad.some((v) => v !== 0)).toBe(true);
    current.dispose();
  });

  it('leaks no tensor', async () => {
    const current = tf.fill([2, 3], 4);
    await expectNoLeak(() => [constantCurrentLifEncode(current, 12), spikeLatencyLifEncode(current, 12, { vTh: 0.5 })]);
    current.dispose();
  });
});
