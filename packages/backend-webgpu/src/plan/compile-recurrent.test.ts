/**
 * The recurrent sequence kernels generated from recurrent plans (compile-recurrent.ts,
 * recurrent-engine.ts): LIF's recurrent spec with every deterministic surrogate against the reference
 * interpreter (plan-recurrent.ts) — they also equalled the hand-written `SnnLIFRecurrentIntegral`,
 * `SnnLSNNRecurrentIntegral` and `SnnAdaLIFRecurrentIntegral` for every surrogate before those were
 * deleted; the built-in layers against their composite: recurrent.test.ts; an
 * LSNN-like test spec with several states, outputs and sequence inputs (the fed-back output and r at
 * other positions, the recurrent current joining after the dynamics) against the interpreter, with
 * every input bound directly or packed (4 storage buffers); T = 0, B = 1; named errors; no leaks; and,
 * without a device, the programs each call runs, the buffers they bind and the limits.
 *
 * Spikes are compared exactly, states within 1e-5, gradients within 1e-4 (the interpreter adds the
 * recurrent products in float64, WebGPU in float32; WGSL's division and exp are not correctly rounded).
 */
import * as tf from '@tensorflow/tfjs';
import type { DataType, TensorInfo } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defineNeuron, expr, LIF_RECURRENT_SPEC, lifParameters, lowerSpec, PlanUnsupportedError, recurrentKernelInputs, recurrentPlanCompiler,
  runRecurrentPlanBackward, runRecurrentPlanForward, SURROGATE_DERIVATIVES, specKernelAttrs, type NeuronPlan, type NeuronSpec,
} from '@snn/functional';
import { initBackend } from '@snn/tensor';
import {
  availableBackends, closeMismatch, exactMismatch, GRADIENT_TOLERANCE, seededRandom, STATE_TOLERANCE, uniformArray, type Tolerance,
} from '@snn/tensor/testing';
import { setStorageBufferCap } from '../bind.js';
import type { ProgramUniform, WebGPUBackendLike, WebGPUProgramLike } from '../program.js';
import { registerWebGPUKernels } from '../register-kernels.js';
import { checkRecurrentPlanFits, compileWebGPURecurrentPlan, recurrentPlanLimitProblem } from './compile-recurrent.js';
import { GUARANTEED_LIMITS } from './limits.js';
import { recurrentPlanBackward, recurrentPlanForward, type RecurrentPlanCall } from './recurrent-engine.js';

const hasWebGPU = (await availableBackends()).includes('webgpu');
const reason = hasWebGPU ? '' : ' — skipped: WebGPU is not among the tested backends (SNN_BACKENDS, or no adapter here; CI requires it with SNN_REQUIRE_WEBGPU=1)';
if (!hasWebGPU) console.info(`@snn/backend-webgpu recurrent plan kernels${reason}`);

const { add, mul, neg, spike, sub } = expr;

/**
 * An LSNN-like recurrent model written for this test: an adaptive threshold b, the recurrent current
 * joining the synaptic current AFTER the dynamics (so step t's spikes reach the voltage at t + 2),
 * r in the middle of four inputs, the fed-back spikes as the second of two outputs (the first: the
 * voltage before the reset), the gradient through z in the reset and in b.
 *
 *     v' = v + a·(((v_leak − v) + i) + y);  i' = i + c·i;  b' = b + e·(v_th − b) + q
 *     z = Θ(v' − b');  v'' = (1 − z)·v' + z·v_reset;  b'' = b' + β·z;  i'' = (i' + x) + r
 */
