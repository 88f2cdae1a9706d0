import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  DEFAULT_LIF_BOX_PARAMETERS, lifBoxFeedForwardInitialState, lifBoxFeedForwardIntegral, lifBoxFeedForwardStep, lifBoxInitialState,
  lifBoxStep, type LIFBoxFeedForwardState, type LIFBoxState,
} from './index.js';

const backends = await availableBackends();

function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

describe('LIFBox: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lifBoxFeedForwardInitialState([2, 3]);
  const r = lifBoxInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('input and state of different shapes, or the state of another model', () => {
    const bad = { v: tf.zeros([2, 4]) };
    expectRejects(() => lifBoxFeedForwardStep(x, bad), /lifBoxFeedForwardStep: argument 'state.v' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[2, 4\]/);
    expectRejects(() => lifBoxFeedForwardStep(x, { i: s.v } as never), /field 'v' is missing .* another model/);
    expectRejects(() => lifBoxStep(x, { v: r.v } as never, win, wrec), /lifBoxStep: argument 'state.z' expected a tensor; received undefined/);
    expectRejects(() => lifBoxFeedForwardStep('x' as never, s), /argument 'input' expected a tensor; received "x"/);
    bad.v.dispose();
  });
  it('weights of the wrong shape', () => {
    const badIn = tf.zeros([4, 5]);
    const badRec = tf.zeros([3, 3]);
    expectRejects(() => lifBoxStep(x, r, badIn, wrec), /lifBoxStep: argument 'inputWeights' expected shape \[4, 3\].*received a float32 tensor of shape \[4, 5\]/);
    expectRejects(() => lifBoxStep(x, r, win, badRec), /lifBoxStep: argument 'recurrentWeights' expected shape \[4, 4\]/);
    tf.dispose([badIn, badRec]);
  });
  it('an unknown reset method, an unknown method, NaN, an unknown parameter, a bad time constant', () => {
    expectRejects(() => lifBoxFeedForwardStep(x, s, { resetMethod: 'hard' as never }), /lifBoxFeedForwardStep: argument 'p.resetMethod' expected one of 'value', 'subtract'; received "hard"/);
    expectRejects(() => lifBoxFeedForwardStep(x, s, { resetMethod: 'norse.torch.functional.reset.reset_value' as never }), /'p.resetMethod'/);
    expectRejects(() => lifBoxFeedForwardStep(x, s, { method: 'sigmoid' as never }), /argument 'p.method' expected one of heaviside, super/);
    expectRejects(() => lifBoxFeedForwardStep(x, s, { vTh: NaN }), /'p.vTh'.*received NaN/);
    expectRejects(() => lifBoxFeedForwardStep(x, s, { tauSynInv: 200 } as never), /unknown parameter 'tauSynInv'/);
    expectRejects(() => lifBoxFeedForwardStep(x, s, { tauMemInv: 0 }), /'p.tauMemInv' expected a finite number > 0/);
  });
  it('a tensor parameter that does not broadcast; dt not finite or ≤ 0', () => {
    const vTh = tf.ones([4]);
    const vLeak = tf.ones([3]);
    expectRejects(() => lifBoxFeedForwardStep(x, s, { vTh }), /argument 'p.vTh' expected a number or a tensor that broadcasts to \[2, 3\]/);
    expectRejects(() => lifBoxStep(x, r, win, wrec, { vLeak }), /argument 'p.vLeak' expected a number or a tensor that broadcasts to \[2, 4\]/);
    expectRejects(() => lifBoxFeedForwardStep(x, s, {}, -1e-3), /argument 'dt' expected a finite number > 0/);
    expectRejects(() => lifBoxStep(x, r, win, wrec, {}, Infinity), /'dt'/);
    tf.dispose([vTh, vLeak]);
  });
  it('integral input without a time dimension or with an empty one', () => {
    const flat = tf.zeros([3]);
    const empty = tf.zeros([0, 2, 3]);
    expectRejects(() => lifBoxFeedForwardIntegral(flat, s), /lifBoxFeedForwardIntegral: argument 'input' expected a tensor of rank ≥ 2/);
    expectRejects(() => lifBoxFeedForwardIntegral(empty, s), /T ≥ 1/);
    tf.dispose([flat, empty]);
  });
});

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describeEachBackend('LIFBox', backends, () => {
  it('one step: v += dt·τ⁻¹·(x + v_leak − v), then the chosen reset', async () => {
    const x = tf.tensor([[60, 10, 0]]);
    const s = { v: tf.tensor([[0.5, 0.5, 0.5]]) };
    const [zv, nv] = lifBoxFeedForwardStep(x, s, { resetMethod: 'value', vReset: -0.25 });
    const [zs, ns] = lifBoxFeedForwardStep(x, s, { resetMethod: 'subtract', vReset: -0.25 });
    // v' = 0.5 + 0.1·(x − 0.5) = [6.45, 1.45, 0.45]: the first two cross v_th = 1.
    expect(await values(zv)).toEqual([1, 1, 0]);
    expect(await values(zs)).toEqual([1, 1, 0]);
    expect(await values(nv.v)).toEqual([-0.25, -0.25, Math.fround(0.45)]);
    const soft = await values(ns.v);
    [5.45, 0.45, 0.45].forEach((e, k) => expect(soft[k]).toBeCloseTo(e, 5));
    tf.dispose([x, s.v, zv, nv.v, zs, ns.v]);
  });

  it('the subtract reset keeps the charge above the threshold, so the rate follows the input', async () => {
    // Almost no leak (dt·τ⁻¹ = 1e-6) and a constant drive of 0.45 per step, v_th = 1: in 10 steps the
    // soft reset fires 4 times (at 1.35, 1.25, 1.15, 1.05, the excess carried over), the hard reset
    // only 3 times (every third step, the excess thrown away).
    const p = { tauMemInv: 1e-3, vTh: 1 } as const;
    const x = tf.fill([10, 1, 1], 4.5e5);
    const s = lifBoxFeedForwardInitialState([1, 1]);
    const [zSoft] = lifBoxFeedForwardIntegral(x, s, { ...p, resetMethod: 'subtract' });
    const [zHard] = lifBoxFeedForwardIntegral(x, s, { ...p, resetMethod: 'value' });
    expect(await values(zSoft)).toEqual([0, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    expect(await values(zHard)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1, 0]);
    tf.dispose([x, s.v, zSoft, zHard]);
  });

  it('the recurrent step with identity input weights and no recurrent weights is the feed-forward step', async () => {
    const input = tf.randomUniform([25, 2, 4], 0, 120, 'float32', 3);
    const eye = tf.eye(4);
    const zero = tf.zeros([4, 4]);
    for (const resetMethod of ['value', 'subtract'] as const) {
      const p = { resetMethod, vLeak: 0.1, vReset: -0.2, vTh: 0.7, tauMemInv: 80 };
      let ff: LIFBoxFeedForwardState = lifBoxFeedForwardInitialState([2, 4], p);
      let rec: LIFBoxState = lifBoxInitialState(2, 4, p);
      let spikes = 0;
      for (const xt of tf.unstack(input)) {
        const [z1, s1] = lifBoxFeedForwardStep(xt, ff, p);
        const [z2, s2] = lifBoxStep(xt, rec, eye, zero, p);
        expect(await values(z2)).toEqual(await values(z1));
        expect(await values(s2.v)).toEqual(await values(s1.v));
        spikes += (await z1.sum().data())[0]!;
        tf.dispose([xt, z1, ff.v, rec.z, rec.v]);
        ff = s1;
        rec = s2;
      }
      expect(spikes).toBeGreaterThan(0);
      tf.dispose([ff.v, rec.z, rec.v]);
    }
    tf.dispose([input, eye, zero]);
  });

  it('the recurrent step adds z·W_recᵀ to the step current', async () => {
    const x = tf.tensor([[5, 0]]);
    const win = tf.tensor([[1, 0], [0, 1], [1, 1]]);
    const wrec = tf.tensor([[0, 0, 0], [50, 0, 0], [0, 0, 0]]);
    const state = { z: tf.tensor([[1, 0, 0]]), v: tf.zeros([1, 3]) };
    const [, next] = lifBoxStep(x, state, win, wrec);
    // Currents: [5, 0 + 50, 5]; v' = 0.1·current = [0.5, 5, 0.5]: neuron 1 spikes and is reset to 0.
    const v = await values(next.v);
    [0.5, 0, 0.5].forEach((e, k) => expect(v[k]).toBeCloseTo(e, 6));
    expect(await values(next.z)).toEqual([0, 1, 0]);
    tf.dispose([x, win, wrec, state.z, state.v, next.z, next.v]);
  });

  it('the integral equals the rollout and nothing leaks', async () => {
    const input = tf.randomUniform([20, 2, 3], 0, 150, 'float32', 5);
    const s0 = lifBoxFeedForwardInitialState([2, 3]);
    const [z, final] = lifBoxFeedForwardIntegral(input, s0, { resetMethod: 'subtract' });
    let s = s0;
    const zs: tf.Tensor[] = [];
    for (const xt of tf.unstack(input)) {
      const [zt, next] = lifBoxFeedForwardStep(xt, s, { resetMethod: 'subtract' });
      zs.push(zt);
      s = next;
    }
    const stacked = tf.stack(zs);
    expect(await values(z)).toEqual(await values(stacked));
    expect(await values(final.v)).toEqual(await values(s.v));
    tf.dispose([input, z, final.v, stacked, ...zs]);
    tf.disposeVariables();

    const x = tf.fill([2, 3], 40);
    await expectNoLeak(() => lifBoxFeedForwardStep(x, s0, DEFAULT_LIF_BOX_PARAMETERS), 'lifBoxFeedForwardStep');
    await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(lifBoxFeedForwardStep(t, s0)[1].v))(x), 'lifBoxFeedForwardStep gradient');
    const r = lifBoxInitialState(2, 4);
    const win = tf.ones([4, 3]);
    const wrec = tf.zeros([4, 4]);
    await expectNoLeak(() => lifBoxStep(x, r, win, wrec, { resetMethod: 'subtract' }), 'lifBoxStep');
    const seq = tf.ones([10, 2, 3]);
    await expectNoLeak(() => lifBoxFeedForwardIntegral(seq, s0), 'lifBoxFeedForwardIntegral');
    tf.dispose([x, s0.v, r.z, r.v, win, wrec, seq]);
  });
});
