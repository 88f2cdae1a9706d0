import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  lifAdExCurrentEncoder, lifAdExFeedForwardInitialState, lifAdExFeedForwardIntegral, lifAdExFeedForwardStep,
  lifAdExInitialState, lifAdExStep, lifExFeedForwardStep, lifExStep,
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

describe('LIFAdEx: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lifAdExFeedForwardInitialState([2, 3]);
  const r = lifAdExInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('input and state of different shapes', () => {
    const bad = { ...s, a: tf.zeros([3, 2]) };
    expectRejects(() => lifAdExFeedForwardStep(x, bad), /lifAdExFeedForwardStep: argument 'state.a' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[3, 2\]/);
    bad.a.dispose();
  });
  it('a state without the adaptation current (e.g. a LIFEx state)', () => {
    expectRejects(() => lifAdExFeedForwardStep(x, { v: s.v, i: s.i } as never), /lifAdExFeedForwardStep: .*field 'a' is missing .* another model/);
    expectRejects(() => lifAdExStep(x, { z: r.z, v: r.v, i: r.i } as never, win, wrec), /lifAdExStep: .*field 'a' is missing/);
  });
  it('weights of the wrong shape', () => {
    const badIn = tf.zeros([4, 2]);
    expectRejects(() => lifAdExStep(x, r, badIn, wrec), /lifAdExStep: argument 'inputWeights' expected shape \[4, 3\]/);
    expectRejects(() => lifAdExStep(x, r, win, win), /lifAdExStep: argument 'recurrentWeights' expected shape \[4, 4\]/);
    badIn.dispose();
  });
  it('dt not finite or ≤ 0', () => {
    expectRejects(() => lifAdExFeedForwardStep(x, s, {}, -0.001), /lifAdExFeedForwardStep: argument 'dt' expected a finite number > 0/);
    expectRejects(() => lifAdExStep(x, r, win, wrec, {}, NaN), /lifAdExStep: argument 'dt'/);
    expectRejects(() => lifAdExCurrentEncoder(x, s.v, s.a, {}, 0), /lifAdExCurrentEncoder: argument 'dt'/);
  });
  it('unknown, NaN, non-positive and badly typed parameters', () => {
    expectRejects(() => lifAdExFeedForwardStep(x, s, { tauAdaInv: 0 }), /argument 'p.tauAdaInv' expected a finite number > 0/);
    expectRejects(() => lifAdExFeedForwardStep(x, s, { deltaT: -1 }), /argument 'p.deltaT' expected a finite number > 0/);
    expectRejects(() => lifAdExFeedForwardStep(x, s, { adaptationSpike: NaN }), /'p.adaptationSpike'.*received NaN/);
    expectRejects(() => lifAdExFeedForwardStep(x, s, { adaptation_current: 4 } as never), /unknown parameter 'adaptation_current'/);
    expectRejects(() => lifAdExFeedForwardStep(x, s, { adaptationCurrent: '4' as never }), /'p.adaptationCurrent' expected a finite number or a float32 tensor/);
  });
  it('a tensor parameter that does not broadcast', () => {
    const b = tf.ones([2, 2]);
    expectRejects(() => lifAdExStep(x, r, win, wrec, { adaptationSpike: b }), /lifAdExStep: argument 'p.adaptationSpike' expected a number or a tensor that broadcasts to \[2, 4\]/);
    b.dispose();
  });
  it('encoder voltage or adaptation of another shape, integral with an empty time axis', () => {
    const wrong = tf.zeros([2, 4]);
    const empty = tf.zeros([0, 2, 3]);
    expectRejects(() => lifAdExCurrentEncoder(x, wrong, s.a), /lifAdExCurrentEncoder: argument 'voltage' expected shape \[2, 3\]/);
    expectRejects(() => lifAdExCurrentEncoder(x, s.v, wrong), /lifAdExCurrentEncoder: argument 'adaptation' expected shape \[2, 3\] \(the shape of 'inputCurrent'\)/);
    expectRejects(() => lifAdExFeedForwardIntegral(empty, s), /lifAdExFeedForwardIntegral: .*T ≥ 1/);
    tf.dispose([wrong, empty]);
  });
});

