/**
 * The LSNN and adaptive-LIF specs (spec/models/lsnn.ts) against the models' composite paths on the cpu
 * backend, every fused kernel off: each spec's plan, run by the reference interpreters (plan.ts,
 * plan-recurrent.ts), reproduces the composite feed-forward integral and recurrent sequences bit for
 * bit (spikes and states, for every deterministic surrogate), and its derived adjoint is tf.grad of
 * the composite within 1e-4 (BPTT, weights included). Then the feed-forward integral through the
 * kernel generated from `LSNN_SPEC` (the interpreter as the cpu's plan compiler) against its step
 * loop, and the recurrent sequences and steps through the kernels generated from the recurrent specs
 * (the recurrent interpreter as the cpu's recurrent plan compiler) against their composite paths.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pmul, pneg, setFusedKernelsEnabled, tidy } from '@snn/tensor';
import { expectNoLeak, seededRandom, uniformArray } from '@snn/tensor/testing';
import { adaLIFStep, DEFAULT_LSNN_PARAMETERS, lsnnFeedForwardIntegral, lsnnParameters, lsnnStep, type LSNNState } from '../../lsnn.js';
import { adaLIFRecurrentIntegral, lsnnRecurrentIntegral } from '../../lsnn-recurrent.js';
import { SURROGATE_CODES, type FusableSurrogate } from '../../fused/surrogate-codes.js';
import { kernelsRun, onPath } from '../../testing/fused-support.js';
import { useInterpreterCompilerOnCpu, useRecurrentInterpreterCompilerOnCpu } from '../../testing/interpreter-on-cpu.js';
import { neuronIntegral } from '../neuron.js';
import { runPlanBackward, runPlanForward } from '../plan.js';
import { recurrentKernelInputs, runRecurrentPlanBackward, runRecurrentPlanForward } from '../plan-recurrent.js';
import { lowerSpec, specKernelAttrs } from '../lower.js';
import type { NeuronSpec } from '../define.js';
import { ADA_LIF_DEFAULTS, ADA_LIF_RECURRENT_SPEC, LSNN_DEFAULTS, LSNN_RECURRENT_SPEC, LSNN_SPEC } from './lsnn.js';

const METHODS = Object.keys(SURROGATE_CODES) as FusableSurrogate[];
const alphaOf = (method: FusableSurrogate): number => (method === 'circ' ? 0.5 : method === 'triangle' ? 1 : 20);
/** Fast adaptation and a small β, so that b moves and neurons spike again within the sequence. */
const raw = { tauMemInv: 90, tauSynInv: 210, tauAdaptInv: 40, vLeak: 0.1, vTh: 0.8, vReset: -0.1, beta: 0.3 };

async function expectClose(got: Float32Array, want: Tensor, what: string): Promise<void> {
  const w = await want.data();
  expect(got.length, what).toBe(w.length);
  for (let k = 0; k < w.length; k++) {
    if (!(Math.abs(got[k]! - w[k]!) <= 1e-4 * Math.max(1, Math.abs(w[k]!)))) throw new Error(`${what}[${k}]: got ${got[k]}, want ${w[k]} (tolerance 1e-4)`);
  }
}

const spikeCount = (z: Float32Array): number => z.reduce((n, k) => n + (k === 1 ? 1 : 0), 0);

