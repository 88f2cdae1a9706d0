import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak, flatten, goldenDir, type GoldenFixture, type Nested } from '@snn/tensor/testing';
import {
  lifMCRefracFeedForwardInitialState, lifMCRefracFeedForwardIntegral, lifMCRefracFeedForwardStep, lifMCRefracInitialState,
  lifMCRefracStep, type LIFMCRefracFeedForwardState,
} from './index.js';
import { firstDifference, lifMCRefracReference } from './golden/lif-mc-refrac.golden.js';

const backends = await availableBackends();

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

function fixture(name: string): GoldenFixture {
  return JSON.parse(readFileSync(join(goldenDir(), `${name}.json`), 'utf8')) as GoldenFixture;
}

function disposeFF(s: LIFMCRefracFeedForwardState): void {
  tf.dispose([s.lif.v, s.lif.i, s.rho]);
}

describe('multi-compartment refractory LIF: the float32 reference of the golden mapping', () => {
  // The golden mapping compares against this reference with Norse's missing dt corrected; here the
  // same reference with the bug re-enabled must reproduce Norse's fixtures bit for bit.
  for (const name of ['lif_mc_refrac_ff_default', 'lif_mc_refrac_recurrent_default']) {
    it(`with Norse's bug it reproduces ${name} exactly, and the correction changes it`, () => {
      const fx = fixture(name);
      const expectedState = fx.outputs['state'] as Record<string, Nested>;
      const buggy = lifMCRefracReference(fx, true);
      expect(Object.keys(buggy).sort()).toEqual(['z', ...Object.keys(expectedState)].sort());
      for (const [key, series] of Object.entries(buggy)) {
        const expected = key === 'z' ? (fx.outputs['z'] as Nested) : expectedState[key]!;
        expect(firstDifference(series, expected), `${name} ${key}`).toBeNull();
      }
      const corrected = lifMCRefracReference(fx, false);
      const spikes = (x: Nested): number => flatten(x).reduce((a, b) => a + b, 0);
      expect(firstDifference(corrected['z']!, fx.outputs['z'] as Nested)).not.toBeNull();
      expect(firstDifference(corrected['lif.v']!, expectedState['lif.v']!)).not.toBeNull();
      expect(spikes(corrected['z']!)).toBeGreaterThan(50);
    });
  }
});

describe('multi-compartment refractory LIF: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lifMCRefracFeedForwardInitialState([2, 3]);
  const g = tf.zeros([3, 3]);
  const r = lifMCRefracInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);
  const g4 = tf.zeros([4, 4]);

  it('a coupling matrix of the wrong shape', () => {
    const seq = tf.zeros([5, 2, 3]);
    expectRejects(() => lifMCRefracFeedForwardStep(x, s, g4), /lifMCRefracFeedForwardStep: argument 'gCoupling' expected shape \[3, 3\]; received a float32 tensor of shape \[4, 4\]/);
    expectRejects(() => lifMCRefracStep(x, r, win, wrec, g), /lifMCRefracStep: argument 'gCoupling' expected shape \[4, 4\]; received a float32 tensor of shape \[3, 3\]/);
    expectRejects(() => lifMCRefracFeedForwardIntegral(seq, s, g4), /lifMCRefracFeedForwardIntegral: argument 'gCoupling' expected shape \[3, 3\]/);
    expectRejects(() => lifMCRefracFeedForwardStep(x, s, undefined as never), /argument 'gCoupling' expected a tensor; received undefined/);
    seq.dispose();
  });
  it('a state of the wrong shape or of another model', () => {
    expectRejects(() => lifMCRefracFeedForwardStep(x, s.lif as never, g), /lifMCRefracFeedForwardStep: argument 'state' expected a state with the fields lif, rho; field 'lif' is missing/);
    const badRho = { lif: s.lif, rho: tf.zeros([2, 4]) };
    expectRejects(() => lifMCRefracFeedForwardStep(x, badRho, g), /argument 'state.rho' expected shape \[2, 3\]/);
    expectRejects(() => lifMCRefracStep(x, s as never, win, wrec, g4), /lifMCRefracStep: argument 'state.lif' expected a state with the fields z, v, i; field 'z' is missing/);
    badRho.rho.dispose();
  });
  it('weights, parameters and dt', () => {
    const badIn = tf.zeros([4, 5]);
    expectRejects(() => lifMCRefracStep(x, r, badIn, wrec, g4), /lifMCRefracStep: argument 'inputWeights' expected shape \[4, 3\]/);
    expectRejects(() => lifMCRefracStep(x, r, win, g, g4), /argument 'recurrentWeights' expected shape \[4, 4\]/);
    expectRejects(() => lifMCRefracFeedForwardStep(x, s, g, { lif: { tauMemInv: -1 } }), /argument 'p.lif.tauMemInv' expected a finite number > 0/);
    expectRejects(() => lifMCRefracFeedForwardStep(x, s, g, { rhoReset: NaN }), /argument 'p.rhoReset'.*received NaN/);
    expectRejects(() => lifMCRefracFeedForwardStep(x, s, g, { lif: { method: 'sigmoid' as never } }), /argument 'p.lif.method' expected one of/);
    expectRejects(() => lifMCRefracFeedForwardStep(x, s, g, { vTh: 1 } as never), /unknown parameter 'vTh'/);
    expectRejects(() => lifMCRefracFeedForwardStep(x, s, g, {}, 0), /lifMCRefracFeedForwardStep: argument 'dt' expected a finite number > 0/);
    expectRejects(() => lifMCRefracStep(x, r, win, wrec, g4, {}, -1), /lifMCRefracStep: argument 'dt'/);
    badIn.dispose();
  });
});

