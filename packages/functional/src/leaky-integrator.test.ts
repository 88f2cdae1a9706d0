import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { DEFAULT_LI_PARAMETERS, liFeedForwardIntegral, liFeedForwardStep, liInitialState, liStep, type LIState } from './index.js';

const backends = await availableBackends();

function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('LI: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = liInitialState([2, 3]);
  const h = liInitialState([2, 4]);
  const w = tf.zeros([4, 3]);

  it('input and state of different shapes, or the state of another model', () => {
    const bad = { v: tf.zeros([2, 4]), i: s.i };
    expectRejects(() => liFeedForwardStep(x, bad), /liFeedForwardStep: argument 'state.v' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[2, 4\]/);
    expectRejects(() => liFeedForwardStep(x, { v: s.v } as never), /field 'i' is missing .* another model/);
    expectRejects(() => liStep(x, s, w), /liStep: argument 'state.v' expected shape \[2, 4\] \(the shape of 'input @ inputWeightsᵀ'\); received a float32 tensor of shape \[2, 3\]/);
    bad.v.dispose();
  });
  it('input weights of the wrong shape or rank', () => {
    const wide = tf.zeros([4, 5]);
    const flat = tf.zeros([12]);
    expectRejects(() => liStep(x, h, wide), /liStep: argument 'inputWeights' expected shape \[4, 3\] \(\[hidden, input features\], input has 3 features\); received a float32 tensor of shape \[4, 5\]/);
    expectRejects(() => liStep(x, h, flat), /liStep: argument 'inputWeights' expected a rank-2 tensor/);
    expectRejects(() => liStep(x, h, 'w' as never), /argument 'inputWeights' expected a tensor/);
    tf.dispose([wide, flat]);
  });
  it('bad parameters and dt', () => {
    expectRejects(() => liFeedForwardStep(x, s, { vTh: 1 } as never), /liFeedForwardStep: argument 'p' has an unknown parameter 'vTh'/);
    expectRejects(() => liFeedForwardStep(x, s, { tauSynInv: -1 }), /'p.tauSynInv' expected a finite number > 0/);
    expectRejects(() => liStep(x, h, w, { vLeak: NaN }), /liStep: argument 'p.vLeak'.*received NaN/);
    const vLeak = tf.ones([3]);
    expectRejects(() => liStep(x, h, w, { vLeak }), /argument 'p.vLeak' expected a number or a tensor that broadcasts to \[2, 4\]/);
    expectRejects(() => liFeedForwardStep(x, s, {}, 0), /liFeedForwardStep: argument 'dt' expected a finite number > 0/);
    expectRejects(() => liStep(x, h, w, {}, NaN), /liStep: argument 'dt'/);
    vLeak.dispose();
  });
  it('integral input without a time dimension or with an empty one', () => {
    const flat = tf.zeros([3]);
    const empty = tf.zeros([0, 2, 3]);
    expectRejects(() => liFeedForwardIntegral(flat, s), /liFeedForwardIntegral: argument 'input' expected a tensor of rank ≥ 2/);
    expectRejects(() => liFeedForwardIntegral(empty, s), /T ≥ 1/);
    tf.dispose([flat, empty]);
  });
});

describeEachBackend('LI', backends, () => {
  it('returns the new voltage; the input enters the current before the voltage update', async () => {
    const x = tf.tensor([[2, 0]]);
    const s = { v: tf.zeros([1, 2]), i: tf.tensor([[0, 1]]) };
    const [out, next] = liFeedForwardStep(x, s);
    expect(out).toBe(next.v);
    // i⁺ = [2, 1]; v' = 0.1·i⁺; i' = 0.8·i⁺.
    const v = await values(next.v);
    const i = await values(next.i);
    [0.2, 0.1].forEach((e, k) => expect(v[k]).toBeCloseTo(e, 6));
    [1.6, 0.8].forEach((e, k) => expect(i[k]).toBeCloseTo(e, 6));
    tf.dispose([x, s.v, s.i, next.v, next.i]);
  });

  it('liStep with identity weights is the feed-forward step, for any leading shape', async () => {
    const input = tf.randomUniform([15, 2, 3, 4], -1, 1, 'float32', 7);
    const eye = tf.eye(4);
    const p = { tauSynInv: 150, tauMemInv: 70, vLeak: 0.1 };
    let ff: LIState = liInitialState([2, 3, 4], p);
    let w: LIState = liInitialState([2, 3, 4], p);
    for (const xt of tf.unstack(input)) {
      const [v1, s1] = liFeedForwardStep(xt, ff, p);
      const [v2, s2] = liStep(xt, w, eye, p);
      expect(await values(v2)).toEqual(await values(v1));
      expect(await values(s2.i)).toEqual(await values(s1.i));
      tf.dispose([xt, ff.v, ff.i, w.v, w.i]);
      ff = s1;
      w = s2;
    }
    tf.dispose([input, eye, ff.v, ff.i, w.v, w.i]);
  });

  it('liStep sums weighted inputs into the current', async () => {
    const x = tf.tensor([[1, 0, 1]]);
    const w = tf.tensor([[1, 2, 3], [-1, 5, 0]]);
    const s = liInitialState([1, 2]);
    const [, next] = liStep(x, s, w);
    const i = await values(next.i);
    [3.2, -0.8].forEach((e, k) => expect(i[k]).toBeCloseTo(e, 5));
    tf.dispose([x, w, s.v, s.i, next.v, next.i]);
  });

  it('the integral equals the rollout, and nothing leaks', async () => {
    const input = tf.randomUniform([12, 2, 3], 0, 2, 'float32', 9);
    const s0 = liInitialState([2, 3]);
    const [vs, final] = liFeedForwardIntegral(input, s0);
    let s = s0;
    const outs: tf.Tensor[] = [];
    for (const xt of tf.unstack(input)) {
      const [vt, next] = liFeedForwardStep(xt, s);
      outs.push(vt);
      if (s !== s0) tf.dispose(s.i);
      s = next;
    }
    const stacked = tf.stack(outs);
    expect(await values(vs)).toEqual(await values(stacked));
    expect(await values(final.i)).toEqual(await values(s.i));
    tf.dispose([input, vs, final.v, final.i, stacked, s.i, ...outs]);

    const x = tf.ones([2, 3]);
    const w = tf.ones([4, 3]);
    const h = liInitialState([2, 4]);
    await expectNoLeak(() => liFeedForwardStep(x, s0, DEFAULT_LI_PARAMETERS), 'liFeedForwardStep');
    await expectNoLeak(() => liStep(x, h, w), 'liStep');
    await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(liStep(x, h, t)[0]))(w), 'liStep gradient');
    const seq = tf.ones([10, 2, 3]);
    await expectNoLeak(() => liFeedForwardIntegral(seq, s0), 'liFeedForwardIntegral');
    tf.dispose([x, w, h.v, h.i, s0.v, s0.i, seq]);
  });
});
