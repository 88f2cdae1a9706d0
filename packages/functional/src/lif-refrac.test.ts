import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  lifFeedForwardStep, lifRefracFeedForwardInitialState, lifRefracFeedForwardIntegral, lifRefracFeedForwardStep,
  lifRefracInitialState, lifRefracParameters, lifRefracStep, type LIFRefracFeedForwardState,
} from './index.js';

const backends = await availableBackends();

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

function disposeState(s: LIFRefracFeedForwardState): void {
  tf.dispose([s.lif.v, s.lif.i, s.rho]);
}

describe('LIFRefrac: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lifRefracFeedForwardInitialState([2, 3]);
  const r = lifRefracInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('a flat LIF state, or a state missing rho', () => {
    expectRejects(() => lifRefracFeedForwardStep(x, s.lif as never), /lifRefracFeedForwardStep: argument 'state' expected a state with the fields lif, rho; field 'lif' is missing \(received fields v, i\)/);
    expectRejects(() => lifRefracFeedForwardStep(x, { lif: s.lif } as never), /field 'rho' is missing/);
    expectRejects(() => lifRefracFeedForwardStep(x, s.rho as never), /argument 'state' expected a state object with the fields lif, rho/);
  });
  it('nested state fields of the wrong shape name the nested field', () => {
    const wrong = tf.zeros([2, 4]);
    expectRejects(() => lifRefracFeedForwardStep(x, { lif: { v: wrong, i: s.lif.i }, rho: s.rho }), /lifRefracFeedForwardStep: argument 'state.lif.v' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[2, 4\]/);
    expectRejects(() => lifRefracFeedForwardStep(x, { lif: s.lif, rho: wrong }), /argument 'state.rho' expected shape \[2, 3\]/);
    expectRejects(() => lifRefracStep(x, { lif: { v: r.lif.v, i: r.lif.i } as never, rho: r.rho }, win, wrec), /lifRefracStep: argument 'state.lif' expected a state with the fields z, v, i; field 'z' is missing/);
    wrong.dispose();
  });
  it('weights of the wrong shape, input of the wrong rank', () => {
    const badIn = tf.zeros([3, 3]);
    const flat = tf.zeros([3]);
    expectRejects(() => lifRefracStep(x, r, badIn, wrec), /lifRefracStep: argument 'recurrentWeights' expected shape \[3, 3\]/);
    expectRejects(() => lifRefracStep(x, r, win, badIn), /lifRefracStep: argument 'recurrentWeights' expected shape \[4, 4\]/);
    expectRejects(() => lifRefracStep(flat, r, win, wrec), /lifRefracStep: argument 'input' expected a rank-2 tensor/);
    expectRejects(() => lifRefracFeedForwardIntegral(flat, s), /lifRefracFeedForwardIntegral: argument 'input' expected a tensor of rank ≥ 2/);
    tf.dispose([badIn, flat]);
  });
  it('dt not finite or ≤ 0', () => {
    expectRejects(() => lifRefracFeedForwardStep(x, s, {}, 0), /lifRefracFeedForwardStep: argument 'dt' expected a finite number > 0/);
    expectRejects(() => lifRefracStep(x, r, win, wrec, {}, -1), /lifRefracStep: argument 'dt'/);
  });
  it('nested parameters are checked with the LIF rules and named p.lif.*', () => {
    expectRejects(() => lifRefracFeedForwardStep(x, s, { lif: { tauMemInv: 0 } }), /lifRefracFeedForwardStep: argument 'p.lif.tauMemInv' expected a finite number > 0/);
    expectRejects(() => lifRefracFeedForwardStep(x, s, { lif: { method: 'sigmoid' as never } }), /argument 'p.lif.method' expected one of heaviside, super/);
    expectRejects(() => lifRefracFeedForwardStep(x, s, { lif: { vTh: NaN } }), /'p.lif.vTh'.*received NaN/);
    expectRejects(() => lifRefracFeedForwardStep(x, s, { lif: { rhoReset: 2 } as never }), /argument 'p.lif' has an unknown parameter 'rhoReset'/);
    expectRejects(() => lifRefracFeedForwardStep(x, s, { lif: 3 as never }), /argument 'p.lif' expected an object of parameters; received 3/);
    expectRejects(() => lifRefracFeedForwardStep(x, s, { vTh: 1 } as never), /argument 'p' has an unknown parameter 'vTh'; expected one of lif, rhoReset/);
    expectRejects(() => lifRefracFeedForwardStep(x, s, { rhoReset: -1 }), /argument 'p.rhoReset' expected a finite number ≥ 0/);
  });
  it('tensor parameters that do not broadcast, nested or not', () => {
    const t = tf.ones([5]);
    expectRejects(() => lifRefracFeedForwardStep(x, s, { rhoReset: t }), /argument 'p.rhoReset' expected a number or a tensor that broadcasts to \[2, 3\]/);
    expectRejects(() => lifRefracStep(x, r, win, wrec, { lif: { vTh: t } }), /lifRefracStep: argument 'p.lif.vTh' expected a number or a tensor that broadcasts to \[2, 4\]/);
    t.dispose();
  });
  it('merging keeps the defaults of the nested parameters', () => {
    const q = lifRefracParameters({ lif: { vTh: 0.5 } });
    expect(q.lif.vTh).toBe(0.5);
    expect(q.lif.tauMemInv).toBe(100);
    expect(q.rhoReset).toBe(5);
  });
});

