/**
 * The wasm recurrent sequence kernels generated from a recurrent plan (recurrent.ts): LIF_RECURRENT_SPEC
 * lowered for every deterministic surrogate equals the composite lifRecurrentIntegral on wasm (spikes
 * exactly, states 1e-5, every gradient 1e-4 of tf.grads through the composite step loop) and the
 * plan's reference kernels (runRecurrentPlanForward/Backward: their product sums in float64, ours in
 * float32 as every wasm recurrent kernel does); a test spec with three states, two sequence inputs
 * around r, two outputs (the fed-back one second) and r entering after the dynamics equals the
 * reference too; T = 0, B = 1, H = 1 and odd H; the module's plain and shared-memory builds; the
 * reference kernels while a thread refuses to compile synchronously; misshaped inputs are named
 * errors; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  defineNeuron, expr, lifParameters, lifRecurrentIntegral, LIF_RECURRENT_SPEC, lowerSpec, recurrentPlanCompiler, runRecurrentPlanBackward,
  runRecurrentPlanForward, specKernelAttrs, SURROGATE_DERIVATIVES, type NeuronPlan,
} from '@snn/functional';
import { setFusedKernelsEnabled } from '@snn/tensor';
import { expectNoLeak, seededRandom, uniformArray } from '@snn/tensor/testing';
import { useWasm } from '../test-support.js';
import { compileWasmRecurrentPlan } from './recurrent.js';
import { forgetPlanModules, planExports, planModuleBytes, precompileWasmPlan, setSynchronousCompile } from './modules.js';
import { backendMemory } from '../heap.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const { add, mul, neg, spike, sub, detach } = expr;

/**
 * An LSNN-like test neuron: an adaptive threshold b, several outputs (the membrane u before the reset,
 * then the spikes z, fed back), two sequence inputs on either side of r, and r entering the synaptic
 * current after this step's dynamics (it reaches the voltage one step later).
 */
const ADAPTIVE_TEST = defineNeuron({
  name: 'WasmRecurrentAdaptiveTest',
  parameters: { tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 20, vLeak: 0, vTh: 1, beta: 0.3 },
  states: { v: 'vLeak', i: 0, b: 0 },
  inputs: ['x', 'r', 'g'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => ({ kMem: mul(dt, p.tauMemInv), kSyn: mul(neg(dt), p.tauSynInv), kAdapt: mul(dt, p.tauAdaptInv) }),
  step: ({ state: { v, i, b }, input: { x, r, g }, p, c }) => {
    const u = add(v, mul(c.kMem, add(sub(p.vLeak, v), mul(g, add(i, x)))));
    const theta = add(p.vTh, b);
    const z = spike(sub(u, theta));
    return {
      outputs: { u, z },
      next: { v: sub(u, mul(detach(z), theta)), i: add(add(i, mul(c.kSyn, i)), r), b: add(sub(b, mul(c.kAdapt, b)), mul(p.beta, z)) },
    };
  },
});

const METHODS = Object.keys(SURROGATE_DERIVATIVES) as (keyof typeof SURROGATE_DERIVATIVES)[];
const raw = { tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, alpha: 20 };

/** Registers `plan`'s generated kernels under a test name; returns that name and an unregister function. */
function registerUnder(plan: NeuronPlan, name: string): { name: string; dispose: () => void } {
  const { forward, backward } = compileWasmRecurrentPlan(plan);
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: forward });
  tf.registerKernel({ kernelName: `${name}Grad`, backendName: 'wasm', kernelFunc: backward });
  return { name, dispose: () => { tf.unregisterKernel(name, 'wasm'); tf.unregisterKernel(`${name}Grad`, 'wasm'); } };
}

const data = async (t: Tensor): Promise<Float32Array> => (await t.data()) as Float32Array;
const spikes = (size: number, random: () => number, p = 0.3): Float32Array => Float32Array.from({ length: size }, () => (random() < p ? 1 : 0));

/** |got − want| ≤ tol·max(1, |want|) everywhere (NaN only where NaN is expected); the first few misses. */
function misses(label: string, got: Float32Array, want: Float32Array, tol: number): string[] {
  if (got.length !== want.length) return [`${label}: length ${got.length}, expected ${want.length}`];
  const out: string[] = [];
  for (let k = 0; k < got.length && out.length < 4; k++) {
    const a = got[k]!, b = want[k]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) out.push(`${label}[${k}]: ${a}, expected ${b}`);
  }
  return out;
}