describe('the LSNN specs', () => {
  it('carry the models\' defaults (the adaptive LIF has no v_reset) and lower to the recurrent kernel layout', () => {
    const { method: _m, alpha: _a, ...lsnn } = DEFAULT_LSNN_PARAMETERS;
    expect({ ...LSNN_DEFAULTS }).toEqual(lsnn);
    const { vReset: _r, ...adaLIF } = lsnn;
    expect({ ...ADA_LIF_DEFAULTS }).toEqual(adaLIF);
    for (const spec of [LSNN_SPEC, LSNN_RECURRENT_SPEC, ADA_LIF_RECURRENT_SPEC] as NeuronSpec[]) {
      expect({ method: spec.defaults.method, alpha: spec.defaults.alpha }, spec.name).toEqual({ method: 'super', alpha: 100 });
      expect(spec.stateNames, spec.name).toEqual(['v', 'i', 'b']);
    }
    expect(LSNN_SPEC.initial).toEqual({ v: 'vLeak', i: 0, b: 'vTh' });
    expect(ADA_LIF_RECURRENT_SPEC.initial).toEqual({ v: 'vLeak', i: 0, b: 0 });
    expect(recurrentKernelInputs(lowerSpec(LSNN_RECURRENT_SPEC, 'super'))).toEqual(['x', 'z0', 'v0', 'i0', 'b0', 'w']);
    expect(recurrentKernelInputs(lowerSpec(ADA_LIF_RECURRENT_SPEC, 'super'))).toEqual(['x', 'z0', 'v0', 'i0', 'b0', 'w']);
    expect(lowerSpec(LSNN_SPEC, 'super').kernelName).toBe('SnnSpecLSNNSuperIntegral');
  });

  it('give the kernels the composite\'s float32 coefficients (the adaptation decays with +dt·τ⁻¹ towards v_th in the LSNN, −dt·τ⁻¹ to 0 in the adaptive LIF)', () => {
    const c = specKernelAttrs(LSNN_SPEC, lsnnParameters({}), 1e-3);
    expect(c['dtTauAdaptInv']).toBe(pmul(1e-3, 1 / 800));
    expect(c['dtTauMemInv']).toBe(pmul(1e-3, 100));
    expect(c['negDtTauSynInv']).toBe(pmul(pneg(1e-3), 200));
    expect(c['beta']).toBe(Math.fround(1.8));
    const d = specKernelAttrs(ADA_LIF_RECURRENT_SPEC, lsnnParameters({ tauAdaptInv: 3.3 }), 7e-4);
    expect(d['negDtTauAdaptInv']).toBe(pmul(pneg(7e-4), 3.3));
    expect(d['negDtTauAdaptInv']).toBeLessThan(0);
    expect(d['negDtTauSynInv']).toBe(pmul(pneg(7e-4), 200));
    expect(d['vReset']).toBeUndefined();
  });
});