describeEachBackend('LIFRefrac', backends, () => {
  it('with ρ_reset = 0 it is LIF exactly', async () => {
    const input = tf.randomUniform([40, 2, 4], 0, 0.8, 'float32', 5);
    let s = lifRefracFeedForwardInitialState([2, 4]);
    let l = { v: tf.zeros([2, 4]), i: tf.zeros([2, 4]) };
    let spikes = 0;
    for (const xt of tf.unstack(input)) {
      const [zr, nr] = lifRefracFeedForwardStep(xt, s, { rhoReset: 0 });
      const [zl, nl] = lifFeedForwardStep(xt, l);
      expect(await values(zr)).toEqual(await values(zl));
      expect(await values(nr.lif.v)).toEqual(await values(nl.v));
      spikes += (await zr.sum().data())[0]!;
      disposeState(s);
      tf.dispose([xt, zr, zl, l.v, l.i]);
      s = nr;
      l = nl;
    }
    expect(spikes).toBeGreaterThan(0);
    expect(await values(s.rho)).toEqual(new Array(8).fill(0));
    tf.dispose([input, l.v, l.i]);
    disposeState(s);
    tf.disposeVariables();
  });

  it('after a spike the neuron holds its voltage and stays silent for ρ_reset steps', async () => {
    const x = tf.fill([1, 1], 1.5);
    let s = lifRefracFeedForwardInitialState([1, 1]);
    const z: number[] = [];
    const v: number[] = [];
    const rho: number[] = [];
    for (let t = 0; t < 40; t++) {
      const [zt, next] = lifRefracFeedForwardStep(x, s, { rhoReset: 3 });
      z.push((await zt.data())[0]!);
      v.push((await next.lif.v.data())[0]!);
      rho.push((await next.rho.data())[0]!);
      zt.dispose();
      disposeState(s);
      s = next;
    }
    const times = z.flatMap((zt, t) => (zt === 1 ? [t] : []));
    expect(times.length).toBeGreaterThan(3);
    for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBeGreaterThanOrEqual(4);
    const t0 = times[0]!;
    // The reset voltage is held through the refractory steps; ρ counts 3, 2, 1, 0.
    expect(v.slice(t0, t0 + 4)).toEqual([0, 0, 0, 0]);
    expect(rho.slice(t0, t0 + 4)).toEqual([3, 2, 1, 0]);
    expect(v[t0 + 4]).toBeGreaterThan(0);
    tf.dispose([x]);
    disposeState(s);
  });

  it('recurrent: a refractory neuron neither spikes nor moves, and lif.z holds the masked spikes', async () => {
    // Both neurons are driven far over threshold; neuron 0 is refractory (ρ = 2).
    const x = tf.tensor([[20, 20]]);
    const win = tf.eye(2);
    const wrec = tf.zeros([2, 2]);
    const s = { lif: { z: tf.zeros([1, 2]), v: tf.tensor([[0.3, 0.3]]), i: tf.zeros([1, 2]) }, rho: tf.tensor([[2, 0]]) };
    const [z, next] = lifRefracStep(x, s, win, wrec);
    expect(await values(z)).toEqual([0, 1]);
    expect(await values(next.lif.z)).toEqual([0, 1]);
    expect(await values(next.lif.v)).toEqual([Math.fround(0.3), 0]);
    expect(await values(next.rho)).toEqual([1, 5]);
    // The current keeps integrating while refractory: i' = 20·(1 − dt·τ_syn⁻¹) = 16 for both.
    expect(await values(next.lif.i)).toEqual([16, 16]);
    tf.dispose([x, win, wrec, s.lif.z, s.lif.v, s.lif.i, s.rho, z, next.lif.z, next.lif.v, next.lif.i, next.rho]);
  });

  it('the integral equals the step-by-step rollout', async () => {
    const input = tf.randomUniform([30, 2, 5], 0, 0.8, 'float32', 7);
    const s0 = lifRefracFeedForwardInitialState([2, 5]);
    const [z, final] = lifRefracFeedForwardIntegral(input, s0);
    let s = s0;
    const zs: tf.Tensor[] = [];
    for (const xt of tf.unstack(input)) {
      const [zt, next] = lifRefracFeedForwardStep(xt, s);
      zs.push(zt);
      s = next;
    }
    const stacked = tf.stack(zs);
    expect(await values(z)).toEqual(await values(stacked));
    expect(await values(final.rho)).toEqual(await values(s.rho));
    expect(await values(final.lif.v)).toEqual(await values(s.lif.v));
    expect((await z.sum().data())[0]).toBeGreaterThan(0);
    tf.dispose([input, z, stacked, ...zs]);
    disposeState(s0);
    disposeState(final);
    tf.disposeVariables();
  });

  it('steps, the integral and a gradient leak nothing', async () => {
    const x = tf.fill([2, 3], 0.4);
    const s = lifRefracFeedForwardInitialState([2, 3]);
    await expectNoLeak(() => lifRefracFeedForwardStep(x, s), 'lifRefracFeedForwardStep');
    const r = lifRefracInitialState(2, 4);
    const win = tf.ones([4, 3]);
    const wrec = tf.zeros([4, 4]);
    await expectNoLeak(() => lifRefracStep(x, r, win, wrec), 'lifRefracStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(lifRefracStep(x, r, w, wrec)[1].lif.v))(win), 'lifRefracStep gradient');
    const seq = tf.ones([20, 2, 3]);
    await expectNoLeak(() => lifRefracFeedForwardIntegral(seq, s), 'lifRefracFeedForwardIntegral');
    tf.dispose([x, win, wrec, seq, r.lif.z, r.lif.v, r.lif.i, r.rho]);
    disposeState(s);
  });
});
