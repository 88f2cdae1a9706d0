/**
 * The recurrent plan contract against the specification: LIF's specs (spec/models/lif.ts) lower to
 * plans whose reference kernels reproduce the composite LIF paths on the cpu backend — the
 * feed-forward integral and the recurrent sequence bit for bit, the recurrent BPTT within 1e-4 of
 * tf.grad of the composite step loop — and a recurrent wiring that names no input is refused.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFusedKernelsEnabled } from '@snn/tensor';
import { seededRandom, uniformArray } from '@snn/tensor/testing';
import { lifFeedForwardIntegral, lifParameters } from '../lif.js';
import { lifRecurrentIntegral } from '../lif-recurrent.js';
import { runPlanForward } from './plan.js';
import { recurrentKernelInputs, runRecurrentPlanBackward, runRecurrentPlanForward } from './plan-recurrent.js';
import { lowerSpec, specKernelAttrs } from './lower.js';
import { defineNeuron } from './define.js';
import { add, spike } from './expr.js';
import { LIF_RECURRENT_SPEC, LIF_SPEC } from './models/lif.js';

const raw = { tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, method: 'super' as const, alpha: 20 };

describe('recurrent plans (cpu, the reference interpreter)', () => {
  let previous = true;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    previous = setFusedKernelsEnabled(false);
  });
  afterAll(() => { setFusedKernelsEnabled(previous); });

  it('LIF_SPEC reproduces the composite lifFeedForwardIntegral bit for bit', async () => {
    const T = 30, B = 2, N = 7, n = B * N;
    const random = seededRandom(11);
    const x = uniformArray(T * n, -20, 60, random);
    const v0 = uniformArray(n, -0.5, 1, random);
    const i0 = uniformArray(n, -1, 2, random);
    const plan = lowerSpec(LIF_SPEC, 'super');
    const mine = runPlanForward(plan, specKernelAttrs(LIF_SPEC, lifParameters(raw), 1e-3), { inputs: [x], states: [v0, i0] }, T, n);
    const [z, s] = lifFeedForwardIntegral(tf.tensor(x, [T, B, N]), { v: tf.tensor(v0, [B, N]), i: tf.tensor(i0, [B, N]) }, raw);
    expect(mine.outputs[0]).toEqual(await z.data());
    expect(mine.states[0]).toEqual(await s.v.data());
    expect(mine.states[1]).toEqual(await s.i.data());
    expect(Array.from(mine.outputs[0]!).filter((k) => k === 1).length).toBeGreaterThan(10);
  });

  it('LIF_RECURRENT_SPEC: the recurrent kernel layout, forward bit for bit and BPTT within 1e-4 of the composite', async () => {
    const T = 25, B = 3, nIn = 4, H = 6, n = B * H;
    const random = seededRandom(5);
    const input = tf.tensor(uniformArray(T * B * nIn, 0, 3, random), [T, B, nIn]);
    const wIn = tf.tensor(uniformArray(H * nIn, -1, 4, random), [H, nIn]);
    const wRec = tf.tensor(uniformArray(H * H, -2, 2, random), [H, H]);
    const z0 = tf.tensor(Float32Array.from({ length: n }, () => (random() < 0.4 ? 1 : 0)), [B, H]);
    const v0 = tf.tensor(uniformArray(n, -0.5, 1, random), [B, H]);
    const i0 = tf.tensor(uniformArray(n, -1, 2, random), [B, H]);
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
    expect(recurrentKernelInputs(plan)).toEqual(['x', 'z0', 'v0', 'i0', 'w']);
    const attrs = specKernelAttrs(LIF_RECURRENT_SPEC, lifParameters(raw), 1e-3);
    // The input current for every step, as the recurrent layers compute it (one product over T·B rows).
    const x = await tf.reshape(tf.matMul(tf.reshape(input, [T * B, nIn]), wIn, false, true), [T, B, H]).data() as Float32Array;
    const arrays = { inputs: [x], fedBack0: await z0.data() as Float32Array, states: [await v0.data() as Float32Array, await i0.data() as Float32Array], w: await wRec.data() as Float32Array };
    const size = { T, B, H };
    const mine = runRecurrentPlanForward(plan, attrs, arrays, size);
    const [z, s] = lifRecurrentIntegral(input, { z: z0, v: v0, i: i0 }, wIn, wRec, raw);
    expect(mine.outputs[0]).toEqual(await z.data());
    expect(mine.states[0]).toEqual(await s.v.data());
    expect(mine.states[1]).toEqual(await s.i.data());
    expect(Array.from(mine.outputs[0]!).filter((k) => k === 1).length).toBeGreaterThan(10);

    // Loss: Σ z·gz + Σ v_T·gv + Σ i_T·gi, through the composite step loop; gradients of x (the input current), z0, v0, i0 and w.
    const gzSeq = uniformArray(T * n, -1, 1, random), gv = uniformArray(n, -1, 1, random), gi = uniformArray(n, -1, 1, random);
    const xT = tf.tensor(x, [T, B, H]);
    const eye = tf.eye(H);
    const loss = (xs: tf.Tensor, zs: tf.Tensor, vs: tf.Tensor, is: tf.Tensor, w: tf.Tensor): tf.Scalar => {
      // An identity input product makes the layer's input current x itself.
      const [zz, st] = lifRecurrentIntegral(xs, { z: zs, v: vs, i: is }, eye, w, raw);
      return tf.add(tf.add(tf.sum(tf.mul(zz, tf.tensor(gzSeq, [T, B, H]))), tf.sum(tf.mul(st.v, tf.tensor(gv, [B, H])))), tf.sum(tf.mul(st.i, tf.tensor(gi, [B, H])))) as tf.Scalar;
    };
    const want = tf.grads(loss)([xT, z0, v0, i0, wRec]);
    const got = runRecurrentPlanBackward(plan, attrs, arrays, [gzSeq], [gv, gi], size);
    const close = async (a: Float32Array, b: tf.Tensor, what: string): Promise<void> => {
      const w = await b.data();
      expect(a.length, what).toBe(w.length);
      for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - w[k]!), `${what}[${k}]`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(w[k]!)));
    };
    await close(got.inputs[0]!, want[0]!, 'dx');
    await close(got.fedBack0, want[1]!, 'dz0');
    await close(got.states[0]!, want[2]!, 'dv0');
    await close(got.states[1]!, want[3]!, 'di0');
    await close(got.w, want[4]!, 'dw');
  });

  it('refuses a recurrent wiring that names no input, or leaves no input of its own', () => {
    const base = { parameters: { vTh: 1 }, states: { v: 0 } };
    expect(() => defineNeuron({
      name: 'RecurrentBadInput', ...base, inputs: ['x', 'r'], recurrent: { input: 'q' as 'r', output: 'z' },
      step: ({ state: { v }, input: { x, r }, p }) => ({ outputs: { z: spike(add(add(v, x), r)) }, next: { v: add(v, p.vTh) } }),
    })).toThrow(/RecurrentBadInput.*recurrent\.input expected one of the inputs \(x, r\); received "q"/);
    expect(() => defineNeuron({
      name: 'RecurrentOnlyInput', ...base, inputs: ['r'], recurrent: { input: 'r', output: 'z' },
      step: ({ state: { v }, input: { r }, p }) => ({ outputs: { z: spike(add(v, r)) }, next: { v: add(v, p.vTh) } }),
    })).toThrow(/RecurrentOnlyInput.*'r' is the only input/);
  });
});
