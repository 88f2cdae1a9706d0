import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  adaLIFInitialState, adaLIFStep, DEFAULT_LSNN_PARAMETERS, lifFeedForwardInitialState, lsnnFeedForwardInitialState,
  lsnnFeedForwardIntegral, lsnnFeedForwardStep, lsnnInitialState, lsnnStep,
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

describe('LSNN: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lsnnFeedForwardInitialState([2, 3]);
  const r = lsnnInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('input and state of different shapes', () => {
    const bad = { v: s.v, i: s.i, b: tf.zeros([2, 4]) };
    expectRejects(() => lsnnFeedForwardStep(x, bad), /lsnnFeedForwardStep: argument 'state.b' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[2, 4\]/);
    bad.b.dispose();
  });
  it('a state from another model (LIF has no b)', () => {
    const lif = lifFeedForwardInitialState([2, 3]);
    expectRejects(() => lsnnFeedForwardStep(x, lif as never), /lsnnFeedForwardStep: argument 'state' expected a state with the fields v, i, b; field 'b' is missing .* another model/);
    expectRejects(() => lsnnStep(x, s as never, win, wrec), /lsnnStep: argument 'state.z' expected a tensor/);
    expectRejects(() => adaLIFStep(x, { z: r.z, v: r.v, i: r.i } as never, win, wrec), /adaLIFStep: .*field 'b' is missing/);
    tf.dispose([lif.v, lif.i]);
  });
  it('weights of the wrong shape', () => {
    const badIn = tf.zeros([4, 5]);
    expectRejects(() => lsnnStep(x, r, badIn, wrec), /lsnnStep: argument 'inputWeights' expected shape \[4, 3\].*received a float32 tensor of shape \[4, 5\]/);
    expectRejects(() => adaLIFStep(x, r, win, win), /adaLIFStep: argument 'recurrentWeights' expected shape \[4, 4\]; received a float32 tensor of shape \[4, 3\]/);
    badIn.dispose();
  });
  it('dt not finite or ≤ 0', () => {
    expectRejects(() => lsnnFeedForwardStep(x, s, {}, 0), /lsnnFeedForwardStep: argument 'dt' expected a finite number > 0 \(seconds\); received 0/);
    expectRejects(() => lsnnStep(x, r, win, wrec, {}, Infinity), /lsnnStep: argument 'dt'.*received Infinity/);
    expectRejects(() => adaLIFStep(x, r, win, wrec, {}, -1e-3), /adaLIFStep: argument 'dt'/);
  });
  it('unknown, NaN or out-of-range parameters, an unknown method', () => {
    expectRejects(() => lsnnFeedForwardStep(x, s, { tauAdapt: 1 } as never), /lsnnFeedForwardStep: argument 'p' has an unknown parameter 'tauAdapt'/);
    expectRejects(() => lsnnFeedForwardStep(x, s, { beta: NaN }), /argument 'p.beta' expected a finite number or a float32 tensor; received NaN/);
    expectRejects(() => lsnnStep(x, r, win, wrec, { tauAdaptInv: -1 }), /lsnnStep: argument 'p.tauAdaptInv' expected a finite number ≥ 0/);
    expectRejects(() => adaLIFStep(x, r, win, wrec, { tauMemInv: 0 }), /adaLIFStep: argument 'p.tauMemInv' expected a finite number > 0/);
    expectRejects(() => lsnnFeedForwardStep(x, s, { method: 'sigmoid' as never }), /argument 'p.method' expected one of heaviside, super/);
  });
  it('a tensor parameter that does not broadcast', () => {
    const beta = tf.ones([5]);
    expectRejects(() => lsnnFeedForwardStep(x, s, { beta }), /argument 'p.beta' expected a number or a tensor that broadcasts to \[2, 3\]; received a float32 tensor of shape \[5\]/);
    beta.dispose();
  });
  it('integral input without a time dimension or with an empty one', () => {
    const flat = tf.zeros([3]);
    const empty = tf.zeros([0, 2, 3]);
    expectRejects(() => lsnnFeedForwardIntegral(flat, s), /lsnnFeedForwardIntegral: argument 'input' expected a tensor of rank ≥ 2/);
    expectRejects(() => lsnnFeedForwardIntegral(empty, s), /T ≥ 1/);
    tf.dispose([flat, empty]);
  });
});

