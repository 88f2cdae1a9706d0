import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  lifAdExFeedForwardStep, lifAdExRefracFeedForwardInitialState, lifAdExRefracFeedForwardIntegral,
  lifAdExRefracFeedForwardStep, lifAdExRefracInitialState, lifAdExRefracParameters, lifAdExRefracStep,
  type LIFAdExRefracFeedForwardState, type LIFAdExRefracState,
} from './index.js';

const backends = await availableBackends();
const f = Math.fround;

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

function disposeState(s: LIFAdExRefracFeedForwardState | LIFAdExRefracState): void {
  tf.dispose([...Object.values(s.lifAdEx), s.rho]);
}

describe('LIFAdExRefrac: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lifAdExRefracFeedForwardInitialState([2, 3]);
  const r = lifAdExRefracInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('a flat LIFAdEx state, a LIFRefrac state, or a state missing a field', () => {
    expectRejects(() => lifAdExRefracFeedForwardStep(x, s.lifAdEx as never), /lifAdExRefracFeedForwardStep: argument 'state' expected a state with the fields lifAdEx, rho; field 'lifAdEx' is missing/);
    expectRejects(() => lifAdExRefracFeedForwardStep(x, { lif: s.lifAdEx, rho: s.rho } as never), /field 'lifAdEx' is missing \(received fields lif, rho\)/);
    expectRejects(() => lifAdExRefracFeedForwardStep(x, { lifAdEx: { v: s.lifAdEx.v, i: s.lifAdEx.i }, rho: s.rho } as never), /argument 'state.lifAdEx' expected a state with the fields v, i, a; field 'a' is missing/);
  });
  it('nested state fields of the wrong shape name the nested field', () => {
    const wrong = tf.zeros([2, 5]);
    expectRejects(() => lifAdExRefracStep(x, { lifAdEx: { ...r.lifAdEx, a: wrong }, rho: r.rho }, win, wrec), /lifAdExRefracStep: argument 'state.lifAdEx.a' expected shape \[2, 4\]/);
    expectRejects(() => lifAdExRefracFeedForwardStep(x, { lifAdEx: s.lifAdEx, rho: wrong }), /argument 'state.rho' expected shape \[2, 3\] \(the shape of 'input'\)/);
    wrong.dispose();
  });
  it('weights of the wrong shape', () => {
    const badIn = tf.zeros([4, 4]);
    expectRejects(() => lifAdExRefracStep(x, r, badIn, wrec), /lifAdExRefracStep: argument 'inputWeights' expected shape \[4, 3\]/);
    expectRejects(() => lifAdExRefracStep(x, r, win, win), /argument 'recurrentWeights' expected shape \[4, 4\]/);
    badIn.dispose();
  });
  it('dt not finite or ≤ 0, an integral without a time axis', () => {
    expectRejects(() => lifAdExRefracFeedForwardStep(x, s, {}, Number.NaN), /lifAdExRefracFeedForwardStep: argument 'dt' expected a finite number > 0/);
    expectRejects(() => lifAdExRefracStep(x, r, win, wrec, {}, 0), /lifAdExRefracStep: argument 'dt'/);
    // The input is blamed, not the state (issue 16): a sequence needs its leading time axis.
    expectRejects(() => lifAdExRefracFeedForwardIntegral(x, s), /lifAdExRefracFeedForwardIntegral: argument 'input' expected a sequence \[T, 2, 3\] \(time first, then the shape of 'state.lifAdEx.v'\)/);
  });
  it('nested parameters are checked with the LIFAdEx rules and named p.lifAdEx.*', () => {
    expectRejects(() => lifAdExRefracFeedForwardStep(x, s, { lifAdEx: { tauAdaInv: -2 } }), /argument 'p.lifAdEx.tauAdaInv' expected a finite number > 0/);
    expectRejects(() => lifAdExRefracFeedForwardStep(x, s, { lifAdEx: { deltaT: 0 } }), /argument 'p.lifAdEx.deltaT' expected a finite number > 0/);
    expectRejects(() => lifAdExRefracFeedForwardStep(x, s, { lifAdEx: { method: 'step' as never } }), /argument 'p.lifAdEx.method' expected one of/);
    expectRejects(() => lifAdExRefracFeedForwardStep(x, s, { lif_adex: {} } as never), /argument 'p' has an unknown parameter 'lif_adex'; expected one of lifAdEx, rhoReset/);
    expectRejects(() => lifAdExRefracFeedForwardStep(x, s, { rhoReset: Infinity }), /argument 'p.rhoReset' expected a finite number ≥ 0/);
  });
  it('a nested tensor parameter that does not broadcast', () => {
    const t = tf.ones([2, 2]);
    expectRejects(() => lifAdExRefracFeedForwardStep(x, s, { lifAdEx: { adaptationSpike: t } }), /argument 'p.lifAdEx.adaptationSpike' expected a number or a tensor that broadcasts to \[2, 3\]/);
    t.dispose();
  });
  it('merging keeps the defaults of the nested parameters', () => {
    const q = lifAdExRefracParameters({ lifAdEx: { adaptationSpike: 0.5 }, rhoReset: 2 });
    expect(q.lifAdEx.adaptationSpike).toBe(0.5);
    expect(q.lifAdEx.adaptationCurrent).toBe(4);
    expect(q.rhoReset).toBe(2);
  });
});