const ADAPTIVE_RECURRENT = defineNeuron({
  name: 'TestAdaptiveRecurrentWebGPU',
  parameters: { tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 20, vLeak: 0, vTh: 1, vReset: 0, beta: 0.3 },
  states: { v: 'vLeak', i: 0, b: 'vTh' },
  inputs: ['x', 'y', 'r', 'q'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => ({ a: mul(dt, p.tauMemInv), c: mul(neg(dt), p.tauSynInv), e: mul(dt, p.tauAdaptInv) }),
  step: ({ state: { v, i, b }, input: { x, y, r, q }, p, c }) => {
    const vd = add(v, mul(c.a, add(add(sub(p.vLeak, v), i), y)));
    const iD = add(i, mul(c.c, i));
    const bd = add(add(b, mul(c.e, sub(p.vTh, b))), q);
    const z = spike(sub(vd, bd));
    return {
      outputs: { u: vd, z },
      next: { v: add(mul(sub(1, z), vd), mul(z, p.vReset)), i: add(add(iD, x), r), b: add(bd, mul(p.beta, z)) },
    };
  },
});

/**
 * A recurrent soft-reset neuron: v' = v + a·((x + r) − v), z = Θ(v' − v_th), v'' = v' − z·v_th. Under
 * the heaviside surrogate its adjoint reads nothing of the forward (the kernel then binds no forward buffer).
 */
const SOFT_RESET_RECURRENT = defineNeuron({
  name: 'TestSoftResetRecurrentWebGPU',
  parameters: { tauMemInv: 100, vTh: 1 },
  states: { v: 0 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => ({ a: mul(dt, p.tauMemInv) }),
  step: ({ state: { v }, input: { x, r }, p, c }) => {
    const vd = add(v, mul(c.a, sub(add(x, r), v)));
    const z = spike(sub(vd, p.vTh));
    return { outputs: { z }, next: { v: sub(vd, mul(z, p.vTh)) } };
  },
});

const LIF_RAW = { tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1 };
/** α of each deterministic surrogate in the tests (each one's usual scale). */
const ALPHAS: Readonly<Record<string, number>> = { heaviside: 1, super: 100, triangle: 0.3, tanh: 2, circ: 3, heaviErfc: 2 };
const METHODS = Object.keys(SURROGATE_DERIVATIVES) as Array<keyof typeof SURROGATE_DERIVATIVES>;

function lifAttrs(method: string): Record<string, number | string> {
  return specKernelAttrs(LIF_RECURRENT_SPEC, lifParameters({ ...LIF_RAW, method: method as 'super', alpha: ALPHAS[method]! }), 1e-3);
}

function adaptiveAttrs(method: string): Record<string, number | string> {
  return specKernelAttrs(ADAPTIVE_RECURRENT, { ...ADAPTIVE_RECURRENT.defaults, tauMemInv: 150, vReset: -0.1, method, alpha: ALPHAS[method]! }, 1e-3);
}

/** Random arrays of one recurrent call: sequences (the inputs but r), `<output>0` spikes, states, w without autapses, and the loss weights. */
interface CallData {
  readonly seqs: Float32Array[];
  readonly fedBack0: Float32Array;
  readonly states: Float32Array[];
  readonly w: Float32Array;
  readonly dOut: Float32Array[];
  readonly dFinal: Float32Array[];
}

function dataOf(plan: NeuronPlan, [T, B, H]: readonly number[], seed: number, ranges: ReadonlyArray<readonly [number, number]>, stateRanges: ReadonlyArray<readonly [number, number]>): CallData {
  const random = seededRandom(seed);
  const n = B! * H!;
  const w = uniformArray(H! * H!, -1.5, 1.5, random);
  for (let h = 0; h < H!; h++) w[h * H! + h] = 0;
  return {
    seqs: ranges.map(([lo, hi]) => uniformArray(T! * n, lo, hi, random)),
    fedBack0: Float32Array.from({ length: n }, () => (random() < 0.4 ? 1 : 0)),
    states: stateRanges.map(([lo, hi]) => uniformArray(n, lo, hi, random)),
    w,
    dOut: plan.outputs.map(() => uniformArray(T! * n, -1, 1, random)),
    dFinal: plan.states.map(() => uniformArray(n, -1, 1, random)),
  };
}

function namedForward(plan: NeuronPlan, d: CallData, [T, B, H]: readonly number[]): Record<string, [Float32Array, number[]]> {
  const names = recurrentKernelInputs(plan);
  const values = [...d.seqs, d.fedBack0, ...d.states, d.w];
  const shapes = [...d.seqs.map(() => [T!, B!, H!]), [B!, H!], ...d.states.map(() => [B!, H!]), [H!, H!]];
  return Object.fromEntries(names.map((name, k) => [name, [values[k]!, shapes[k]!]]));
}

function namedBackward(plan: NeuronPlan, d: CallData, size: readonly number[]): Record<string, [Float32Array, number[]]> {
  const [T, B, H] = size;
  const named = namedForward(plan, d, size);
  plan.outputs.forEach((o, j) => { named[`d${o}`] = [d.dOut[j]!, [T!, B!, H!]]; });
  plan.states.forEach((s, k) => { named[`d${s}`] = [d.dFinal[k]!, [B!, H!]]; });
  return named;
}

/** Runs a kernel by name with named float32 inputs; returns every output's values and disposes everything. */
async function runKernel(name: string, named: Record<string, [Float32Array, number[]]>, attrs: Record<string, unknown>): Promise<Float32Array[]> {
  const inputs: Record<string, tf.Tensor> = {};
  for (const [key, [values, shape]] of Object.entries(named)) inputs[key] = tf.tensor(values, shape, 'float32');
  try {
    const out = tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    try {
      return await Promise.all(out.map(async (t) => (await t.data()) as Float32Array));
    } finally {
      tf.dispose(out);
    }
  } finally {
    tf.dispose(Object.values(inputs));
  }
}

function mismatch(what: string, got: Float32Array, want: Float32Array, tol: Tolerance | 'exact'): string | null {
  return tol === 'exact' ? exactMismatch(what, got, Array.from(want), [got.length]) : closeMismatch(what, got, Array.from(want), tol, [got.length]);
}

/** The generated kernels against the interpreter on one call; returns the problems and the spike rate of the fed-back output. */
async function compare(plan: NeuronPlan, attrs: Record<string, unknown>, size: readonly number[], d: CallData): Promise<{ problems: string[]; rate: number }> {
  const [T, B, H] = size as [number, number, number];
  const rec = plan.recurrent!;
  const problems: string[] = [];
  const note = (m: string | null): void => { if (m) problems.push(`[${size}] ${m}`); };
  const arrays = { inputs: d.seqs, fedBack0: d.fedBack0, states: d.states, w: d.w };
  const got = await runKernel(plan.kernelName, namedForward(plan, d, size), attrs);
  const want = runRecurrentPlanForward(plan, attrs, arrays, { T, B, H });
  expect(got.map((a) => a.length)).toEqual([...plan.outputs.map(() => T * B * H), ...plan.states.map(() => B * H)]);
  plan.outputs.forEach((o, j) => note(mismatch(o, got[j]!, want.outputs[j]!, j === rec.output ? 'exact' : STATE_TOLERANCE)));
  plan.states.forEach((s, k) => note(mismatch(`final ${s}`, got[plan.outputs.length + k]!, want.states[k]!, STATE_TOLERANCE)));
  const grads = await runKernel(`${plan.kernelName}Grad`, namedBackward(plan, d, size), attrs);
  const back = runRecurrentPlanBackward(plan, attrs, arrays, d.dOut, d.dFinal, { T, B, H });
  const names = recurrentKernelInputs(plan);
  const wants = [...back.inputs, back.fedBack0, ...back.states, back.w];
  expect(grads.map((a) => a.length)).toEqual(wants.map((a) => a.length));
  names.forEach((name, k) => note(mismatch(`dL/d${name}`, grads[k]!, wants[k]!, GRADIENT_TOLERANCE)));
  const z = got[rec.output]!;
  return { problems, rate: z.length === 0 ? 0 : z.reduce((a, b) => a + b, 0) / z.length };
}

const LIF_RANGES = [[-1, 4]] as const;
const LIF_STATES = [[-0.5, 1], [-1, 2]] as const;
const ADAPTIVE_RANGES = [[-1, 6], [-20, 40], [-0.02, 0.02]] as const;
const ADAPTIVE_STATES = [[-0.3, 0.95], [-0.5, 1], [0.8, 1.2]] as const;

/** A backend that records the programs run and the buffers made and freed (no GPU). */
function recordingBackend(maxStorageBufferBindingSize = 1 << 27) {
  const live = new Set<object>();
  const runs: Array<{ key: string; inputs: number; uniforms: ProgramUniform[] }> = [];
  const make = (shape: number[], dtype: DataType): TensorInfo => {
    const dataId = {};
    live.add(dataId);
    return { dataId, shape, dtype };
  };
  const backend: WebGPUBackendLike = {
    runWebGPUProgram(program: WebGPUProgramLike, inputs: TensorInfo[], dtype: DataType, uniforms: ProgramUniform[] = [], output?: TensorInfo) {
      runs.push({ key: program.shaderKey, inputs: inputs.length, uniforms });
      return output ?? make(program.outputShape, dtype);
    },
    makeTensorInfo: make,
    disposeData(dataId: object) {
      return live.delete(dataId);
    },
    device: { limits: { maxStorageBufferBindingSize, maxStorageBuffersPerShaderStage: 4 } },
  };
  return { backend, runs, live };
}

describe('recurrent plan programs (no device needed)', () => {
  const plan = lowerSpec(ADAPTIVE_RECURRENT, 'super');
  const call: RecurrentPlanCall = { plan, recurrence: plan.recurrent!, params: plan.params.map(() => 1), kernel: plan.kernelName };
  const [T, B, H] = [5, 3, 4];
  const t = (shape: number[]): TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });
  const inputs = () => ({ sequences: [t([T, B, H]), t([T, B, H]), t([T, B, H])], fedBack0: t([B, H]), states: [t([B, H]), t([B, H]), t([B, H])], w: t([H, H]) });

  it('registerWebGPUKernels registers compileWebGPURecurrentPlan as the webgpu recurrent plan compiler', () => {
    registerWebGPUKernels();
    expect(recurrentPlanCompiler('webgpu')).toBe(compileWebGPURecurrentPlan);
  });

  it('forward: two programs per step (spike lists, then the step; the step index a uniform), at most 4 storage buffers, nothing left but the outputs', () => {
    const { backend, runs, live } = recordingBackend();
    const out = recurrentPlanForward(backend, call, inputs());
    expect(out.map((o) => o.shape)).toEqual([[T, B, H], [T, B, H], [B, H], [B, H], [B, H]]);
    const steps = runs.filter((r) => r.key.startsWith(`snn_recplan_${plan.key}_fwd`));
    expect(steps.map((r) => r.uniforms[3]!.data[0])).toEqual([0, 1, 2, 3, 4]);
    expect(runs.filter((r) => r.key === 'snn_rec_events').map((r) => r.uniforms[2]!.data[0])).toEqual([0, 1, 2, 3, 4]);
    expect(runs.filter((r) => r.key === 'snn_rec_transpose')).toHaveLength(1);
    // Three sequences on a 4-buffer device: one bound, two packed; with wᵀ and the output, 4 buffers.
    expect(steps[0]!.key).toMatch(/_fwd_S0Q$/);
    expect(Math.max(...runs.map((r) => r.inputs))).toBeLessThanOrEqual(3);
    expect([...live]).toEqual(out.map((o) => o.dataId));
  });

  it('backward: the forward again, T + 1 adjoint steps from T − 1 down to −1, one weight-gradient program; at most 4 storage buffers', () => {
    const { backend, runs, live } = recordingBackend();
    const grads = recurrentPlanBackward(backend, call, inputs(), [t([T, B, H]), t([T, B, H])], [t([B, H]), t([B, H]), t([B, H])]);
    expect(grads.map((g) => g.shape)).toEqual([[T, B, H], [T, B, H], [T, B, H], [B, H], [B, H], [B, H], [B, H], [H, H]]);
    expect(runs.filter((r) => r.key.startsWith(`snn_recplan_${plan.key}_fwd`))).toHaveLength(T);
    expect(runs.filter((r) => r.key.startsWith(`snn_recplan_${plan.key}_bwd`)).map((r) => r.uniforms[3]!.data[0])).toEqual([4, 3, 2, 1, 0, -1]);
    expect(runs.filter((r) => r.key === 'snn_spike_compact')).toHaveLength(1);
    expect(runs.filter((r) => r.key === 'snn_spike_matmul_grad')).toHaveLength(1);
    expect(Math.max(...runs.map((r) => r.inputs))).toBeLessThanOrEqual(3);
    expect([...live]).toEqual(grads.map((g) => g.dataId));
  });

  it('T = 1 (a step function\'s call) reads w in place: no transposition', () => {
    const { backend, runs, live } = recordingBackend();
    const one = { ...inputs(), sequences: [t([1, B, H]), t([1, B, H]), t([1, B, H])] };
    const out = recurrentPlanForward(backend, call, one);
    expect(runs.filter((r) => r.key === 'snn_rec_transpose')).toHaveLength(0);
    const step = runs.find((r) => r.key.startsWith(`snn_recplan_${plan.key}_fwd`))!;
    expect(step.uniforms.slice(10, 12).map((u) => u.data[0]), 'w[h, k] read at k·1 + h·H').toEqual([1, H]);
    expect([...live]).toEqual(out.map((o) => o.dataId));
  });

  it('an adjoint that reads nothing of the forward (a soft reset under heaviside) binds neither the forward\'s buffer nor a sequence', () => {
    const soft = lowerSpec(SOFT_RESET_RECURRENT, 'heaviside');
    const softCall: RecurrentPlanCall = { plan: soft, recurrence: soft.recurrent!, params: soft.params.map(() => 1), kernel: soft.kernelName };
    const { backend, runs, live } = recordingBackend();
    const grads = recurrentPlanBackward(backend, softCall, { sequences: [t([T, B, H])], fedBack0: t([B, H]), states: [t([B, H])], w: t([H, H]) }, [t([T, B, H])], [t([B, H])]);
    const steps = runs.filter((r) => r.key.startsWith(`snn_recplan_${soft.key}_bwd`));
    expect(steps).toHaveLength(T + 1);
    expect(steps.every((r) => r.inputs === 1), 'w only').toBe(true);
    expect([...live]).toEqual(grads.map((g) => g.dataId));
  });

  it('T = 0 runs no program: empty outputs, the initial states (or the final-state gradients) copied, zero gradients elsewhere', () => {
    const { backend, runs, live } = recordingBackend();
    const zero = { ...inputs(), sequences: [t([0, B, H]), t([0, B, H]), t([0, B, H])] };
    const out = recurrentPlanForward(backend, call, zero);
    expect(out.map((o) => o.shape)).toEqual([[0, B, H], [0, B, H], [B, H], [B, H], [B, H]]);
    const grads = recurrentPlanBackward(backend, call, zero, [t([0, B, H]), t([0, B, H])], [t([B, H]), t([B, H]), t([B, H])]);
    expect(grads.map((g) => g.shape)).toEqual([[0, B, H], [0, B, H], [0, B, H], [B, H], [B, H], [B, H], [B, H], [H, H]]);
    expect(runs.every((r) => r.key === 'snn_copy_block')).toBe(true);
    expect(live.size).toBe(out.length + grads.length);
  });

  it('a sequence whose packed state exceeds the binding limit is refused before any program runs, naming the kernel and the limit', () => {
    const { backend, runs, live } = recordingBackend(400);
    expect(() => recurrentPlanForward(backend, call, inputs())).toThrow(new RegExp(`${plan.kernelName}: .* more than this device's maxStorageBufferBindingSize \\(400 bytes\\)`));
    expect(runs).toEqual([]);
    expect(live.size).toBe(0);
  });

  it('every recurrent plan fits the guaranteed limits; one with too many parameters is refused with PlanUnsupportedError saying why', () => {
    for (const method of METHODS) expect(recurrentPlanLimitProblem(lowerSpec(LIF_RECURRENT_SPEC, method), GUARANTEED_LIMITS)).toBeUndefined();
    const many: NeuronPlan = { ...plan, params: Array.from({ length: 5000 }, (_, k) => `p${k}`) };
    expect(() => compileWebGPURecurrentPlan(many)).toThrow(PlanUnsupportedError);
    expect(() => compileWebGPURecurrentPlan(many)).toThrow(/TestAdaptiveRecurrentWebGPU.*the webgpu recurrent kernels cannot run this plan: its 5000 parameters need a uniform block/);
    expect(() => checkRecurrentPlanFits(plan, { storageBuffers: 3, maxUniformBufferBindingSize: 16384 })).toThrow(/need 4 storage buffers even with every input packed, and this device allows 3/);
  });

  it('a plan without recurrence, with r as its only input, or malformed is refused, naming the plan', () => {
    const { recurrent: _, ...feedForward } = plan;
    expect(() => compileWebGPURecurrentPlan(feedForward as NeuronPlan)).toThrow(/compileWebGPURecurrentPlan: plan 'SnnSpecTestAdaptiveRecurrentWebGPU\w*' has no recurrent wiring/);
    const lonely: NeuronPlan = { ...plan, inputs: ['r'], recurrent: { input: 0, output: 1 }, forward: { ...plan.forward, instructions: plan.forward.instructions.map((s) => (s.op === 'input' ? { op: 'input', index: 0 } : s)) }, backward: { ...plan.backward, instructions: plan.backward.instructions.map((s) => (s.op === 'input' ? { op: 'input', index: 0 } : s)), gradInputs: [plan.backward.gradInputs[0]!] } };
    expect(() => compileWebGPURecurrentPlan(lonely)).toThrow(/has no sequence input besides the recurrent current 'r'/);
    expect(() => compileWebGPURecurrentPlan({ ...plan, recurrent: { input: 7, output: 1 } })).toThrow(/is malformed: recurrent.input 7 expected an index into inputs \(4\)/);
    expect(() => compileWebGPURecurrentPlan({ ...plan, inputs: ['x', 'w', 'r', 'q'] })).toThrow(/the kernel input name 'w' would be used twice/);
    expect(() => compileWebGPURecurrentPlan({ ...plan, forward: { ...plan.forward, nextStates: [0] } })).toThrow(/compileWebGPURecurrentPlan: plan .* is malformed: forward.nextStates expected 3 registers/);
  });
});