describeEachBackend('LSNN', backends, () => {
  it('the input reaches the current after the voltage update, so v feels it one step later', async () => {
    const s = lsnnFeedForwardInitialState([1, 2]);
    const x = tf.tensor([[5, 0]]);
    const [z1, s1] = lsnnFeedForwardStep(x, s);
    expect(await values(z1)).toEqual([0, 0]);
    expect(await values(s1.v)).toEqual([0, 0]);
    expect(await values(s1.i)).toEqual([5, 0]);
    const zero = tf.zeros([1, 2]);
    const [, s2] = lsnnFeedForwardStep(zero, s1);
    const v2 = await values(s2.v);
    expect(v2[0]).toBeCloseTo(1e-3 * 100 * 5, 6); // dt·τ_mem⁻¹·i
    expect(v2[1]).toBe(0);
    tf.dispose([s.v, s.i, s.b, x, z1, s1.v, s1.i, s1.b, zero, s2.v, s2.i, s2.b]);
  });

  it('a spike raises the threshold by β, which then relaxes to v_th; a higher threshold needs a higher voltage', async () => {
    const p = { beta: 0.5, tauAdaptInv: 100 };
    const s = { v: tf.tensor([[1.2, 1.2]]), i: tf.zeros([1, 2]), b: tf.tensor([[1, 1.3]]) };
    const x = tf.zeros([1, 2]);
    const [z, next] = lsnnFeedForwardStep(x, s, p);
    // v' = 1.2 − 0.1·1.2 = 1.08; b' = b + 0.1·(1 − b) → [1, 1.27]: only the first neuron crosses it.
    expect(await values(z)).toEqual([1, 0]);
    const b = await values(next.b);
    expect(b[0]).toBeCloseTo(1.5, 6);
    expect(b[1]).toBeCloseTo(1.27, 6);
    const v = await values(next.v);
    expect(v[0]).toBe(0);
    expect(v[1]).toBeCloseTo(1.08, 6);
    tf.dispose([s.v, s.i, s.b, x, z, next.v, next.i, next.b]);
  });

  it('adaptive LIF: b is subtracted from the drive, decays to 0 and the reset subtracts v_th', async () => {
    const p = { tauAdaptInv: 100, beta: 0.7 };
    const r = { z: tf.zeros([1, 2]), v: tf.tensor([[1.2, 0.5]]), i: tf.tensor([[2, 2]]), b: tf.tensor([[0, 1]]) };
    const x = tf.zeros([1, 1]);
    const win = tf.zeros([2, 1]);
    const wrec = tf.zeros([2, 2]);
    const [z, next] = adaLIFStep(x, r, win, wrec, p);
    // v' = v + 0.1·((0 − v) + i − b) = [1.28, 0.55]; the first crosses v_th = 1 and drops to 0.28.
    expect(await values(z)).toEqual([1, 0]);
    const v = await values(next.v);
    expect(v[0]).toBeCloseTo(0.28, 5);
    expect(v[1]).toBeCloseTo(0.55, 6);
    const b = await values(next.b);
    expect(b[0]).toBeCloseTo(0.7, 6); // 0, then + β
    expect(b[1]).toBeCloseTo(0.9, 6); // 1 − 0.1·1
    expect(await values(next.i)).toEqual([Math.fround(1.6), Math.fround(1.6)]);
    tf.dispose([r.z, r.v, r.i, r.b, x, win, wrec, z, next.v, next.i, next.b]);
    const a = adaLIFInitialState(2, 3);
    expect(await values(a.b)).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([a.z, a.v, a.i, a.b]);
  });

  it('the recurrent step uses the last spikes through the recurrent weights', async () => {
    const r = lsnnInitialState(1, 2);
    const z0 = tf.tensor([[1, 0]]);
    const state = { ...r, z: z0 };
    const x = tf.tensor([[1, 2, 3]]);
    const win = tf.tensor([[1, 0, 0], [0, 0, 1]]);
    const wrec = tf.tensor([[0, 0], [4, 0]]);
    const [, next] = lsnnStep(x, state, win, wrec);
    expect(await values(next.i)).toEqual([1, 7]); // x·W_inᵀ = [1, 3], z·W_recᵀ = [0, 4]
    expect(await values(next.z)).toEqual([0, 0]);
    tf.dispose([r.z, r.v, r.i, r.b, z0, x, win, wrec, next.v, next.i, next.b, next.z]);
  });

  it('the integral equals the step-by-step rollout and spikes', async () => {
    const input = tf.randomUniform([40, 2, 5], 0, 1.5, 'float32', 11);
    const s0 = lsnnFeedForwardInitialState([2, 5], { tauAdaptInv: 50 });
    const [z, final] = lsnnFeedForwardIntegral(input, s0, { tauAdaptInv: 50 });
    let s = s0;
    const xs = tf.unstack(input);
    const zs: tf.Tensor[] = [];
    const states = [];
    for (const xt of xs) {
      const [zt, next] = lsnnFeedForwardStep(xt, s, { tauAdaptInv: 50 });
      zs.push(zt);
      states.push(next);
      s = next;
    }
    const stacked = tf.stack(zs);
    const count = tf.sum(z);
    expect(await values(z)).toEqual(await values(stacked));
    expect(await values(final.v)).toEqual(await values(s.v));
    expect(await values(final.b)).toEqual(await values(s.b));
    expect((await count.data())[0]).toBeGreaterThan(0);
    tf.dispose([input, s0.v, s0.i, s0.b, z, final.v, final.i, final.b, stacked, count, ...xs, ...zs, ...states.flatMap((t) => [t.v, t.i, t.b])]);
  });

  it('a trainable β receives a gradient through the threshold', async () => {
    const beta = tf.scalar(1.8);
    const x = tf.fill([1, 3], 0.4);
    const s = { v: tf.fill([1, 3], 0.5), i: tf.fill([1, 3], 8), b: tf.ones([1, 3]) };
    // Step 1 spikes (b jumps by β), step 2's threshold b depends on β.
    const g = tf.grad((bt: tf.Tensor) => {
      const [, s1] = lsnnFeedForwardStep(x, s, { beta: bt });
      const [z2] = lsnnFeedForwardStep(x, s1, { beta: bt });
      return tf.sum(z2);
    })(beta);
    expect((await g.data())[0]).toBeLessThan(0);
    tf.dispose([beta, x, s.v, s.i, s.b, g]);
  });

  it('nothing leaks', async () => {
    const x = tf.fill([2, 3], 0.6);
    const s = lsnnFeedForwardInitialState([2, 3]);
    await expectNoLeak(() => lsnnFeedForwardStep(x, s), 'lsnnFeedForwardStep');
    const r = lsnnInitialState(2, 4);
    const win = tf.ones([4, 3]);
    const wrec = tf.ones([4, 4]);
    await expectNoLeak(() => lsnnStep(x, r, win, wrec, DEFAULT_LSNN_PARAMETERS), 'lsnnStep');
    await expectNoLeak(() => adaLIFStep(x, r, win, wrec), 'adaLIFStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(lsnnStep(x, r, w, wrec)[1].i))(win), 'lsnnStep gradient');
    const seq = tf.ones([15, 2, 3]);
    await expectNoLeak(() => lsnnFeedForwardIntegral(seq, s), 'lsnnFeedForwardIntegral');
    tf.dispose([x, s.v, s.i, s.b, r.z, r.v, r.i, r.b, win, wrec, seq]);
  });
});
