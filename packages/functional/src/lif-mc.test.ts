import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  lifFeedForwardStep, lifMCFeedForwardInitialState, lifMCFeedForwardIntegral, lifMCFeedForwardStep, lifMCInitialState,
  lifMCStep, lifStep,
} from './index.js';

const backends = await availableBackends();

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

describe('LIF multi-compartment: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lifMCFeedForwardInitialState([2, 3]);
  const g = tf.zeros([3, 3]);
  const r = lifMCInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);
  const g4 = tf.zeros([4, 4]);

  it('a coupling matrix of the wrong shape, dtype or kind', () => {
    const bad = tf.zeros([3, 4]);
    const int = tf.zeros([3, 3], 'int32');
    const seq = tf.zeros([5, 2, 3]);
    expectRejects(() => lifMCFeedForwardStep(x, s, bad), /lifMCFeedForwardStep: argument 'gCoupling' expected shape \[3, 3\]; received a float32 tensor of shape \[3, 4\]/);
    expectRejects(() => lifMCFeedForwardStep(x, s, int), /argument 'gCoupling' expected dtype float32/);
    expectRejects(() => lifMCFeedForwardStep(x, s, [[0]] as never), /argument 'gCoupling' expected a tensor; received an array/);
    expectRejects(() => lifMCStep(x, r, win, wrec, g), /lifMCStep: argument 'gCoupling' expected shape \[4, 4\]; received a float32 tensor of shape \[3, 3\]/);
    expectRejects(() => lifMCFeedForwardIntegral(seq, s, bad), /lifMCFeedForwardIntegral: argument 'gCoupling'/);
    tf.dispose([bad, int, seq]);
  });
  it('input and state of different shapes, a state of another model', () => {
    const bad = { v: tf.zeros([2, 4]), i: s.i };
    expectRejects(() => lifMCFeedForwardStep(x, bad, g), /lifMCFeedForwardStep: argument 'state.v' expected shape \[2, 3\]/);
    expectRejects(() => lifMCFeedForwardStep(x, { v: s.v } as never, g), /field 'i' is missing/);
    expectRejects(() => lifMCStep(x, s as never, win, wrec, g4), /lifMCStep: argument 'state.z' expected a tensor/);
    bad.v.dispose();
  });
  it('weights of the wrong shape', () => {
    const badIn = tf.zeros([4, 5]);
    expectRejects(() => lifMCStep(x, r, badIn, wrec, g4), /lifMCStep: argument 'inputWeights' expected shape \[4, 3\]/);
    expectRejects(() => lifMCStep(x, r, win, g, g4), /lifMCStep: argument 'recurrentWeights' expected shape \[4, 4\]/);
    badIn.dispose();
  });
  it('dt and parameters', () => {
    expectRejects(() => lifMCFeedForwardStep(x, s, g, {}, 0), /lifMCFeedForwardStep: argument 'dt' expected a finite number > 0/);
    expectRejects(() => lifMCStep(x, r, win, wrec, g4, {}, NaN), /lifMCStep: argument 'dt'/);
    expectRejects(() => lifMCFeedForwardStep(x, s, g, { vTh: NaN }), /argument 'p.vTh'.*received NaN/);
    expectRejects(() => lifMCStep(x, r, win, wrec, g4, { rho: 1 } as never), /unknown parameter 'rho'/);
    const vTh = tf.ones([5]);
    expectRejects(() => lifMCFeedForwardStep(x, s, g, { vTh }), /argument 'p.vTh' expected a number or a tensor that broadcasts to \[2, 3\]/);
    vTh.dispose();
  });
});

