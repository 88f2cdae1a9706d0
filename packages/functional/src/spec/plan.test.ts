/**
 * The plan contract's reference interpreter: the hand-written LIF plan reproduces the composite LIF
 * integral bit for bit (cpu backend, fused kernels off) and its adjoint equals tfjs's gradient of the
 * composite; the every-op plan follows the documented float32 semantics, NaN included.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setFusedKernelsEnabled } from '@snn/tensor';
import { lifFeedForwardIntegral, lifParameters } from '../lif.js';
import { specKernelAttrs as lifSpecAttrs } from './lower.js';
import { LIF_SPEC } from './models/lif.js';
import { planCompiler, registerPlanCompiler, runPlanBackward, runPlanForward } from './plan.js';
import { EVERY_OP_TEST_PLAN, LIF_TEST_PLAN } from './test-plans.js';
import { seededRandom } from '@snn/tensor/testing';

const randomArray = (size: number, scale: number, random: () => number): Float32Array => Float32Array.from({ length: size }, () => (random() * 2 - 1) * scale);

describe('neuron plan reference semantics', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('the LIF test plan equals the composite LIF integral bit for bit, and its adjoint equals tf.grad', async () => {
    const T = 30, B = 3, N = 7, n = B * N;
    const random = seededRandom(7);
    const x = randomArray(T * n, 40, random);
    const v0 = randomArray(n, 1, random);
    const i0 = randomArray(n, 2, random);
    const gz = randomArray(T * n, 1, random);
    const gv = randomArray(n, 1, random);
    const gi = randomArray(n, 1, random);
    const p = lifParameters({ tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, method: 'super', alpha: 20 }, 'test');
    const attrs = lifSpecAttrs(LIF_SPEC, p, 1e-3) as unknown as Record<string, unknown>;
    const previous = setFusedKernelsEnabled(false);
    try {
      const xt = tf.tensor(x, [T, B, N]), v0t = tf.tensor(v0, [B, N]), i0t = tf.tensor(i0, [B, N]);
      const [z, s] = lifFeedForwardIntegral(xt, { v: v0t, i: i0t }, p);
      const run = runPlanForward(LIF_TEST_PLAN, attrs, { inputs: [x], states: [v0, i0] }, T, n);
      expect(run.outputs[0]).toEqual(await z.data());
      expect(run.states[0]).toEqual(await s.v.data());
      expect(run.states[1]).toEqual(await s.i.data());
      expect(Array.from(run.outputs[0]!).some((value) => value === 1)).toBe(true);

      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor): tf.Scalar => {
        const [zz, ss] = lifFeedForwardIntegral(a, { v: b, i: c }, p);
        return tf.addN([tf.sum(tf.mul(zz, tf.tensor(gz, [T, B, N]))), tf.sum(tf.mul(ss.v, tf.tensor(gv, [B, N]))), tf.sum(tf.mul(ss.i, tf.tensor(gi, [B, N])))]) as tf.Scalar;
      };
      const [dx, dv0, di0] = tf.grads(loss)([xt, v0t, i0t]);
      const back = runPlanBackward(LIF_TEST_PLAN, attrs, { inputs: [x], states: [v0, i0] }, [gz], [gv, gi], T, n);
      const close = async (got: Float32Array, want: tf.Tensor): Promise<void> => {
        const w = await want.data();
        got.forEach((value, k) => expect(Math.abs(value - w[k]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(w[k]!))));
      };
      await close(back.inputs[0]!, dx!);
      await close(back.states[0]!, dv0!);
      await close(back.states[1]!, di0!);
      tf.dispose([xt, v0t, i0t, z, s.v, s.i, dx!, dv0!, di0!]);
    } finally {
      setFusedKernelsEnabled(previous);
    }
  });

  it('the every-op plan follows the float32 semantics, NaN included', () => {
    const attrs = { k: 1.5, m: 0.25 };
    const run = runPlanForward(EVERY_OP_TEST_PLAN, attrs, { inputs: [Float32Array.of(0.1, NaN), Float32Array.of(-3, 0.2)], states: [Float32Array.of(0.2), Float32Array.of(-0.7)] }, 2, 1);
    const f = Math.fround;
    const s = f(0.2 + f(1.5 * f(0.1)));
    const w = f(f(0.7) + 0.5);
    const q = f(Math.max(f(Math.min(f(f(Math.tanh(s)) / w), f(Math.exp(f(-f(Math.log(w))))))), -3));
    const u1 = s > f(0.25) ? f(Math.sqrt(w)) : f(q - f(0.25));
    expect(run.outputs[0]![0]).toBe(f(q - f(0.25)) > 0 ? 1 : 0);
    expect(run.outputs[1]![0]).toBe(u1);
    expect(run.outputs[0]![1]).toBe(0); // Θ(NaN) = 0: x = NaN poisons u + k·x
    expect(Number.isNaN(run.outputs[1]![1]!)).toBe(true);
    const back = runPlanBackward(EVERY_OP_TEST_PLAN, attrs, { inputs: [Float32Array.of(0.1, 0.3), Float32Array.of(-3, 0.2)], states: [Float32Array.of(0.2), Float32Array.of(-0.7)] },
      [Float32Array.of(1, 0), Float32Array.of(0, 1)], [Float32Array.of(0.5), Float32Array.of(-0.5)], 2, 1);
    expect(back.inputs.map((a) => a.length)).toEqual([2, 2]);
    expect(back.states.every((a) => a.every(Number.isFinite))).toBe(true);
  });

  it('T = 0 returns the initial state and empty sequences', () => {
    const run = runPlanForward(LIF_TEST_PLAN, lifSpecAttrs(LIF_SPEC, lifParameters({}, 'test'), 1e-3) as unknown as Record<string, unknown>, { inputs: [new Float32Array(0)], states: [Float32Array.of(0.3), Float32Array.of(0.1)] }, 0, 1);
    expect(run.outputs[0]!.length).toBe(0);
    expect([run.states[0]![0], run.states[1]![0]]).toEqual([Math.fround(0.3), Math.fround(0.1)]);
  });

  it('registerPlanCompiler checks its arguments and keeps one compiler per backend', () => {
    expect(() => registerPlanCompiler('', () => ({ forward: () => [], backward: () => [] }))).toThrow(/backendName/);
    expect(() => registerPlanCompiler('test-backend', 3 as never)).toThrow(/compiler/);
    const compiler = () => ({ forward: () => [], backward: () => [] });
    registerPlanCompiler('test-backend', compiler);
    expect(planCompiler('test-backend')).toBe(compiler);
  });
});