describe('the LSNN specs against the composite paths (cpu, the reference interpreters, fused kernels off)', () => {
  let previous = true;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    previous = setFusedKernelsEnabled(false);
  });
  afterAll(() => { setFusedKernelsEnabled(previous); });

  for (const method of METHODS) {
    it(`LSNN_SPEC, ${method}: lsnnFeedForwardIntegral bit for bit, BPTT within 1e-4`, async () => {
      const T = 30, B = 2, N = 7, n = B * N;
      const p = { ...raw, method, alpha: alphaOf(method) };
      const random = seededRandom(11);
      const x = uniformArray(T * n, -20, 60, random);
      const init = [uniformArray(n, -0.5, 1, random), uniformArray(n, -1, 2, random), uniformArray(n, 0.6, 1.2, random)];
      const plan = lowerSpec(LSNN_SPEC, method);
      const attrs = specKernelAttrs(LSNN_SPEC, lsnnParameters(p), 1e-3);
      const mine = runPlanForward(plan, attrs, { inputs: [x], states: init }, T, n);
      const xs = tf.tensor(x, [T, B, N]);
      const [v0, i0, b0] = init.map((a) => tf.tensor(a, [B, N]));
      const [z, s] = lsnnFeedForwardIntegral(xs, { v: v0!, i: i0!, b: b0! }, p);
      expect(mine.outputs[0]).toEqual(await z.data());
      expect(mine.states).toEqual([await s.v.data(), await s.i.data(), await s.b.data()]);
      expect(spikeCount(mine.outputs[0]!)).toBeGreaterThan(10);
      expect(spikeCount(mine.outputs[0]!)).toBeLessThan(T * n - 10);

      const gz = uniformArray(T * n, -1, 1, random);
      const gs = [uniformArray(n, -1, 1, random), uniformArray(n, -1, 1, random), uniformArray(n, -1, 1, random)];
      const loss = (a: Tensor, v: Tensor, i: Tensor, b: Tensor): tf.Scalar => {
        const [zz, st] = lsnnFeedForwardIntegral(a, { v, i, b }, p);
        return tf.addN([tf.sum(tf.mul(zz, tf.tensor(gz, [T, B, N]))), ...[st.v, st.i, st.b].map((t, k) => tf.sum(tf.mul(t, tf.tensor(gs[k]!, [B, N]))))]) as tf.Scalar;
      };
      const want = tf.grads(loss)([xs, v0!, i0!, b0!]);
      const got = runPlanBackward(plan, attrs, { inputs: [x], states: init }, [gz], gs, T, n);
      await expectClose(got.inputs[0]!, want[0]!, 'dx');
      for (const [k, name] of ['dv0', 'di0', 'db0'].entries()) await expectClose(got.states[k]!, want[k + 1]!, name);
      tf.dispose([xs, v0!, i0!, b0!, z, s.v, s.i, s.b, ...want]);
    });
  }

  const RECURRENT = [
    ['LSNN_RECURRENT_SPEC', LSNN_RECURRENT_SPEC as unknown as NeuronSpec, lsnnRecurrentIntegral, [0.6, 1.2]],
    ['ADA_LIF_RECURRENT_SPEC', ADA_LIF_RECURRENT_SPEC as unknown as NeuronSpec, adaLIFRecurrentIntegral, [0, 0.4]],
  ] as const;

  for (const [title, spec, integral, bRange] of RECURRENT) {
    for (const method of ['super', 'triangle'] as const) {
      it(`${title}, ${method}: the recurrent sequence bit for bit, BPTT (input current, z0, states, weights) within 1e-4`, async () => {
        const T = 25, B = 3, nIn = 4, H = 6, n = B * H;
        const p = { ...raw, method, alpha: alphaOf(method) };
        const random = seededRandom(5);
        const input = tf.tensor(uniformArray(T * B * nIn, 0, 3, random), [T, B, nIn]);
        const wIn = tf.tensor(uniformArray(H * nIn, -1, 4, random), [H, nIn]);
        const wRec = tf.tensor(uniformArray(H * H, -2, 2, random), [H, H]);
        const z0 = tf.tensor(Float32Array.from({ length: n }, () => (random() < 0.4 ? 1 : 0)), [B, H]);
        const init = [uniformArray(n, -0.5, 1, random), uniformArray(n, -1, 2, random), uniformArray(n, bRange[0], bRange[1], random)];
        const [v0, i0, b0] = init.map((a) => tf.tensor(a, [B, H]));
        const plan = lowerSpec(spec, method);
        const attrs = specKernelAttrs(spec, lsnnParameters(p), 1e-3);
        // The input current for every step, as the recurrent layers compute it (one product over T·B rows).
        const xT = tf.reshape(tf.matMul(tf.reshape(input, [T * B, nIn]), wIn, false, true), [T, B, H]);
        const x = await xT.data() as Float32Array;
        const arrays = { inputs: [x], fedBack0: await z0.data() as Float32Array, states: init, w: await wRec.data() as Float32Array };
        const size = { T, B, H };
        const mine = runRecurrentPlanForward(plan, attrs, arrays, size);
        const [z, s] = integral(input, { z: z0, v: v0!, i: i0!, b: b0! }, wIn, wRec, p);
        expect(mine.outputs[0]).toEqual(await z.data());
        expect(mine.states).toEqual([await s.v.data(), await s.i.data(), await s.b.data()]);
        expect(spikeCount(mine.outputs[0]!)).toBeGreaterThan(10);
        expect(spikeCount(mine.outputs[0]!)).toBeLessThan(T * n - 10);

        const gz = uniformArray(T * n, -1, 1, random);
        const gs = [uniformArray(n, -1, 1, random), uniformArray(n, -1, 1, random), uniformArray(n, -1, 1, random)];
        const eye = tf.eye(H);
        const loss = (xs: Tensor, zs: Tensor, v: Tensor, i: Tensor, b: Tensor, w: Tensor): tf.Scalar => {
          // An identity input product makes the layer's input current x itself.
          const [zz, st] = integral(xs, { z: zs, v, i, b } as LSNNState, eye, w, p);
          return tf.addN([tf.sum(tf.mul(zz, tf.tensor(gz, [T, B, H]))), ...[st.v, st.i, st.b].map((t, k) => tf.sum(tf.mul(t, tf.tensor(gs[k]!, [B, H]))))]) as tf.Scalar;
        };
        const want = tf.grads(loss)([xT, z0, v0!, i0!, b0!, wRec]);
        const got = runRecurrentPlanBackward(plan, attrs, arrays, [gz], gs, size);
        await expectClose(got.inputs[0]!, want[0]!, 'dx');
        await expectClose(got.fedBack0, want[1]!, 'dz0');
        for (const [k, name] of ['dv0', 'di0', 'db0'].entries()) await expectClose(got.states[k]!, want[k + 2]!, name);
        await expectClose(got.w, want[5]!, 'dw');
        tf.dispose([input, wIn, wRec, z0, v0!, i0!, b0!, xT, eye, z, s.z, s.v, s.i, s.b, ...want]);
      });
    }
  }
});