describeEachBackend('LIFAdEx', backends, () => {
  it('without adaptation (a_c = b = 0, a = 0) it is LIFEx exactly', async () => {
    const noAdaptation = { adaptationCurrent: 0, adaptationSpike: 0 };
    const x = tf.tensor([[0.3, 0.9, 0.1, 0.5]]);
    const s = { v: tf.tensor([[0.1, 0.95, 0.8, -0.2]]), i: tf.tensor([[0.2, 0.4, 0, 0.3]]), a: tf.zeros([1, 4]) };
    const [zA, adex] = lifAdExFeedForwardStep(x, s, noAdaptation);
    const [zE, ex] = lifExFeedForwardStep(x, s);
    expect(await values(zA)).toEqual(await values(zE));
    expect(await values(zA)).toContain(1);
    expect(await values(adex.v)).toEqual(await values(ex.v));
    expect(await values(adex.a)).toEqual([0, 0, 0, 0]);
    const win = tf.tensor([[1, 0.5], [0, 1], [0.3, 0.3], [2, -1]]);
    const wrec = tf.fill([4, 4], 0.1);
    const xr = tf.tensor([[1, 0]]);
    const rs = { ...s, z: tf.tensor([[1, 0, 0, 1]]) };
    const [, adexR] = lifAdExStep(xr, rs, win, wrec, noAdaptation);
    const [, exR] = lifExStep(xr, rs, win, wrec);
    expect(await values(adexR.v)).toEqual(await values(exR.v));
    expect(await values(adexR.i)).toEqual(await values(exR.i));
    tf.dispose([x, s.v, s.i, s.a, zA, zE, adex.v, adex.i, adex.a, ex.v, ex.i, win, wrec, xr, rs.z, adexR.z, adexR.v, adexR.i, adexR.a, exR.z, exR.v, exR.i]);
  });

  it('adapts: a constant input drives it to fire less and less', async () => {
    const x = tf.fill([1, 1], 0.4);
    let s = lifAdExFeedForwardInitialState([1, 1]);
    const spikes: number[] = [];
    for (let t = 0; t < 300; t++) {
      const [z, next] = lifAdExFeedForwardStep(x, s);
      spikes.push((await z.data())[0]!);
      tf.dispose([z, s.v, s.i, s.a]);
      s = next;
    }
    const early = spikes.slice(0, 100).reduce((a, b) => a + b);
    const late = spikes.slice(200).reduce((a, b) => a + b);
    expect(early).toBeGreaterThan(late + 3);
    expect(late).toBeGreaterThan(0);
    expect((await s.a.data())[0]).toBeGreaterThan(0.5);
    tf.dispose([x, s.v, s.i, s.a]);
  });

  it('integrates the adaptation from the voltage before the step, and jumps it by b at a spike', async () => {
    // Neuron 0: v = 0.5 at rest input, no spike. Neuron 1: pushed over threshold.
    const x = tf.tensor([[0, 5]]);
    const s = { v: tf.tensor([[0.5, 0.9]]), i: tf.zeros([1, 2]), a: tf.tensor([[0.1, 0.1]]) };
    const [z, next] = lifAdExFeedForwardStep(x, s);
    expect(await values(z)).toEqual([0, 1]);
    const dtAda = f(f(1e-3) * 2);
    // a' = a + dt·τ_ada⁻¹·(a_c·(v − v_leak) − a) with the OLD v (0.5 and 0.9), then + b = 0.02 where z = 1.
    const a0 = f(0.1 + f(dtAda * f(f(4 * 0.5) - f(0.1))));
    const a1 = f(f(0.1 + f(dtAda * f(f(4 * f(0.9)) - f(0.1)))) + f(0.02));
    const got = await values(next.a);
    expect(got[0]).toBeCloseTo(a0, 7);
    expect(got[1]).toBeCloseTo(a1, 7);
    tf.dispose([x, s.v, s.i, s.a, z, next.v, next.i, next.a]);
  });

  it("the current encoder's adaptation output is Norse's τ_ada⁻¹·(a_c·(v'' − v_leak) − a) + z·b (not integrated)", async () => {
    const x = tf.tensor([[0, 3]]);
    const v = tf.tensor([[0.5, 0.9]]);
    const a = tf.tensor([[0.1, 0.1]]);
    const [z, vNew, aNew] = lifAdExCurrentEncoder(x, v, a);
    expect(await values(z)).toEqual([0, 1]);
    const vs = await values(vNew);
    expect(vs[1]).toBe(0);
    const got = await values(aNew);
    // Neuron 0 (no spike): 2·(4·v'' − 0.1); neuron 1 (spike, v'' = v_reset = 0): 2·(0 − 0.1) + 0.02.
    expect(got[0]).toBeCloseTo(2 * (4 * vs[0]! - 0.1), 5);
    expect(got[1]).toBeCloseTo(-0.2 + 0.02, 6);
    // An Euler step would have stayed close to a = 0.1.
    expect(Math.abs(got[0]! - 0.1)).toBeGreaterThan(1);
    tf.dispose([x, v, a, z, vNew, aNew]);
  });

  it('steps, the encoder, the integral and a gradient leak nothing', async () => {
    const x = tf.fill([2, 3], 0.4);
    const s = lifAdExFeedForwardInitialState([2, 3]);
    await expectNoLeak(() => lifAdExFeedForwardStep(x, s), 'lifAdExFeedForwardStep');
    await expectNoLeak(() => lifAdExCurrentEncoder(x, s.v, s.a), 'lifAdExCurrentEncoder');
    const r = lifAdExInitialState(2, 4);
    const win = tf.ones([4, 3]);
    const wrec = tf.zeros([4, 4]);
    await expectNoLeak(() => lifAdExStep(x, r, win, wrec), 'lifAdExStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(lifAdExStep(x, r, w, wrec)[1].a))(win), 'lifAdExStep gradient');
    const seq = tf.ones([20, 2, 3]);
    await expectNoLeak(() => lifAdExFeedForwardIntegral(seq, s), 'lifAdExFeedForwardIntegral');
    tf.dispose([x, s.v, s.i, s.a, r.z, r.v, r.i, r.a, win, wrec, seq]);
  });
});
