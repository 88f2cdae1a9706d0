import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  DEFAULT_LIF_PARAMETERS, lifCurrentEncoder, lifFeedForwardInitialState, lifFeedForwardIntegral, lifFeedForwardStep,
  lifInitialState, lifStep,
} from './index.js';

const backends = await availableBackends();

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

describe('LIF: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lifFeedForwardInitialState([2, 3]);
  const r = lifInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('input and state of different shapes', () => {
    const bad = { v: tf.zeros([2, 4]), i: s.i };
    expectRejects(() => lifFeedForwardStep(x, bad), /lifFeedForwardStep: argument 'state.v' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[2, 4\]/);
    bad.v.dispose();
  });
  it('a state from another model', () => {
    expectRejects(() => lifFeedForwardStep(x, { v: s.v } as never), /field 'i' is missing .* another model/);
    expectRejects(() => lifFeedForwardStep(x, s.v as never), /argument 'state' expected a state object with the fields v, i/);
  });
  it('weights of the wrong shape', () => {
    const badIn = tf.zeros([4, 5]);
    const badRec = tf.zeros([4, 3]);
    expectRejects(() => lifStep(x, r, badIn, wrec), /lifStep: argument 'inputWeights' expected shape \[4, 3\].*received a float32 tensor of shape \[4, 5\]/);
    expectRejects(() => lifStep(x, r, win, badRec), /lifStep: argument 'recurrentWeights' expected shape \[4, 4\]/);
    const flat = tf.zeros([3]);
    expectRejects(() => lifStep(flat, r, win, wrec), /argument 'input' expected a rank-2 tensor/);
    tf.dispose([badIn, badRec, flat]);
  });
  it('dt not finite or ≤ 0', () => {
    expectRejects(() => lifFeedForwardStep(x, s, {}, 0), /argument 'dt' expected a finite number > 0 \(seconds\); received 0/);
    expectRejects(() => lifFeedForwardStep(x, s, {}, NaN), /received NaN/);
    expectRejects(() => lifStep(x, r, win, wrec, {}, -1), /'dt'/);
  });
  it('an unknown method, a parameter of the wrong type, an unknown parameter, NaN', () => {
    expectRejects(() => lifFeedForwardStep(x, s, { method: 'sigmoid' as never }), /argument 'p.method' expected one of heaviside, super/);
    expectRejects(() => lifFeedForwardStep(x, s, { vTh: '1' as never }), /argument 'p.vTh' expected a finite number or a float32 tensor; received "1"/);
    expectRejects(() => lifFeedForwardStep(x, s, { tauMem: 1 } as never), /unknown parameter 'tauMem'/);
    expectRejects(() => lifFeedForwardStep(x, s, { vLeak: NaN }), /'p.vLeak'.*received NaN/);
    expectRejects(() => lifFeedForwardStep(x, s, { tauMemInv: -5 }), /'p.tauMemInv' expected a finite number > 0/);
  });
  it('a tensor parameter that does not broadcast', () => {
    const vTh = tf.ones([4]);
    expectRejects(() => lifFeedForwardStep(x, s, { vTh }), /argument 'p.vTh' expected a number or a tensor that broadcasts to \[2, 3\]; received a float32 tensor of shape \[4\]/);
    vTh.dispose();
  });
  it('integral input without a time dimension or with an empty one', () => {
    const flat = tf.zeros([3]);
    const empty = tf.zeros([0, 2, 3]);
    expectRejects(() => lifFeedForwardIntegral(flat, s), /argument 'input' expected a tensor of rank ≥ 2/);
    expectRejects(() => lifFeedForwardIntegral(empty, s), /T ≥ 1/);
    tf.dispose([flat, empty]);
  });
});

describeEachBackend('LIF', backends, () => {
  it('the integral equals the step-by-step rollout', async () => {
    const input = tf.randomUniform([30, 2, 5], 0, 0.6, 'float32', 1);
    const s0 = lifFeedForwardInitialState([2, 5]);
    const [z, final] = lifFeedForwardIntegral(input, s0);
    let s = s0;
    const zs: tf.Tensor[] = [];
    for (const xt of tf.unstack(input)) {
      const [zt, next] = lifFeedForwardStep(xt, s);
      zs.push(zt);
      s = next;
    }
    const stacked = tf.stack(zs);
    expect(Array.from(await z.data())).toEqual(Array.from(await stacked.data()));
    expect(Array.from(await final.v.data())).toEqual(Array.from(await s.v.data()));
    expect((await z.sum().data())[0]).toBeGreaterThan(0);
    tf.dispose([input, s0.v, s0.i, z, final.v, final.i, stacked, ...zs]);
    tf.disposeVariables();
  });

  it('a per-neuron tensor threshold and a trainable time constant receive gradients', async () => {
    const x = tf.fill([1, 3], 0.5);
    const s = { v: tf.fill([1, 3], 0.95), i: tf.zeros([1, 3]) };
    const vTh = tf.tensor([0.5, 1.0, 2.0]);
    const [z] = lifFeedForwardStep(x, s, { vTh });
    expect(Array.from(await z.data())).toEqual([1, 0, 0]);
    const tauMemInv = tf.scalar(100);
    const g = tf.grad((t: tf.Tensor) => {
      // Heaviside: no surrogate term, so the gradient is the Euler step's own.
      const [, next] = lifFeedForwardStep(x, s, { tauMemInv: t, method: 'heaviside' });
      return tf.sum(next.v);
    })(tauMemInv);
    // dv/dτ⁻¹ = dt·((v_leak − v) + i⁺) per neuron = 1e-3·(−0.95 + 0.5), times 3 neurons (no spike resets here).
    expect((await g.data())[0]).toBeCloseTo(3 * 1e-3 * (-0.95 + 0.5), 6);
    tf.dispose([x, s.v, s.i, vTh, z, tauMemInv, g]);
  });

  it('the current encoder and the recurrent step leak nothing', async () => {
    const x = tf.fill([2, 3], 0.4);
    const v = tf.zeros([2, 3]);
    await expectNoLeak(() => lifCurrentEncoder(x, v), 'lifCurrentEncoder');
    const r = lifInitialState(2, 4);
    const win = tf.ones([4, 3]);
    const wrec = tf.zeros([4, 4]);
    await expectNoLeak(() => lifStep(x, r, win, wrec, DEFAULT_LIF_PARAMETERS), 'lifStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(lifStep(x, r, w, wrec)[1].v))(win), 'lifStep gradient');
    const seq = tf.ones([20, 2, 3]);
    const s = lifFeedForwardInitialState([2, 3]);
    await expectNoLeak(() => lifFeedForwardIntegral(seq, s), 'lifFeedForwardIntegral');
    tf.dispose([x, v, r.z, r.v, r.i, win, wrec, seq, s.v, s.i]);
  });
});