describeEachBackend('multi-compartment refractory LIF', backends, () => {
  it('the coupling is an Euler increment dt·v·gᵀ (the correction of Norse), and acts while refractory', async () => {
    // Both compartments refractory: no leak and no drive, only the coupling moves v.
    const g = tf.tensor([[0, 200], [-100, 0]]);
    const x = tf.zeros([1, 2]);
    const state = { lif: { v: tf.tensor([[0.5, 0.25]]), i: tf.tensor([[3, 3]]) }, rho: tf.tensor([[2, 1]]) };
    for (const dt of [1e-3, 5e-4]) {
      const [z, next] = lifMCRefracFeedForwardStep(x, state, g, {}, dt);
      const v = await next.lif.v.data();
      // v·gᵀ = [200·0.25, −100·0.5] = [50, −50].
      expect(v[0]).toBeCloseTo(0.5 + dt * 50, 6);
      expect(v[1]).toBeCloseTo(0.25 - dt * 50, 6);
      expect(Array.from(await z.data())).toEqual([0, 0]);
      expect(Array.from(await next.rho.data())).toEqual([1, 0]);
      tf.dispose(z);
      disposeFF(next);
    }
    tf.dispose([g, x]);
    disposeFF(state);
  });

  it('the input enters the current at the end of the step and drives v from the next one', async () => {
    const g = tf.zeros([2, 2]);
    const x = tf.tensor([[5, 0]]);
    const s0 = lifMCRefracFeedForwardInitialState([1, 2]);
    const [, s1] = lifMCRefracFeedForwardStep(x, s0, g);
    expect(Array.from(await s1.lif.v.data())).toEqual([0, 0]);
    expect(Array.from(await s1.lif.i.data())).toEqual([5, 0]);
    const none = tf.zeros([1, 2]);
    const [, s2] = lifMCRefracFeedForwardStep(none, s1, g);
    // v' = v + dt·τ_mem⁻¹·((v_leak − v) + i) = 0.1·5.
    expect((await s2.lif.v.data())[0]).toBeCloseTo(0.5, 6);
    [s0, s1, s2].forEach(disposeFF);
    tf.dispose([g, x, none]);
  });

  it('the integral equals the step-by-step rollout; nothing leaks, forward or backward', async () => {
    const input = tf.randomUniform([25, 2, 4], 0, 12, 'float32', 31);
    const g = tf.randomUniform([4, 4], -30, 30, 'float32', 32);
    const s0 = lifMCRefracFeedForwardInitialState([2, 4]);
    const [z, final] = lifMCRefracFeedForwardIntegral(input, s0, g);
    const [stacked, rho] = tf.tidy(() => {
      let s = s0;
      const zs: tf.Tensor[] = [];
      for (const xt of tf.unstack(input)) {
        const [zt, next] = lifMCRefracFeedForwardStep(xt, s, g);
        zs.push(zt);
        s = next;
      }
      return [tf.stack(zs), s.rho];
    });
    expect(Array.from(await z.data())).toEqual(Array.from(await stacked.data()));
    expect(Array.from(await final.rho.data())).toEqual(Array.from(await rho.data()));
    expect((await z.sum().data())[0]).toBeGreaterThan(0);
    tf.dispose([z, stacked, rho]);
    disposeFF(final);

    const x = tf.fill([2, 4], 2);
    await expectNoLeak(() => lifMCRefracFeedForwardStep(x, s0, g), 'lifMCRefracFeedForwardStep');
    await expectNoLeak(() => lifMCRefracFeedForwardIntegral(input, s0, g), 'lifMCRefracFeedForwardIntegral');
    const r = lifMCRefracInitialState(2, 4);
    const win = tf.ones([4, 4]);
    await expectNoLeak(() => lifMCRefracStep(x, r, win, g, g), 'lifMCRefracStep');
    await expectNoLeak(() => tf.grad((gc: tf.Tensor) => tf.sum(lifMCRefracStep(x, r, win, g, gc)[1].lif.v))(g), 'lifMCRefracStep gradient');
    tf.dispose([input, g, x, win, r.lif.z, r.lif.v, r.lif.i, r.rho]);
    disposeFF(s0);
  });
});