describeEachBackend('LIFAdExRefrac', backends, () => {
  it('with ρ_reset = 0 it is LIFAdEx exactly', async () => {
    const input = tf.randomUniform([40, 2, 4], 0, 0.8, 'float32', 11);
    let s = lifAdExRefracFeedForwardInitialState([2, 4]);
    let l = { v: tf.zeros([2, 4]), i: tf.zeros([2, 4]), a: tf.zeros([2, 4]) };
    let spikes = 0;
    for (const xt of tf.unstack(input)) {
      const [zr, nr] = lifAdExRefracFeedForwardStep(xt, s, { rhoReset: 0 });
      const [zl, nl] = lifAdExFeedForwardStep(xt, l);
      expect(await values(zr)).toEqual(await values(zl));
      expect(await values(nr.lifAdEx.v)).toEqual(await values(nl.v));
      expect(await values(nr.lifAdEx.a)).toEqual(await values(nl.a));
      spikes += (await zr.sum().data())[0]!;
      disposeState(s);
      tf.dispose([xt, zr, zl, l.v, l.i, l.a]);
      s = nr;
      l = nl;
    }
    expect(spikes).toBeGreaterThan(0);
    tf.dispose([input, l.v, l.i, l.a]);
    disposeState(s);
  });

  it('a refractory neuron holds its voltage and cannot spike, but its current and adaptation keep integrating', async () => {
    const x = tf.tensor([[0.5, 0.5]]);
    const s = {
      lifAdEx: { v: tf.tensor([[0.4, 0.4]]), i: tf.tensor([[1, 1]]), a: tf.tensor([[0.2, 0.2]]) },
      rho: tf.tensor([[3, 0]]),
    };
    const [z, next] = lifAdExRefracFeedForwardStep(x, s);
    const [zl, free] = lifAdExFeedForwardStep(x, s.lifAdEx);
    expect(await values(z)).toEqual([0, 0]);
    const v = await values(next.lifAdEx.v);
    expect(v[0]).toBe(f(0.4));
    expect(v[1]).toBe((await values(free.v))[1]);
    expect(await values(next.lifAdEx.i)).toEqual(await values(free.i));
    expect(await values(next.lifAdEx.a)).toEqual(await values(free.a));
    expect(await values(next.rho)).toEqual([2, 0]);
    tf.dispose([x, z, zl, free.v, free.i, free.a]);
    disposeState(s);
    disposeState(next);
  });

  it("as in Norse, a spike suppressed by the refractory mask still jumps the adaptation by b", async () => {
    // Held at v = 0.9 with a strong current, the neuron's dynamics cross the threshold while ρ > 0.
    const win = tf.eye(2);
    const wrec = tf.zeros([2, 2]);
    const x = tf.zeros([1, 2]);
    const s = {
      lifAdEx: { z: tf.zeros([1, 2]), v: tf.tensor([[0.9, 0.9]]), i: tf.tensor([[5, 5]]), a: tf.zeros([1, 2]) },
      rho: tf.tensor([[2, 0]]),
    };
    const [z, next] = lifAdExRefracStep(x, s, win, wrec, { lifAdEx: { adaptationSpike: 0.5 } });
    expect(await values(z)).toEqual([0, 1]);
    expect(await values(next.lifAdEx.z)).toEqual([0, 1]);
    expect(await values(next.lifAdEx.v)).toEqual([f(0.9), 0]);
    expect(await values(next.rho)).toEqual([1, 5]);
    // a' = dt·τ_ada⁻¹·a_c·v = 0.002·4·0.9 for both, plus b = 0.5 for both: the masked spike adapts too.
    const a = await values(next.lifAdEx.a);
    expect(a[0]).toBe(a[1]);
    expect(a[0]).toBeCloseTo(0.002 * 4 * 0.9 + 0.5, 6);
    tf.dispose([win, wrec, x, z]);
    disposeState(s);
    disposeState(next);
  });

  it('steps, the integral and a gradient leak nothing', async () => {
    const x = tf.fill([2, 3], 0.4);
    const s = lifAdExRefracFeedForwardInitialState([2, 3]);
    await expectNoLeak(() => lifAdExRefracFeedForwardStep(x, s), 'lifAdExRefracFeedForwardStep');
    const r = lifAdExRefracInitialState(2, 4);
    const win = tf.ones([4, 3]);
    const wrec = tf.zeros([4, 4]);
    await expectNoLeak(() => lifAdExRefracStep(x, r, win, wrec), 'lifAdExRefracStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(lifAdExRefracStep(x, r, w, wrec)[1].lifAdEx.v))(win), 'lifAdExRefracStep gradient');
    const seq = tf.ones([20, 2, 3]);
    await expectNoLeak(() => lifAdExRefracFeedForwardIntegral(seq, s), 'lifAdExRefracFeedForwardIntegral');
    tf.dispose([x, win, wrec, seq]);
    disposeState(s);
    disposeState(r);
  });
});