describeEachBackend('LIF multi-compartment', backends, () => {
  it('with no coupling it is LIF', async () => {
    const x = tf.randomUniform([2, 5], 0, 3, 'float32', 3);
    const s = { v: tf.randomUniform([2, 5], 0, 1, 'float32', 4), i: tf.randomUniform([2, 5], 0, 1, 'float32', 5) };
    const g = tf.zeros([5, 5]);
    const [z1, a] = lifMCFeedForwardStep(x, s, g);
    const [z2, b] = lifFeedForwardStep(x, s);
    expect(Array.from(await z1.data())).toEqual(Array.from(await z2.data()));
    expect(Array.from(await a.v.data())).toEqual(Array.from(await b.v.data()));
    tf.dispose([x, s.v, s.i, g, z1, z2, a.v, a.i, b.v, b.i]);
  });

  it('feed-forward couples before the LIF step, recurrent after the reset', async () => {
    // Two compartments; compartment 0 pulls on compartment 1 at 500/s.
    const g = tf.tensor([[0, 0], [500, 0]]);
    const v = tf.tensor([[0.8, 0.2]]);
    const i = tf.zeros([1, 2]);
    const x = tf.zeros([1, 2]);
    const [, ff] = lifMCFeedForwardStep(x, { v, i }, g);
    // v_c = [0.8, 0.2 + 1e-3·500·0.8 = 0.6]; then the leak: v' = v_c − 0.1·v_c.
    const ffv = await ff.v.data();
    expect(ffv[0]).toBeCloseTo(0.72, 6);
    expect(ffv[1]).toBeCloseTo(0.54, 6);

    const r = { z: tf.zeros([1, 2]), v: tf.tensor([[1.5, 0]]), i: tf.zeros([1, 2]) };
    const win = tf.zeros([2, 2]);
    const wrec = tf.zeros([2, 2]);
    const [z, rec] = lifMCStep(x, r, win, wrec, g);
    // Compartment 0 spikes (v' = 1.35) and resets to 0 before the coupling, so compartment 1 gains nothing.
    expect(Array.from(await z.data())).toEqual([1, 0]);
    expect(Array.from(await rec.v.data())).toEqual([0, 0]);
    const [, plain] = lifStep(x, r, win, wrec);
    expect(Array.from(await plain.v.data())).toEqual([0, 0]);
    tf.dispose([g, v, i, x, ff.v, ff.i, r.z, r.v, r.i, win, wrec, z, rec.v, rec.i, plain.z, plain.v, plain.i]);
  });

  it('accepts any batch shape in the feed-forward step', async () => {
    const g = tf.randomUniform([4, 4], -50, 50, 'float32', 7);
    const x = tf.randomUniform([3, 2, 4], 0, 2, 'float32', 8);
    const s = lifMCFeedForwardInitialState([3, 2, 4]);
    const flatS = { v: s.v.reshape([6, 4]), i: s.i.reshape([6, 4]) };
    const flatX = x.reshape([6, 4]);
    const [za, a] = lifMCFeedForwardStep(x, s, g);
    const [zb, b] = lifMCFeedForwardStep(flatX, flatS, g);
    const [, a2] = lifMCFeedForwardStep(x, a, g);
    const [, b2] = lifMCFeedForwardStep(flatX, b, g);
    expect(za.shape).toEqual([3, 2, 4]);
    expect(Array.from(await a2.v.data())).toEqual(Array.from(await b2.v.data()));
    tf.dispose([g, x, s.v, s.i, flatS.v, flatS.i, flatX, za, zb, a.v, a.i, b.v, b.i, a2.v, a2.i, b2.v, b2.i]);
  });

  it('gradients reach the coupling matrix, and nothing leaks', async () => {
    const x = tf.fill([2, 3], 0.9);
    const s = lifMCFeedForwardInitialState([2, 3]);
    const g = tf.randomUniform([3, 3], -20, 20, 'float32', 9);
    const seq = tf.ones([10, 2, 3]);
    await expectNoLeak(() => lifMCFeedForwardStep(x, s, g), 'lifMCFeedForwardStep');
    await expectNoLeak(() => lifMCFeedForwardIntegral(seq, s, g), 'lifMCFeedForwardIntegral');
    const r = lifMCInitialState(2, 3);
    const win = tf.ones([3, 3]);
    await expectNoLeak(() => lifMCStep(x, r, win, g, g), 'lifMCStep');
    const dg = tf.grad((gc: tf.Tensor) => {
      // Heaviside: no surrogate term, so the gradient is the Euler step's own.
      const [, s1] = lifMCFeedForwardStep(x, { v: tf.fill([2, 3], 0.3), i: s.i }, gc, { method: 'heaviside' });
      return tf.sum(s1.v);
    })(g);
    // d Σv'/d g[j,k] = Σ_b (1 − dt·τ_mem⁻¹)·dt·v[b,k] = 2·0.9·1e-3·0.3 for every entry (no spikes).
    const got = await dg.data();
    for (const value of got) expect(value).toBeCloseTo(2 * 0.9 * 1e-3 * 0.3, 7);
    tf.dispose([x, s.v, s.i, g, seq, r.z, r.v, r.i, win, dg]);
  });
});