describe('lsnnFeedForwardIntegral through the kernel generated from LSNN_SPEC (cpu, the interpreter as its plan compiler)', () => {
  useInterpreterCompilerOnCpu();
  const T = 30, B = 2, N = 5;

  it('equals the composite step loop bit for bit (tf.grad within 1e-4); tensor parameters keep the composite path; no leak', async () => {
    const random = seededRandom(3);
    const x = tf.tensor(uniformArray(T * B * N, -20, 60, random), [T, B, N]);
    const s0 = { v: tf.tensor(uniformArray(B * N, -0.5, 1, random), [B, N]), i: tf.tensor(uniformArray(B * N, -1, 2, random), [B, N]), b: tf.tensor(uniformArray(B * N, 0.6, 1.2, random), [B, N]) };
    const p = { ...raw, method: 'super' as const, alpha: 20 };
    const kernel = lowerSpec(LSNN_SPEC, 'super').kernelName;
    const run = (q: object) => (): Tensor[] => {
      const [z, s] = lsnnFeedForwardIntegral(x, s0, q);
      return [z, s.v, s.i, s.b];
    };
    const fused = await kernelsRun(run(p));
    expect(fused.names).toContain(kernel);
    const composite = await kernelsRun(() => onPath(false, run(p)));
    expect(composite.names).not.toContain(kernel);
    for (let k = 0; k < 4; k++) expect(await fused.result[k]!.data()).toEqual(await composite.result[k]!.data());
    const weights = tf.tensor(uniformArray(T * B * N, -1, 1, random), [T, B, N]);
    const loss = (a: Tensor, v: Tensor, i: Tensor, b: Tensor): tf.Scalar => {
      const [z, s] = lsnnFeedForwardIntegral(a, { v, i, b }, p);
      return tf.addN([tf.sum(tf.mul(z, weights)), tf.sum(tf.square(s.v)), tf.sum(tf.square(s.i)), tf.sum(tf.square(s.b))]) as tf.Scalar;
    };
    const xs = [x, s0.v, s0.i, s0.b];
    const fusedGrads = await kernelsRun(() => tf.grads(loss)(xs));
    expect(fusedGrads.names).toContain(`${kernel}Grad`);
    const compositeGrads = onPath(false, () => tf.grads(loss)(xs));
    for (let k = 0; k < 4; k++) await expectClose(await fusedGrads.result[k]!.data() as Float32Array, compositeGrads[k]!, `gradient ${k}`);

    // τ_adapt⁻¹ = 0 (b moves only at spikes) is a valid LSNN parameter: the kernel takes it too, and so does the
    // spec's own integral (nonNegative), which refuses a negative one.
    const constant = { ...p, tauAdaptInv: 0 };
    const [zSpec, sSpec] = neuronIntegral(LSNN_SPEC, x, s0, constant);
    const [zModel, sModel] = lsnnFeedForwardIntegral(x, s0, constant);
    expect(await zSpec.data()).toEqual(await zModel.data());
    expect(await sSpec.b.data()).toEqual(await sModel.b.data());
    tf.dispose([zSpec, zModel, ...Object.values(sSpec), ...Object.values(sModel)]);
    expect(() => neuronIntegral(LSNN_SPEC, x, s0, { ...p, tauAdaptInv: -1 })).toThrow(/tauAdaptInv/);
    const still = await kernelsRun(run(constant));
    expect(still.names).toContain(kernel);
    const stillComposite = onPath(false, run(constant));
    for (let k = 0; k < 4; k++) expect(await still.result[k]!.data()).toEqual(await stillComposite[k]!.data());
    tf.dispose([...still.result, ...stillComposite]);

    const beta = tf.fill([N], 0.3);
    const withTensor = await kernelsRun(run({ ...p, beta }));
    expect(withTensor.names.some((k) => k.startsWith('SnnSpecLSNN'))).toBe(false);
    expect(await withTensor.result[0]!.data()).toEqual(await composite.result[0]!.data());
    await expectNoLeak(() => {
      tf.dispose(run(p)());
      tf.dispose(tf.grads((a: Tensor) => tf.sum(lsnnFeedForwardIntegral(a, s0, p)[0]))([x]));
    }, 'the fused LSNN integral and its gradient');
    tf.dispose([x, ...Object.values(s0), weights, beta, ...fused.result, ...composite.result, ...withTensor.result, ...fusedGrads.result, ...compositeGrads]);
  });
});

