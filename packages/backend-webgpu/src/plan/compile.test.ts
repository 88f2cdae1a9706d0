/**
 * The WGSL kernels generated from neuron plans: both hand-written test plans forward and backward
 * against the reference interpreter (plan.ts) over shapes n ∈ {1, 5, 1000}, T ∈ {0, 1, 37} (the
 * built-in models' spec kernels against the composite path: fused.test.ts); the packed and chunked paths; named
 * errors; no leaks; and the decision that refuses a plan beyond a device's limits (tested without
 * such a device). WGSL's exp/log/tanh/sqrt and division are not correctly rounded, so values that go
 * through them are compared within 1e-5 relative (STATE_TOLERANCE), LIF spikes exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LIF_SPEC, lowerSpec, planCompiler, PlanUnsupportedError, runPlanBackward, runPlanForward, specKernelAttrs,
  type NeuronPlan, type PlanInstruction,
} from '@snn/functional';
import { EVERY_OP_TEST_PLAN, LIF_TEST_PLAN } from '@snn/functional/testing';
import { availableBackends, closeMismatch, exactMismatch, GRADIENT_TOLERANCE, STATE_TOLERANCE, type Tolerance, seededRandom } from '@snn/tensor/testing';
import { initBackend } from '@snn/tensor';
import { setPackedBindingCap, setStorageBufferCap } from '../bind.js';
import { registerWebGPUKernels } from '../register-kernels.js';
import { checkPlanFits, compileWebGPUPlan } from './compile.js';
import { bindingLayout } from './bind-sequences.js';
import { sequencesRead } from './engine.js';
import { GUARANTEED_LIMITS, planLimitProblem } from './limits.js';
import { f32Literal } from './wgsl.js';
import { kernelValues, registerPlanKernels } from './test-kernels.js';

const hasWebGPU = (await availableBackends()).includes('webgpu');
const reason = hasWebGPU ? '' : ' — skipped: WebGPU is not among the tested backends (SNN_BACKENDS, or no adapter here; CI requires it with SNN_REQUIRE_WEBGPU=1)';
if (!hasWebGPU) console.info(`@snn/backend-webgpu plan kernels${reason}`);

function randomArray(size: number, lo: number, hi: number, random: () => number): Float32Array {
  return Float32Array.from({ length: size }, () => lo + (hi - lo) * random());
}

/** Parses a WGSL hexadecimal f32 literal (as f32Literal writes them). */
function parseHexFloat(literal: string): number {
  const m = /^(-?)0x([0-9a-f]+)(?:\.([0-9a-f]+))?p([+-]?\d+)f$/.exec(literal);
  if (!m) return literal === '0.0f' ? 0 : literal === '-0.0f' ? -0 : NaN;
  const fraction = m[3] ?? '';
  const mantissa = parseInt(m[2]! + fraction, 16) / 16 ** fraction.length;
  return (m[1] ? -1 : 1) * mantissa * 2 ** Number(m[4]);
}

/** LIF_TEST_PLAN's attributes (LIF's coefficients a = dt·τ_mem⁻¹, c = (−dt)·τ_syn⁻¹ among them, as LIF_SPEC computes them). */
const LIF_ATTRS = specKernelAttrs(LIF_SPEC, { ...LIF_SPEC.defaults, tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, alpha: 20 }, 1e-3);
const EVERY_ATTRS = { k: 1.5, m: 0.25 };

/** Random inputs of a plan: sequences, initial states, output and final-state gradients. */
function inputsOf(plan: NeuronPlan, steps: number, n: number, seed: number): { seqs: Float32Array[]; states: Float32Array[]; dOut: Float32Array[]; dFinal: Float32Array[] } {
  const random = seededRandom(seed);
  const lif = plan === LIF_TEST_PLAN;
  return {
    seqs: plan.inputs.map((_, j) => (lif ? randomArray(steps * n, -40, 40, random) : randomArray(steps * n, j === 0 ? -2 : -1, j === 0 ? 2 : 1, random))),
    states: plan.states.map(() => randomArray(n, -1, 1, random)),
    dOut: plan.outputs.map(() => randomArray(steps * n, -1, 1, random)),
    dFinal: plan.states.map(() => randomArray(n, -1, 1, random)),
  };
}