/** Runs `plan`'s generated kernels (registered as `name`) and its reference kernels on the same random inputs; returns the misses. */
async function againstReference(plan: NeuronPlan, name: string, attrs: Record<string, number | string>, T: number, B: number, H: number, seed: number): Promise<string[]> {
  const rec = plan.recurrent!;
  const n = B * H;
  const random = seededRandom(seed);
  const sequences = plan.inputs.filter((_, j) => j !== rec.input).map((x) => uniformArray(T * n, x === 'g' ? 0.5 : -10, x === 'g' ? 1.5 : 60, random));
  const fedBack0 = spikes(n, random);
  const states = plan.states.map(() => uniformArray(n, -0.5, 1, random));
  const w = uniformArray(H * H, -0.4, 0.5, random); // a contractive recurrence: float32 and float64 sums stay close over BPTT
  const gradOutputs = plan.outputs.map(() => uniformArray(T * n, -1, 1, random));
  const gradStates = plan.states.map(() => uniformArray(n, -1, 1, random));
  const size = { T, B, H };
  const want = runRecurrentPlanForward(plan, attrs, { inputs: sequences, fedBack0, states, w }, size);
  const wantGrad = runRecurrentPlanBackward(plan, attrs, { inputs: sequences, fedBack0, states, w }, gradOutputs, gradStates, size);
  const inputs: Record<string, Tensor> = {};
  plan.inputs.filter((_, j) => j !== rec.input).forEach((x, k) => { inputs[x] = tf.tensor(sequences[k]!, [T, B, H]); });
  inputs[`${plan.outputs[rec.output]!}0`] = tf.tensor(fedBack0, [B, H]);
  plan.states.forEach((s, k) => { inputs[`${s}0`] = tf.tensor(states[k]!, [B, H]); });
  inputs['w'] = tf.tensor(w, [H, H]);
  const grads: Record<string, Tensor> = { ...inputs };
  plan.outputs.forEach((o, k) => { grads[`d${o}`] = tf.tensor(gradOutputs[k]!, [T, B, H]); });
  plan.states.forEach((s, k) => { grads[`d${s}`] = tf.tensor(gradStates[k]!, [B, H]); });
  const got = tf.engine().runKernel(name, inputs, attrs) as Tensor[];
  const gotGrad = tf.engine().runKernel(`${name}Grad`, grads, attrs) as Tensor[];
  const problems: string[] = [];
  const at = `${plan.kernelName} T=${T} B=${B} H=${H}`;
  for (const [j, o] of plan.outputs.entries()) problems.push(...misses(`${at} ${o}`, await data(got[j]!), want.outputs[j]!, j === rec.output ? 0 : 1e-5));
  for (const [s, st] of plan.states.entries()) problems.push(...misses(`${at} ${st}T`, await data(got[plan.outputs.length + s]!), want.states[s]!, 1e-5));
  const wantGrads = [...wantGrad.inputs, wantGrad.fedBack0, ...wantGrad.states, wantGrad.w];
  expect(gotGrad.length).toBe(wantGrads.length);
  for (const [k, g] of wantGrads.entries()) problems.push(...misses(`${at} grad ${k}`, await data(gotGrad[k]!), g, 1e-4));
  tf.dispose([...Object.values(grads), ...got, ...gotGrad]);
  return problems;
}