describe.skipIf(!hasWebGPU)(`WebGPU recurrent kernels generated from recurrent plans${reason}`, () => {
  const registered: string[] = [];
  const plans: NeuronPlan[] = [];
  beforeAll(async () => {
    await initBackend('webgpu', { allowSoftwareWebGPU: true });
    registerWebGPUKernels();
    for (const spec of [LIF_RECURRENT_SPEC, ADAPTIVE_RECURRENT, SOFT_RESET_RECURRENT] as NeuronSpec[]) for (const method of METHODS) plans.push(lowerSpec(spec, method));
    for (const plan of plans) {
      if (tf.getKernel(plan.kernelName, 'webgpu')) continue; // kernels generated on demand elsewhere
      const { forward, backward } = compileWebGPURecurrentPlan(plan);
      tf.registerKernel({ kernelName: plan.kernelName, backendName: 'webgpu', kernelFunc: forward });
      tf.registerKernel({ kernelName: `${plan.kernelName}Grad`, backendName: 'webgpu', kernelFunc: backward });
      registered.push(plan.kernelName, `${plan.kernelName}Grad`);
    }
  });
  afterAll(() => {
    setStorageBufferCap(Infinity);
    for (const name of registered) tf.unregisterKernel(name, 'webgpu');
  });

  for (const method of METHODS) {
    it(`LIFRecurrent, surrogate ${method}: equals the reference interpreter (spikes exact, states 1e-5, every gradient 1e-4)`, async () => {
      const plan = lowerSpec(LIF_RECURRENT_SPEC, method);
      const size = [20, 3, 10];
      const { problems, rate } = await compare(plan, lifAttrs(method), size, dataOf(plan, size, 3, LIF_RANGES, LIF_STATES));
      expect(problems).toEqual([]);
      expect(rate, 'the comparison means something only if neurons spike, and not all every step').toBeGreaterThan(0.05);
      expect(rate).toBeLessThan(0.9);
    });
  }

  for (const cap of [Infinity, 4]) {
    it(`an LSNN-like spec (3 states, 2 outputs, 4 inputs, z and r not first), storage buffers ${cap === 4 ? 'capped at 4 (inputs packed)' : 'as the device allows'}: equals the interpreter`, async () => {
      setStorageBufferCap(cap);
      try {
        for (const method of ['super', 'triangle'] as const) {
          const plan = lowerSpec(ADAPTIVE_RECURRENT, method);
          const size = [16, 2, 9];
          const { problems, rate } = await compare(plan, adaptiveAttrs(method), size, dataOf(plan, size, 8, ADAPTIVE_RANGES, ADAPTIVE_STATES));
          expect(problems).toEqual([]);
          expect(rate).toBeGreaterThan(0.05);
          expect(rate).toBeLessThan(0.9);
        }
      } finally {
        setStorageBufferCap(Infinity);
      }
    });
  }

  it('a soft reset (its heaviside adjoint reads nothing of the forward) equals the interpreter', async () => {
    const problems: string[] = [];
    for (const method of ['heaviside', 'super'] as const) {
      const plan = lowerSpec(SOFT_RESET_RECURRENT, method);
      const attrs = specKernelAttrs(SOFT_RESET_RECURRENT, { ...SOFT_RESET_RECURRENT.defaults, method, alpha: ALPHAS[method]! }, 1e-3);
      const size = [12, 3, 8];
      const result = await compare(plan, attrs, size, dataOf(plan, size, 6, [[-1, 30]], [[-0.5, 1]]));
      problems.push(...result.problems);
      expect(result.rate).toBeGreaterThan(0.05);
      expect(result.rate).toBeLessThan(0.9);
    }
    expect(problems).toEqual([]);
  });

  it('T = 0, T = 1, B = 1 and H = 1 equal the interpreter', async () => {
    const problems: string[] = [];
    for (const plan of [lowerSpec(LIF_RECURRENT_SPEC, 'super'), lowerSpec(ADAPTIVE_RECURRENT, 'tanh')]) {
      const lif = plan.kernelName.includes('LIF');
      const attrs = lif ? lifAttrs(plan.kernelName.includes('Super') ? 'super' : 'tanh') : adaptiveAttrs('tanh');
      for (const size of [[0, 2, 3], [1, 2, 3], [7, 1, 5], [6, 3, 1]]) {
        problems.push(...(await compare(plan, attrs, size, dataOf(plan, size, 5, lif ? LIF_RANGES : ADAPTIVE_RANGES, lif ? LIF_STATES : ADAPTIVE_STATES))).problems);
      }
    }
    expect(problems).toEqual([]);
  });

  it('misshaped, missing or non-float32 inputs and missing attributes are named errors; neither they nor runs leave anything behind', async () => {
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
    const name = plan.kernelName;
    const size = [4, 2, 3];
    const d = dataOf(plan, size, 1, LIF_RANGES, LIF_STATES);
    const named = namedForward(plan, d, size);
    const attrs = lifAttrs('super');
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    await runKernel(name, named, attrs);
    await runKernel(`${name}Grad`, namedBackward(plan, d, size), attrs);
    await expect(runKernel(name, { x: named['x']!, z0: named['z0']!, v0: named['v0']!, w: named['w']! }, attrs)).rejects.toThrow(`${name}: the webgpu kernel expected an input 'i0'; received x, z0, v0, w`);
    await expect(runKernel(name, { ...named, x: [d.seqs[0]!, [4, 6]] }, attrs)).rejects.toThrow(`${name}: the webgpu kernel expected 'x' of rank 3 [T, B, H]; received [4, 6]`);
    await expect(runKernel(name, { ...named, z0: [new Float32Array(3), [3]] }, attrs)).rejects.toThrow(`${name}: the webgpu kernel expected 'z0' of shape [2, 3] (one step of 'x'); received [3]`);
    await expect(runKernel(name, { ...named, v0: [new Float32Array(6), [3, 2]] }, attrs)).rejects.toThrow(`${name}: the webgpu kernel expected 'v0' of shape [2, 3] (one step of 'x'); received [3, 2]`);
    await expect(runKernel(name, { ...named, w: [new Float32Array(6), [3, 2]] }, attrs)).rejects.toThrow(`${name}: the webgpu kernel expected 'w' of shape [3, 3] (the recurrent weights [out, in] of 'x''s 3 neurons); received [3, 2]`);
    await expect(runKernel(name, named, { ...attrs, vTh: undefined })).rejects.toThrow(`${name}: the webgpu kernel expected attrs.vTh to be a number; received nothing`);
    const grads = namedBackward(plan, d, size);
    await expect(runKernel(`${name}Grad`, { ...grads, dz: [new Float32Array(6), [2, 3]] }, attrs)).rejects.toThrow(`${name}: the webgpu kernel expected 'dz' of shape [4, 2, 3] (the shape of 'x'); received [2, 3]`);
    await expect(runKernel(`${name}Grad`, { ...grads, di: [new Float32Array(5), [5]] }, attrs)).rejects.toThrow(`${name}: the webgpu kernel expected 'di' of shape [2, 3] (one step of 'x'); received [5]`);
    const ints = tf.tensor(Array.from({ length: 24 }, (_, k) => k % 2), size, 'int32');
    try {
      expect(() => tf.engine().runKernel(name, { ...Object.fromEntries(Object.keys(named).map((k) => [k, ints])) }, attrs as unknown as tf.NamedAttrMap))
        .toThrow(`${name}: the webgpu kernel expected 'x' of dtype float32; received int32`);
    } finally {
      ints.dispose();
    }
    expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
    expect(tf.engine().backend.numDataIds(), 'backend data left behind').toBe(dataBefore);
  });

  it('spikes fed back from a bool cast (stored as i32 on webgpu) are read as floats', async () => {
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
    const size = [6, 2, 5];
    const d = dataOf(plan, size, 2, LIF_RANGES, LIF_STATES);
    const named = namedForward(plan, d, size);
    const inputs: Record<string, tf.Tensor> = {};
    for (const [key, [values, shape]] of Object.entries(named)) inputs[key] = tf.tensor(values, shape, 'float32');
    const z0 = tf.tidy(() => tf.cast(tf.greater(inputs['z0']!, 0.5), 'float32'));
    try {
      const got = tf.engine().runKernel(plan.kernelName, { ...inputs, z0 }, lifAttrs('super') as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const values = await Promise.all(got.map(async (t) => (await t.data()) as Float32Array));
      tf.dispose(got);
      const want = runRecurrentPlanForward(plan, lifAttrs('super'), { inputs: d.seqs, fedBack0: d.fedBack0, states: d.states, w: d.w }, { T: 6, B: 2, H: 5 });
      expect(mismatch('z', values[0]!, want.outputs[0]!, 'exact')).toBeNull();
      expect(mismatch('v', values[1]!, want.states[0]!, STATE_TOLERANCE)).toBeNull();
    } finally {
      tf.dispose([...Object.values(inputs), z0]);
    }
  });
});