/** Runs a kernel by name with named float32 inputs; returns every output's values and disposes everything. */
async function runKernel(name: string, named: Record<string, [Float32Array, number[]]>, attrs: Record<string, unknown>): Promise<Float32Array[]> {
  const inputs: Record<string, tf.Tensor> = {};
  for (const [key, [values, shape]] of Object.entries(named)) inputs[key] = tf.tensor(values, shape, 'float32');
  try {
    return await kernelValues(name, inputs, attrs);
  } finally {
    tf.dispose(Object.values(inputs));
  }
}

function forwardInputs(plan: NeuronPlan, data: ReturnType<typeof inputsOf>, steps: number, shape: number[]): Record<string, [Float32Array, number[]]> {
  const named: Record<string, [Float32Array, number[]]> = {};
  plan.inputs.forEach((name, j) => { named[name] = [data.seqs[j]!, [steps, ...shape]]; });
  plan.states.forEach((name, s) => { named[`${name}0`] = [data.states[s]!, shape]; });
  return named;
}

function backwardInputs(plan: NeuronPlan, data: ReturnType<typeof inputsOf>, steps: number, shape: number[]): Record<string, [Float32Array, number[]]> {
  const named = forwardInputs(plan, data, steps, shape);
  plan.outputs.forEach((name, j) => { named[`d${name}`] = [data.dOut[j]!, [steps, ...shape]]; });
  plan.states.forEach((name, s) => { named[`d${name}`] = [data.dFinal[s]!, shape]; });
  return named;
}

function mismatch(what: string, got: Float32Array, want: Float32Array, tol: Tolerance | 'exact', skip?: (k: number) => boolean): string | null {
  const keep = (_: number, k: number): boolean => !skip?.(k);
  const g = Array.from(got).filter(keep);
  const w = Array.from(want).filter(keep);
  return tol === 'exact' ? exactMismatch(what, g, w, [g.length]) : closeMismatch(what, g, w, tol, [g.length]);
}

/** The every-op plan with its spike's argument (register 19) as an extra output: which spikes sit too close to the threshold to compare exactly. */
const EVERY_OP_PROBE: NeuronPlan = { ...EVERY_OP_TEST_PLAN, outputs: [...EVERY_OP_TEST_PLAN.outputs, 'q'], forward: { ...EVERY_OP_TEST_PLAN.forward, outputs: [...EVERY_OP_TEST_PLAN.forward.outputs, 19] } };