describe('the recurrent LSNN and adaptive LIF through the kernels generated from their specs (cpu, the recurrent interpreter as its compiler)', () => {
  useRecurrentInterpreterCompilerOnCpu();
  const T = 12, B = 3, nIn = 5, H = 7;
  type Sequence = (x: Tensor, s: LSNNState, wIn: Tensor, wRec: Tensor, p: object, dt: number) => [Tensor, LSNNState];
  type Step = Sequence;
  /** The step function over the time axis (what a cell does): spikes [T, B, H] and the last state. */
  const rollout = (step: Step): Sequence => (x, s, wIn, wRec, p, dt) => tidy(() => {
    let state = s;
    const zs: Tensor[] = [];
    for (const xt of tf.unstack(x)) {
      const [z, next] = step(xt, state, wIn, wRec, p, dt);
      zs.push(z);
      state = next;
    }
    return [tf.stack(zs), state] as [Tensor, LSNNState];
  });
  const CASES = [
    ['LSNN', LSNN_RECURRENT_SPEC as unknown as NeuronSpec, lsnnRecurrentIntegral, lsnnStep, [0.6, 1.2]],
    ['adaptive LIF', ADA_LIF_RECURRENT_SPEC as unknown as NeuronSpec, adaLIFRecurrentIntegral, adaLIFStep, [0, 0.4]],
  ] as const;

  for (const [title, spec, sequence, step, bRange] of CASES) {
    for (const [how, run] of [['sequence', sequence as Sequence], ['step', rollout(step as Step)]] as const) {
      it(`${title}, the ${how}: the generated kernel ran; spikes and states bit for bit, every gradient within 1e-4 of the composite; no leak`, async () => {
        const random = seededRandom(how === 'step' ? 8 : 9);
        const p = { ...raw, method: 'tanh' as const, alpha: 2 };
        const kernel = lowerSpec(spec, 'tanh').kernelName;
        const input = tf.tensor(uniformArray(T * B * nIn, 0, 3, random), [T, B, nIn]);
        const wIn = tf.tensor(uniformArray(H * nIn, -1, 4, random), [H, nIn]);
        const wRec = tf.tensor(uniformArray(H * H, -2, 2, random), [H, H]);
        const state = {
          z: tf.tensor(Float32Array.from({ length: B * H }, () => (random() < 0.4 ? 1 : 0)), [B, H]),
          v: tf.tensor(uniformArray(B * H, -0.5, 1, random), [B, H]), i: tf.tensor(uniformArray(B * H, -1, 2, random), [B, H]),
          b: tf.tensor(uniformArray(B * H, bRange[0], bRange[1], random), [B, H]),
        };
        const forward = (): Tensor[] => {
          const [z, s] = run(input, state, wIn, wRec, p, 1e-3);
          return [z, s.z, s.v, s.i, s.b];
        };
        const fused = await kernelsRun(forward);
        expect(fused.names).toContain(kernel);
        const composite = await kernelsRun(() => onPath(false, forward));
        expect(composite.names).not.toContain(kernel);
        for (let k = 0; k < 5; k++) expect(await fused.result[k]!.data(), ['z', 'final z', 'v', 'i', 'b'][k]).toEqual(await composite.result[k]!.data());
        expect(spikeCount(await fused.result[0]!.data() as Float32Array)).toBeGreaterThan(10);

        const gz = tf.tensor(uniformArray(T * B * H, -1, 1, random), [T, B, H]);
        const loss = (x: Tensor, w1: Tensor, w2: Tensor, z: Tensor, v: Tensor, i: Tensor, b: Tensor): tf.Scalar => {
          const [zz, s] = run(x, { z, v, i, b }, w1, w2, p, 1e-3);
          return tf.addN([tf.sum(tf.mul(zz, gz)), tf.sum(tf.square(s.v)), tf.sum(tf.square(s.i)), tf.sum(tf.square(s.b))]) as tf.Scalar;
        };
        const args = [input, wIn, wRec, state.z, state.v, state.i, state.b];
        const fusedGrads = await kernelsRun(() => tf.grads(loss)(args));
        expect(fusedGrads.names).toContain(`${kernel}Grad`);
        const compositeGrads = onPath(false, () => tf.grads(loss)(args));
        const names = ['input', 'inputWeights', 'recurrentWeights', 'z0', 'v0', 'i0', 'b0'];
        for (let k = 0; k < args.length; k++) await expectClose(await fusedGrads.result[k]!.data() as Float32Array, compositeGrads[k]!, `dLoss/d${names[k]}`);
        await expectNoLeak(() => {
          tf.dispose(forward());
          tf.dispose(tf.grads(loss)(args));
        }, `the fused ${title} ${how} and its gradient`);
        tf.dispose([...args, gz, ...fused.result, ...composite.result, ...fusedGrads.result, ...compositeGrads]);
      });
    }
  }
});