describe('recurrent sequence kernels generated from a recurrent plan (wasm)', () => {
  let previous = true;
  beforeAll(async () => {
    await useWasm();
    previous = setFusedKernelsEnabled(false); // the composite path is the comparison
  });
  afterAll(() => { setFusedKernelsEnabled(previous); });

  it('is the wasm recurrent plan compiler once the kernels are registered', () => {
    expect(recurrentPlanCompiler('wasm')).toBe(compileWasmRecurrentPlan);
  });

  it("a recurrent plan's module (plain and shared-memory builds) imports the memory and the recurrent products, and exports its time loops", () => {
    for (const plan of [lowerSpec(LIF_RECURRENT_SPEC, 'tanh'), lowerSpec(ADAPTIVE_TEST, 'tanh')]) {
      for (const shared of [false, true]) {
        const module = new WebAssembly.Module(planModuleBytes(plan, shared));
        expect(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`)).toEqual([
          'env.memory:memory', 'snn.recurrentProduct:function', 'snn.addArrays:function', 'snn.recurrentWeightGrad:function', 'snn.denseRowsTimes:function',
        ]);
        expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual(['backward', 'forward', 'sequence', 'sequenceAdjoint', 'sequenceTaped']);
        const memory = shared ? new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true }) : new WebAssembly.Memory({ initial: 1 });
        // planExports instantiates it with the AssemblyScript module's products on the same memory (its shared build there).
        expect(Object.keys(planExports(plan, memory)!).sort()).toEqual(['backward', 'forward', 'sequence', 'sequenceAdjoint', 'sequenceTaped']);
      }
    }
  });

  for (const method of METHODS) {
    it(`LIF_RECURRENT_SPEC (${method}) equals the composite lifRecurrentIntegral: spikes exactly, states 1e-5, gradients 1e-4`, async () => {
      const T = 20, B = 3, H = 13, n = B * H;
      const plan = lowerSpec(LIF_RECURRENT_SPEC, method);
      const q = lifParameters({ ...raw, method });
      const attrs = specKernelAttrs(LIF_RECURRENT_SPEC, q, 1e-3);
      const kernels = registerUnder(plan, `SnnTestWasmRecurrentLIF_${method}`);
      const random = seededRandom(3);
      const x = tf.tensor(uniformArray(T * n, -5, 45, random), [T, B, H]);
      const z0 = tf.tensor(spikes(n, random), [B, H]);
      const v0 = tf.tensor(uniformArray(n, -0.5, 1, random), [B, H]);
      const i0 = tf.tensor(uniformArray(n, -1, 2, random), [B, H]);
      const w = tf.tensor(uniformArray(H * H, -2, 2, random), [H, H]);
      const eye = tf.eye(H);
      const [zs, st] = lifRecurrentIntegral(x, { z: z0, v: v0, i: i0 }, eye, w, q);
      const [z, v, i] = tf.engine().runKernel(kernels.name, { x, z0, v0, i0, w }, attrs) as Tensor[];
      expect(Array.from(await data(z!))).toEqual(Array.from(await data(zs)));
      expect(misses('v', await data(v!), await data(st.v), 1e-5)).toEqual([]);
      expect(misses('i', await data(i!), await data(st.i), 1e-5)).toEqual([]);
      const fired = (await data(z!)).reduce((a, b) => a + b, 0);
      expect(fired).toBeGreaterThan(n); // the recurrent product sees spikes at most steps

      const gz = tf.tensor(uniformArray(T * n, -1, 1, random), [T, B, H]);
      const gv = tf.tensor(uniformArray(n, -1, 1, random), [B, H]);
      const gi = tf.tensor(uniformArray(n, -1, 1, random), [B, H]);
      const loss = (xs: Tensor, zz: Tensor, vs: Tensor, is: Tensor, ws: Tensor): tf.Scalar => {
        const [out, s] = lifRecurrentIntegral(xs, { z: zz, v: vs, i: is }, eye, ws, q);
        return tf.addN([tf.sum(tf.mul(out, gz)), tf.sum(tf.mul(s.v, gv)), tf.sum(tf.mul(s.i, gi))]) as tf.Scalar;
      };
      const want = tf.grads(loss)([x, z0, v0, i0, w]);
      const got = tf.engine().runKernel(`${kernels.name}Grad`, { x, z0, v0, i0, w, dz: gz, dv: gv, di: gi }, attrs) as Tensor[];
      const labels = ['dx', 'dz0', 'dv0', 'di0', 'dw'];
      for (let k = 0; k < 5; k++) expect(misses(labels[k]!, await data(got[k]!), await data(want[k]!), 1e-4)).toEqual([]);
      expect(await againstReference(plan, kernels.name, attrs, 9, 2, 7, 17)).toEqual([]);
      tf.dispose([x, z0, v0, i0, w, eye, zs, st.z, st.v, st.i, z!, v!, i!, gz, gv, gi, ...want, ...got]);
      kernels.dispose();
    });
  }

  it('a spec with three states, inputs around r, two outputs (the fed-back one second) and r after the dynamics equals the reference kernels', async () => {
    for (const method of ['super', 'heaviErfc'] as const) {
      const plan = lowerSpec(ADAPTIVE_TEST, method);
      expect(plan.recurrent).toEqual({ input: 1, output: 1 });
      const attrs = specKernelAttrs(ADAPTIVE_TEST, { ...ADAPTIVE_TEST.defaults, method, alpha: 10 }, 1e-3);
      const kernels = registerUnder(plan, `SnnTestWasmRecurrentAdaptive_${method}`);
      const problems: string[] = [];
      for (const [T, B, H, seed] of [[30, 4, 33, 1], [17, 1, 1, 2], [1, 2, 4, 3], [0, 2, 5, 4], [12, 5, 8, 5]] as const) {
        problems.push(...await againstReference(plan, kernels.name, attrs, T, B, H, seed));
      }
      expect(problems).toEqual([]);
      kernels.dispose();
    }
  });

  it('where synchronous compilation is refused, runs the reference kernels (saying so once) until the background compile is done', async () => {
    const plan: NeuronPlan = { ...lowerSpec(ADAPTIVE_TEST, 'tanh'), key: 'test-recurrent-plan-async' };
    const attrs = specKernelAttrs(ADAPTIVE_TEST, { ...ADAPTIVE_TEST.defaults, method: 'tanh', alpha: 3 }, 1e-3);
    const kernels = registerUnder(plan, 'SnnTestWasmRecurrentAsync');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const previous = setSynchronousCompile(() => {
      throw new RangeError('WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 4KB');
    });
    try {
      forgetPlanModules(plan);
      for (let k = 0; k < 2; k++) expect(await againstReference(plan, kernels.name, attrs, 9, 2, 7, 30 + k)).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/SnnSpecWasmRecurrentAdaptiveTestTanhIntegral: this thread refuses to compile .* precompileWasmPlan/);
      await precompileWasmPlan(plan);
      expect(planExports(plan, backendMemory(tf.backend() as BackendWasm))?.sequence).toBeDefined();
      expect(await againstReference(plan, kernels.name, attrs, 9, 2, 7, 32)).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      setSynchronousCompile(previous);
      warn.mockRestore();
      kernels.dispose();
    }
  });

  it('LIF: T = 0 returns empty sequences, the initial states, zero gradients for z0 and w and the given state gradients', async () => {
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
    const attrs = specKernelAttrs(LIF_RECURRENT_SPEC, lifParameters(raw), 1e-3);
    const kernels = registerUnder(plan, 'SnnTestWasmRecurrentLIFEmpty');
    const x = tf.zeros([0, 2, 3]);
    const z0 = tf.ones([2, 3]), v0 = tf.fill([2, 3], 0.25), i0 = tf.fill([2, 3], -0.5), w = tf.ones([3, 3]);
    const dv = tf.fill([2, 3], 2), di = tf.fill([2, 3], 3);
    const [z, v, i] = tf.engine().runKernel(kernels.name, { x, z0, v0, i0, w }, attrs) as Tensor[];
    expect(z!.shape).toEqual([0, 2, 3]);
    expect(Array.from(await data(v!))).toEqual(Array(6).fill(0.25));
    expect(Array.from(await data(i!))).toEqual(Array(6).fill(-0.5));
    const g = tf.engine().runKernel(`${kernels.name}Grad`, { x, z0, v0, i0, w, dz: x, dv, di }, attrs) as Tensor[];
    expect(g.map((t) => t.shape)).toEqual([[0, 2, 3], [2, 3], [2, 3], [2, 3], [3, 3]]);
    expect(Array.from(await data(g[1]!))).toEqual(Array(6).fill(0));
    expect(Array.from(await data(g[2]!))).toEqual(Array(6).fill(2));
    expect(Array.from(await data(g[3]!))).toEqual(Array(6).fill(3));
    expect(Array.from(await data(g[4]!))).toEqual(Array(9).fill(0));
    tf.dispose([x, z0, v0, i0, w, dv, di, z!, v!, i!, ...g]);
    kernels.dispose();
  });

  it('names the kernel, the input and what it expected for misshaped or missing inputs', () => {
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
    const attrs = specKernelAttrs(LIF_RECURRENT_SPEC, lifParameters(raw), 1e-3);
    const kernels = registerUnder(plan, 'SnnTestWasmRecurrentLIFErrors');
    const ok = { x: tf.zeros([4, 2, 3]), z0: tf.zeros([2, 3]), v0: tf.zeros([2, 3]), i0: tf.zeros([2, 3]), w: tf.zeros([3, 3]) };
    const run = (inputs: Record<string, Tensor>): unknown => tf.engine().runKernel(kernels.name, inputs, attrs);
    const held = tf.memory().numTensors;
    expect(() => run({ ...ok, w: tf.zeros([3, 4]) })).toThrow(`${plan.kernelName} (wasm): input 'w' expected shape [3, 3]; received [3, 4]`);
    expect(() => run({ ...ok, v0: tf.zeros([2, 4]) })).toThrow(`${plan.kernelName} (wasm): input 'v0' expected the shape of 'z0', [2, 3]; received [2, 4]`);
    expect(() => run({ ...ok, x: tf.zeros([4, 3, 3]) })).toThrow(`${plan.kernelName} (wasm): input 'x' expected shape [T, 2, 3]`);
    expect(() => run({ ...ok, z0: tf.zeros([6]), v0: tf.zeros([6]), i0: tf.zeros([6]) })).toThrow(`${plan.kernelName} (wasm): input 'z0' expected shape [B, H]; received [6]`);
    const { w: _w, ...noW } = ok;
    expect(() => run(noW)).toThrow(`${plan.kernelName} (wasm): missing input 'w'`);
    expect(() => tf.engine().runKernel(`${kernels.name}Grad`, { ...ok, dz: tf.zeros([5, 2, 3]), dv: tf.zeros([2, 3]), di: tf.zeros([2, 3]) }, attrs))
      .toThrow(`${plan.kernelName}Grad (wasm): input 'dz' expected the shape of 'x', [4, 2, 3]; received [5, 2, 3]`);
    expect(() => run({ ...ok, x: tf.zeros([4, 2, 3], 'int32') })).toThrow(`${plan.kernelName} (wasm): input 'x' expected dtype float32; received int32`);
    expect(tf.memory().numTensors - held).toBe(10); // only the misshaped test inputs made above: no output was left allocated
    expect(() => compileWasmRecurrentPlan({ ...plan, recurrent: undefined }))
      .toThrow(/compileWasmRecurrentPlan: plan 'SnnSpecLIFRecurrent.*' has no recurrent wiring/);
    tf.dispose(Object.values(ok));
    kernels.dispose();
  });

  it('leaves no tensor and no heap data behind (forward and backward)', async () => {
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'triangle');
    const attrs = specKernelAttrs(LIF_RECURRENT_SPEC, lifParameters({ ...raw, method: 'triangle' }), 1e-3);
    const kernels = registerUnder(plan, 'SnnTestWasmRecurrentLIFLeak');
    const random = seededRandom(9);
    const T = 6, B = 2, H = 9;
    const inputs = {
      x: tf.tensor(uniformArray(T * B * H, 0, 50, random), [T, B, H]), z0: tf.tensor(spikes(B * H, random), [B, H]),
      v0: tf.zeros([B, H]), i0: tf.zeros([B, H]), w: tf.tensor(uniformArray(H * H, -1, 1, random), [H, H]),
    };
    const grads = { dz: tf.onesLike(inputs.x), dv: tf.onesLike(inputs.v0), di: tf.onesLike(inputs.i0) };
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const ids = backend.numDataIds();
    await expectNoLeak(() => {
      tf.dispose(tf.engine().runKernel(kernels.name, inputs, attrs) as Tensor[]);
      tf.dispose(tf.engine().runKernel(`${kernels.name}Grad`, { ...inputs, ...grads }, attrs) as Tensor[]);
    });
    expect(backend.numDataIds()).toBe(ids);
    tf.dispose([...Object.values(inputs), ...Object.values(grads)]);
    kernels.dispose();
  });
});