/** Compares a plan's generated kernels with the interpreter on one shape; returns the problems found. */
async function compare(plan: NeuronPlan, attrs: Record<string, unknown>, steps: number, shape: number[], seed: number): Promise<string[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = inputsOf(plan, steps, n, seed);
  const lif = plan === LIF_TEST_PLAN;
  const problems: string[] = [];
  const note = (m: string | null): void => { if (m) problems.push(`T=${steps}, shape [${shape}]: ${m}`); };
  const got = await runKernel(plan.kernelName, forwardInputs(plan, data, steps, shape), attrs);
  const want = runPlanForward(plan, attrs, { inputs: data.seqs, states: data.states }, steps, n);
  // Spikes of the every-op plan go through tanh, division, exp and log: those within 1e-4 of the threshold may differ.
  const nearThreshold = lif ? undefined : ((q) => (k: number) => Math.abs(q[k]!) < 1e-4)(runPlanForward(EVERY_OP_PROBE, attrs, { inputs: data.seqs, states: data.states }, steps, n).outputs[2]!);
  plan.outputs.forEach((name, j) => note(mismatch(name, got[j]!, want.outputs[j]!, j === 0 ? 'exact' : STATE_TOLERANCE, j === 0 ? nearThreshold : undefined)));
  plan.states.forEach((name, s) => note(mismatch(`final ${name}`, got[plan.outputs.length + s]!, want.states[s]!, STATE_TOLERANCE)));
  expect(got.map((a) => a.length)).toEqual([...plan.outputs.map(() => steps * n), ...plan.states.map(() => n)]);
  const grads = await runKernel(`${plan.kernelName}Grad`, backwardInputs(plan, data, steps, shape), attrs);
  const back = runPlanBackward(plan, attrs, { inputs: data.seqs, states: data.states }, data.dOut, data.dFinal, steps, n);
  plan.inputs.forEach((name, j) => note(mismatch(`dL/d${name}`, grads[j]!, back.inputs[j]!, GRADIENT_TOLERANCE)));
  plan.states.forEach((name, s) => note(mismatch(`dL/d${name}0`, grads[plan.inputs.length + s]!, back.states[s]!, GRADIENT_TOLERANCE)));
  expect(grads.map((a) => a.length)).toEqual([...plan.inputs.map(() => steps * n), ...plan.states.map(() => n)]);
  if (lif && steps > 1 && n > 1) {
    const rate = got[0]!.reduce((a, b) => a + b, 0) / got[0]!.length;
    expect(rate, 'LIF firing rate (the test is not vacuous)').toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.98);
  }
  return problems;
}

/**
 * Non-finite constants moved by `select` only (no arithmetic on them, which WGSL need not honour),
 * −0, three inputs and one state (the backward output has more input rows than tape rows).
 */
const CONSTANTS_PLAN: NeuronPlan = Object.freeze({
  kernelName: 'SnnTestPlanConstantsIntegral',
  key: 'test-plan-constants-v1',
  params: ['k'],
  states: ['s'],
  inputs: ['x', 'y', 'z'],
  outputs: ['e', 'q'],
  forward: {
    instructions: [
      { op: 'param', index: 0 }, { op: 'state', index: 0 }, { op: 'input', index: 0 }, { op: 'input', index: 1 }, // 0 k, 1 s, 2 x, 3 y
      { op: 'const', value: Infinity }, { op: 'const', value: NaN }, { op: 'const', value: -Infinity }, // 4, 5, 6
      { op: 'gt', a: 2, b: 0 }, { op: 'select', cond: 7, a: 4, b: 6 }, // 7 x > k, 8 ±∞
      { op: 'gt', a: 3, b: 0 }, { op: 'select', cond: 9, a: 5, b: 3 }, // 9 y > k, 10 NaN or y
      { op: 'input', index: 2 }, { op: 'add', a: 1, b: 11 }, // 11 z, 12 s + z
    ] as PlanInstruction[],
    nextStates: [12],
    outputs: [8, 10],
  },
  backward: {
    instructions: [
      { op: 'gradState', index: 0 }, { op: 'gradOutput', index: 0 }, { op: 'gradOutput', index: 1 }, // 0 g, 1 de, 2 dq
      { op: 'const', value: -0 }, { op: 'const', value: -Infinity }, { op: 'const', value: 0.5 }, // 3, 4, 5
      { op: 'gt', a: 1, b: 5 }, { op: 'select', cond: 6, a: 4, b: 3 }, // 6 de > 0.5, 7 −∞ or −0
      { op: 'add', a: 0, b: 2 }, // 8 g + dq
    ] as PlanInstruction[],
    gradStates: [8],
    gradInputs: [7, 2, 0],
  },
});

function plainPlan(overrides: Partial<NeuronPlan>): NeuronPlan {
  return { ...LIF_TEST_PLAN, ...overrides };
}

