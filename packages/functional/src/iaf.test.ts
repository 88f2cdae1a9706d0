import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  DEFAULT_IAF_PARAMETERS, iafFeedForwardInitialState, iafFeedForwardIntegral, iafFeedForwardStep, iafInitialState, iafStep,
  type IAFFeedForwardState, type IAFState,
} from './index.js';

const backends = await availableBackends();

function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('IAF: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = iafFeedForwardInitialState([2, 3]);
  const r = iafInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('input and state of different shapes, or the state of another model', () => {
    expectRejects(() => iafFeedForwardStep(x, { v: r.v }), /iafFeedForwardStep: argument 'state.v' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[2, 4\]/);
    expectRejects(() => iafStep(x, { v: r.v } as never, win, wrec), /iafStep: argument 'state.z' expected a tensor; received undefined/);
    expectRejects(() => iafFeedForwardStep(x, null as never), /argument 'state' expected a state object with the fields v/);
  });
  it('weights of the wrong shape', () => {
    const badIn = tf.zeros([3, 3]);
    const badRec = tf.zeros([4, 2]);
    expectRejects(() => iafStep(x, r, badIn, wrec), /iafStep: argument 'recurrentWeights' expected shape \[3, 3\]/);
    expectRejects(() => iafStep(x, r, win, badRec), /iafStep: argument 'recurrentWeights' expected shape \[4, 4\]/);
    const wide = tf.zeros([4, 7]);
    expectRejects(() => iafStep(x, r, wide, wrec), /iafStep: argument 'inputWeights' expected shape \[4, 3\]/);
    tf.dispose([badIn, badRec, wide]);
  });
  it('bad parameters and dt', () => {
    expectRejects(() => iafFeedForwardStep(x, s, { tauMemInv: 1 } as never), /iafFeedForwardStep: argument 'p' has an unknown parameter 'tauMemInv'/);
    expectRejects(() => iafFeedForwardStep(x, s, { method: 'relu' as never }), /argument 'p.method' expected one of heaviside, super/);
    expectRejects(() => iafFeedForwardStep(x, s, { alpha: 0 }), /'p.alpha' expected a finite number ≥ 1.1754943508222875e-38/);
    // Beyond float32 (the fused kernels take α as a float32 attribute, where it would become ∞).
    expectRejects(() => iafFeedForwardStep(x, s, { alpha: 1e39 }), /'p.alpha' expected a finite number ≥ 1.1754943508222875e-38 ≤ 3.4028234663852886e\+38; received 1e\+39/);
    expectRejects(() => iafFeedForwardStep(x, s, { vReset: NaN }), /'p.vReset'.*received NaN/);
    const vTh = tf.ones([2, 1, 3]);
    expectRejects(() => iafFeedForwardStep(x, s, { vTh }), /argument 'p.vTh' expected a number or a tensor that broadcasts to \[2, 3\]/);
    expectRejects(() => iafFeedForwardStep(x, s, {}, '1e-3' as never), /argument 'dt' expected a finite number > 0 \(seconds\); received "1e-3"/);
    vTh.dispose();
  });
  it('integral input without a time dimension or with an empty one', () => {
    const flat = tf.zeros([3]);
    const empty = tf.zeros([0, 2, 3]);
    expectRejects(() => iafFeedForwardIntegral(flat, s), /iafFeedForwardIntegral: argument 'input' expected a tensor of rank ≥ 2/);
    expectRejects(() => iafFeedForwardIntegral(empty, s), /T ≥ 1/);
    tf.dispose([flat, empty]);
  });
});

describeEachBackend('IAF', backends, () => {
  it('integrates without leak and resets to v_reset; dt plays no part', async () => {
    const input = tf.fill([6, 1, 1], 0.375);
    const s0 = iafFeedForwardInitialState([1, 1]);
    const [z1, f1] = iafFeedForwardIntegral(input, s0, { vReset: -0.125 });
    const [z2, f2] = iafFeedForwardIntegral(input, s0, { vReset: -0.125 }, 0.5);
    // 0.375, 0.75, 1.125 → spike, −0.125, 0.25, 0.625, 1.0 (not above v_th = 1).
    expect(await values(z1)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(await values(f1.v)).toEqual([1]);
    expect(await values(z2)).toEqual(await values(z1));
    expect(await values(f2.v)).toEqual([1]);
    tf.dispose([input, s0.v, z1, f1.v, z2, f2.v]);
  });

  it('the recurrent step with identity input weights and no recurrent weights is the feed-forward step', async () => {
    const input = tf.randomUniform([20, 2, 4], -0.2, 0.6, 'float32', 17);
    const eye = tf.eye(4);
    const zero = tf.zeros([4, 4]);
    let ff: IAFFeedForwardState = iafFeedForwardInitialState([2, 4]);
    let rec: IAFState = iafInitialState(2, 4);
    let spikes = 0;
    for (const xt of tf.unstack(input)) {
      const [z1, s1] = iafFeedForwardStep(xt, ff);
      const [z2, s2] = iafStep(xt, rec, eye, zero);
      expect(await values(z2)).toEqual(await values(z1));
      expect(await values(s2.v)).toEqual(await values(s1.v));
      spikes += (await z1.sum().data())[0]!;
      tf.dispose([xt, z1, ff.v, rec.z, rec.v]);
      ff = s1;
      rec = s2;
    }
    expect(spikes).toBeGreaterThan(0);
    tf.dispose([input, eye, zero, ff.v, rec.z, rec.v]);
  });

  it('recurrent spikes add z·W_recᵀ to the voltage', async () => {
    const x = tf.zeros([1, 2]);
    const win = tf.zeros([2, 2]);
    const wrec = tf.tensor([[0, 0.5], [0, 0]]);
    const s = { z: tf.tensor([[0, 1]]), v: tf.tensor([[0.25, 0.25]]) };
    const [z, next] = iafStep(x, s, win, wrec);
    expect(await values(next.v)).toEqual([0.75, 0.25]);
    expect(await values(z)).toEqual([0, 0]);
    tf.dispose([x, win, wrec, s.z, s.v, z, next.v]);
  });

  it('the surrogate carries a gradient to the input, and nothing leaks', async () => {
    const x = tf.fill([2, 3], 0.9);
    const s = iafFeedForwardInitialState([2, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(iafFeedForwardStep(t, s)[0]))(x);
    // dz/dx = 1/(α·|v − v_th| + 1)² = 1/(100·0.1 + 1)² = 1/121.
    (await values(g)).forEach((gk) => expect(gk).toBeCloseTo(1 / 121, 4));
    await expectNoLeak(() => iafFeedForwardStep(x, s, DEFAULT_IAF_PARAMETERS), 'iafFeedForwardStep');
    const r = iafInitialState(2, 4);
    const win = tf.ones([4, 3]);
    const wrec = tf.ones([4, 4]);
    await expectNoLeak(() => iafStep(x, r, win, wrec), 'iafStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(iafStep(x, r, w, wrec)[1].v))(win), 'iafStep gradient');
    const seq = tf.ones([10, 2, 3]);
    await expectNoLeak(() => iafFeedForwardIntegral(seq, s), 'iafFeedForwardIntegral');
    tf.dispose([x, s.v, g, r.z, r.v, win, wrec, seq]);
  });
});