describe('plan limits and validation (no device needed)', () => {
  it('registerWebGPUKernels registers compileWebGPUPlan as the webgpu plan compiler', () => {
    registerWebGPUKernels();
    expect(planCompiler('webgpu')).toBe(compileWebGPUPlan);
  });

  it('f32Literal writes the exact float32 as a WGSL hexadecimal literal', () => {
    for (const v of [1, 1.5, -0.1, 0.001, 3.4e38, 1e-40, 0, -0, 1 / 3, 100, -2.5e-7]) {
      const literal = f32Literal(v);
      expect(Object.is(parseHexFloat(literal), Math.fround(v)), `${v} → ${literal}`).toBe(true);
    }
    expect(() => f32Literal(Infinity)).toThrow(/f32Literal: argument 'value' expected a finite number; received Infinity/);
  });

  it('both test plans fit every WebGPU device, even one with the guaranteed 4 storage buffers (everything packed)', () => {
    expect(planLimitProblem(LIF_TEST_PLAN, GUARANTEED_LIMITS)).toBeUndefined();
    expect(planLimitProblem(EVERY_OP_TEST_PLAN, GUARANTEED_LIMITS)).toBeUndefined();
    const manyStates = plainPlan({ states: Array.from({ length: 40 }, (_, s) => `s${s}`) });
    expect(planLimitProblem(manyStates, GUARANTEED_LIMITS)).toBeUndefined();
  });

  it('a plan beyond the limits is refused with PlanUnsupportedError saying why', () => {
    const manyParams = plainPlan({ params: Array.from({ length: 5000 }, (_, k) => `p${k}`) });
    expect(planLimitProblem(manyParams, GUARANTEED_LIMITS)).toMatch(/5000 parameters need a uniform block of about 20272 bytes.*maxUniformBufferBindingSize is 16384/);
    expect(planLimitProblem(manyParams, { storageBuffers: 8, maxUniformBufferBindingSize: 65536 })).toBeUndefined();
    expect(() => compileWebGPUPlan(manyParams)).toThrow(PlanUnsupportedError);
    expect(() => compileWebGPUPlan(manyParams)).toThrow(/SnnTestPlanLIFIntegral: the webgpu kernels cannot run this plan: its 5000 parameters/);
    // Fewer storage buffers than WebGPU guarantees (a hypothetical device): the decision still says why.
    expect(() => checkPlanFits(LIF_TEST_PLAN, { storageBuffers: 2, maxUniformBufferBindingSize: 16384 }))
      .toThrow(/its programs need 3 storage buffers even with every input packed, and this device allows 2/);
    const noInput = plainPlan({
      inputs: [],
      forward: { instructions: [{ op: 'state', index: 0 }], nextStates: [0, 0], outputs: [0] },
      backward: { instructions: [{ op: 'gradState', index: 0 }], gradStates: [0, 0], gradInputs: [] },
    });
    expect(() => compileWebGPUPlan(noInput)).toThrow(/has no sequence input/);
  });

  it('only the sequences a program reads are bound: the heaviside surrogate\'s backward never reads ∂L/∂z', () => {
    expect(sequencesRead(lowerSpec(LIF_SPEC, 'heaviside'), 'bwd')).toEqual([true, false]);
    expect(sequencesRead(lowerSpec(LIF_SPEC, 'super'), 'bwd')).toEqual([true, true]);
    expect(sequencesRead(CONSTANTS_PLAN, 'fwd')).toEqual([true, true, true]);
    // Its backward replays only what the next state needs (s + z): x and y feed outputs alone, so only z is read.
    expect(sequencesRead(CONSTANTS_PLAN, 'bwd')).toEqual([false, false, true, true, true]);
  });

  it('bindingLayout: sequences keep their own buffers while the budget allows; only what is packed must fit one binding', () => {
    // LIF's backward in compatibility mode (3 slots besides the output): x and ∂L/∂z bound directly, the 4 rows packed.
    // (Once the engine counted every sequence as packed, and refused a backward of two 128 MB sequences.)
    expect(bindingLayout(2, 4, 3)).toEqual({ rowSlots: 1, direct: 2, packedSequences: 0, packedRows: 4 });
    expect(bindingLayout(2, 4, 7)).toEqual({ rowSlots: 4, direct: 2, packedSequences: 0, packedRows: 0 });
    expect(bindingLayout(2, 4, 5)).toEqual({ rowSlots: 3, direct: 2, packedSequences: 0, packedRows: 2 });
    expect(bindingLayout(3, 2, 3)).toEqual({ rowSlots: 1, direct: 1, packedSequences: 2, packedRows: 2 });
    expect(bindingLayout(5, 0, 3)).toEqual({ rowSlots: 0, direct: 2, packedSequences: 3, packedRows: 0 });
    expect(bindingLayout(1, 0, 3)).toEqual({ rowSlots: 0, direct: 1, packedSequences: 0, packedRows: 0 });
  });

  it('a malformed plan is refused with an Error naming the plan and the instruction', () => {
    const later = plainPlan({ forward: { ...LIF_TEST_PLAN.forward, instructions: [{ op: 'add', a: 1, b: 0 }, ...LIF_TEST_PLAN.forward.instructions.slice(1)] as PlanInstruction[] } });
    expect(() => compileWebGPUPlan(later)).toThrow(/plan 'SnnTestPlanLIFIntegral' is malformed: forward.instructions\[0\] .* uses register 1, expected an earlier instruction/);
    const gradInForward = plainPlan({ forward: { ...LIF_TEST_PLAN.forward, instructions: [...LIF_TEST_PLAN.forward.instructions, { op: 'gradState', index: 0 }] } });
    expect(() => compileWebGPUPlan(gradInForward)).toThrow(/forward.instructions\[22\] .* reads index 0, expected an integer in \[0, 0\)/);
    const missingState = plainPlan({ forward: { ...LIF_TEST_PLAN.forward, nextStates: [19] } });
    expect(() => compileWebGPUPlan(missingState)).toThrow(/forward.nextStates expected 2 registers; received \[19\]/);
    const badParam = plainPlan({ backward: { ...LIF_TEST_PLAN.backward, instructions: [{ op: 'param', index: 9 }] } });
    expect(() => compileWebGPUPlan(badParam)).toThrow(/backward.instructions\[0\] .* reads index 9, expected an integer in \[0, 6\)/);
    expect(() => compileWebGPUPlan(plainPlan({ outputs: [], states: [], forward: { ...LIF_TEST_PLAN.forward, nextStates: [], outputs: [] } }))).toThrow(/neither outputs nor states/);
    expect(() => compileWebGPUPlan(plainPlan({ outputs: ['v'] }))).toThrow(/the kernel input name 'dv' would be used twice/);
    expect(() => compileWebGPUPlan(null as unknown as NeuronPlan)).toThrow(/compileWebGPUPlan: argument 'plan' expected a NeuronPlan; received null/);
  });
});

describe.skipIf(!hasWebGPU)(`WebGPU kernels generated from plans${reason}`, () => {
  let unregister = (): void => {};
  beforeAll(async () => {
    await initBackend('webgpu', { allowSoftwareWebGPU: true });
    registerWebGPUKernels();
    unregister = registerPlanKernels([LIF_TEST_PLAN, EVERY_OP_TEST_PLAN]);
  });
  afterAll(() => unregister());

  const SHAPES: Array<[number, number[]]> = [[1, [1]], [5, [5]], [1000, [10, 100]]];
  for (const [plan, attrs] of [[LIF_TEST_PLAN, LIF_ATTRS], [EVERY_OP_TEST_PLAN, EVERY_ATTRS]] as const) {
    it(`${plan.kernelName} forward and backward equal the reference interpreter, n = 1, 5, 1000 × T = 0, 1, 37`, async () => {
      const problems: string[] = [];
      for (const [, shape] of SHAPES) {
        for (const steps of [0, 1, 37]) problems.push(...await compare(plan, attrs, steps, shape, 11 * steps + shape.length));
      }
      expect(problems).toEqual([]);
    });
  }

  it('packed inputs (4 storage buffers) and neurons in chunks give the interpreter\'s result', async () => {
    setStorageBufferCap(4);
    setPackedBindingCap(4 * 1000); // a few hundred neurons per chunk at T = 5
    try {
      const problems = [...await compare(EVERY_OP_TEST_PLAN, EVERY_ATTRS, 5, [1000], 3), ...await compare(LIF_TEST_PLAN, LIF_ATTRS, 5, [1000], 4)];
      expect(problems).toEqual([]);
    } finally {
      setStorageBufferCap(Infinity);
      setPackedBindingCap(Infinity);
    }
  });

  it('non-finite and −0 constants (uniforms), more inputs than states, and packed sequences give the interpreter\'s values exactly', async () => {
    const unregisterConstants = registerPlanKernels([CONSTANTS_PLAN]);
    const steps = 6, n = 7;
    const data = inputsOf(CONSTANTS_PLAN, steps, n, 9);
    const attrs = { k: 0.1 };
    const same = (got: Float32Array, want: Float32Array): boolean => got.length === want.length && got.every((g, k) => Object.is(g, want[k]));
    const show = (a: Float32Array): string => Array.from(a.slice(0, 8), (v) => (Object.is(v, -0) ? '-0' : String(v))).join(', ');
    try {
      for (const cap of [Infinity, 4]) {
        setStorageBufferCap(cap);
        const got = await runKernel(CONSTANTS_PLAN.kernelName, forwardInputs(CONSTANTS_PLAN, data, steps, [n]), attrs);
        const want = runPlanForward(CONSTANTS_PLAN, attrs, { inputs: data.seqs, states: data.states }, steps, n);
        [...want.outputs, ...want.states].forEach((w, j) => expect(same(got[j]!, w), `forward result ${j}, cap ${cap}: ${show(got[j]!)} vs ${show(w)}`).toBe(true));
        const grads = await runKernel(`${CONSTANTS_PLAN.kernelName}Grad`, backwardInputs(CONSTANTS_PLAN, data, steps, [n]), attrs);
        const back = runPlanBackward(CONSTANTS_PLAN, attrs, { inputs: data.seqs, states: data.states }, data.dOut, data.dFinal, steps, n);
        [...back.inputs, ...back.states].forEach((w, j) => expect(same(grads[j]!, w), `backward result ${j}, cap ${cap}: ${show(grads[j]!)} vs ${show(w)}`).toBe(true));
      }
      const want = runPlanForward(CONSTANTS_PLAN, attrs, { inputs: data.seqs, states: data.states }, steps, n);
      expect(Array.from(want.outputs[0]!).some((v) => v === Infinity) && Array.from(want.outputs[0]!).some((v) => v === -Infinity)).toBe(true);
      expect(Array.from(want.outputs[1]!).some(Number.isNaN)).toBe(true);
    } finally {
      setStorageBufferCap(Infinity);
      unregisterConstants();
    }
  });

  it('on the webgpu backend the plan is judged by the device\'s own limits; a sequence too long for one binding is a named error', async () => {
    const manyParams = plainPlan({ params: Array.from({ length: 5000 }, (_, k) => `p${k}`) });
    expect(() => compileWebGPUPlan(manyParams)).toThrow(PlanUnsupportedError);
    expect(() => compileWebGPUPlan(EVERY_OP_TEST_PLAN)).not.toThrow();
    const steps = 37;
    const data = inputsOf(LIF_TEST_PLAN, steps, 5, 2);
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    // One neuron's forward packs 37 spikes + 2 states, its backward 37 input gradients (sharing rows with
    // the one taped value) + 2 state gradients: 39 rows each, more than 38 fit.
    setPackedBindingCap(4 * 38);
    try {
      await expect(runKernel(LIF_TEST_PLAN.kernelName, forwardInputs(LIF_TEST_PLAN, data, steps, [5]), LIF_ATTRS))
        .rejects.toThrow(`${LIF_TEST_PLAN.kernelName}: 39 time rows of one neuron exceed this device's maxStorageBufferBindingSize (152 bytes)`);
      await expect(runKernel(`${LIF_TEST_PLAN.kernelName}Grad`, backwardInputs(LIF_TEST_PLAN, data, steps, [5]), LIF_ATTRS))
        .rejects.toThrow(`${LIF_TEST_PLAN.kernelName}: 39 time rows of one neuron exceed this device's maxStorageBufferBindingSize (152 bytes)`);
      setPackedBindingCap(4 * 39);
      await runKernel(`${LIF_TEST_PLAN.kernelName}Grad`, backwardInputs(LIF_TEST_PLAN, data, steps, [5]), LIF_ATTRS);
    } finally {
      setPackedBindingCap(Infinity);
    }
    expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
    expect(tf.engine().backend.numDataIds(), 'backend data left behind').toBe(dataBefore);
  });

  it('Θ(NaN) = 0: a NaN input gives no spike', async () => {
    const data = inputsOf(LIF_TEST_PLAN, 3, 2, 8);
    data.seqs[0]!.set([NaN, 100, NaN, 100, 100, 100]);
    const got = await runKernel(LIF_TEST_PLAN.kernelName, forwardInputs(LIF_TEST_PLAN, data, 3, [2]), LIF_ATTRS);
    const want = runPlanForward(LIF_TEST_PLAN, LIF_ATTRS, { inputs: data.seqs, states: data.states }, 3, 2);
    expect(Array.from(got[0]!)).toEqual(Array.from(want.outputs[0]!));
    expect([got[0]![0], got[0]![2], got[0]![4]], 'the neuron poisoned by NaN never spikes').toEqual([0, 0, 0]);
    expect(got[0]![1], 'the other neuron spikes').toBe(1);
  });

  it('bad inputs and attributes are named errors, and neither they nor a run leave anything behind', async () => {
    const steps = 4, shape = [2, 3];
    const data = inputsOf(LIF_TEST_PLAN, steps, 6, 1);
    const named = forwardInputs(LIF_TEST_PLAN, data, steps, shape);
    const name = LIF_TEST_PLAN.kernelName;
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    await runKernel(name, named, LIF_ATTRS);
    await runKernel(`${name}Grad`, backwardInputs(LIF_TEST_PLAN, data, steps, shape), LIF_ATTRS);
    await expect(runKernel(name, { x: named['x']!, v0: named['v0']! }, LIF_ATTRS)).rejects.toThrow(`${name}: the webgpu kernel expected an input 'i0'; received x, v0`);
    await expect(runKernel(name, { ...named, v0: [new Float32Array(3), [3]] }, LIF_ATTRS)).rejects.toThrow(`${name}: the webgpu kernel expected 'v0' of shape [2, 3] (one step of 'x'); received [3]`);
    await expect(runKernel(name, named, { ...LIF_ATTRS, vTh: undefined })).rejects.toThrow(`${name}: the webgpu kernel expected attrs.vTh to be a number; received nothing`);
    const grads = backwardInputs(LIF_TEST_PLAN, data, steps, shape);
    await expect(runKernel(`${name}Grad`, { ...grads, dz: [new Float32Array(6), shape] }, LIF_ATTRS)).rejects.toThrow(`${name}: the webgpu kernel expected 'dz' of shape [4, 2, 3] (the shape of 'x'); received [2, 3]`);
    const ints = tf.tensor([1, 2, 3, 4, 5, 6], shape, 'int32');
    try {
      expect(() => tf.engine().runKernel(name, { x: ints, v0: ints, i0: ints }, LIF_ATTRS as unknown as tf.NamedAttrMap)).toThrow(`${name}: the webgpu kernel expected 'x' of dtype float32; received int32`);
    } finally {
      ints.dispose();
    }
    expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
    expect(tf.engine().backend.numDataIds(), 'backend data left behind').toBe(dataBefore);
  });
});
