/**
 * The wasm kernels generated from a neuron plan: bit for bit what the plan's reference interpreter
 * computes (forward and backward, NaN included; the module's own exp/log/tanh agree with Math's after
 * rounding to float32 but for about one argument in 10⁸ — checked on their own below), on shapes that exercise the two-vector groups, the single-vector loop
 * and the scalar tail (n = 1, 3, 4, 5, 1000, 1001) and T = 0, 1, 37; the LIF test plan equals the
 * composite lifFeedForwardIntegral; the module imports nothing but the memory (and the math
 * it needs) and runs on a shared memory too; the heap growing between calls does not matter; bad
 * inputs and malformed plans are named errors; no tensor or heap data is left behind; a thread that
 * refuses synchronous compilation gets the interpreter until the background compile is done.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  lifFeedForwardIntegral, lifParameters, LIF_SPEC, planCompiler, PlanUnsupportedError, runPlanBackward, runPlanForward, specKernelAttrs, type NeuronPlan,
} from '@snn/functional';
import { setFusedKernelsEnabled } from '@snn/tensor';
import { EVERY_OP_TEST_PLAN, LIF_TEST_PLAN } from '@snn/functional/testing';
import { expectNoLeak, seededRandom } from '@snn/tensor/testing';
import { backendMemory } from '../heap.js';
import { compileWasmPlan, precompileWasmPlan } from './compile.js';
import { backwardTile, emitPlanModule, LAYOUT, TAPE_BUDGET, tapeFloats, type Layout } from './codegen.js';
import { tapePlan } from './tape.js';
import { forgetPlanModules, planExports, planModuleBytes, setSynchronousCompile, type PlanExports } from './modules.js';

const isShared = (memory: WebAssembly.Memory): boolean => memory.buffer instanceof SharedArrayBuffer;
import { closeGradient, useWasm } from '../test-support.js';


/** Random floats in (−scale, scale), with NaN at about `nan` of the positions and a few exact zeros. */
function randomArray(size: number, scale: number, random: () => number, nan = 0): Float32Array {
  return Float32Array.from({ length: size }, () => {
    const u = random();
    if (u < nan) return NaN;
    if (u < nan + 0.01) return 0;
    return (random() * 2 - 1) * scale;
  });
}

/** Positions where two float32 arrays differ (NaN equals NaN, whatever its bits; −0 differs from +0). */
function differences(label: string, got: Float32Array, want: Float32Array): string[] {
  if (got.length !== want.length) return [`${label}: length ${got.length}, expected ${want.length}`];
  const out: string[] = [];
  for (let k = 0; k < got.length && out.length < 5; k++) {
    const a = got[k]!, b = want[k]!;
    if (!(Number.isNaN(a) && Number.isNaN(b)) && !Object.is(a, b)) out.push(`${label}[${k}]: ${a}, expected ${b}`);
  }
  return out;
}

const ATTRS: ReadonlyMap<NeuronPlan, Record<string, number>> = new Map([
  [LIF_TEST_PLAN, specKernelAttrs(LIF_SPEC, lifParameters({ tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, method: 'super', alpha: 20 }, 'test'), 1e-3) as Record<string, number>],
  [EVERY_OP_TEST_PLAN, { k: 1.5, m: 0.25 }],
]);
const PLANS = [LIF_TEST_PLAN, EVERY_OP_TEST_PLAN] as const;

/** One state whose adjoint reads two forward values, neither a function of the other: the tape keeps the state. */
const STATE_TAPE_PLAN: NeuronPlan = {
  kernelName: 'SnnTestPlanStateTape', key: 'test-plan-state-tape', params: [], states: ['s'], inputs: ['x'], outputs: [],
  forward: {
    instructions: [{ op: 'state', index: 0 }, { op: 'input', index: 0 }, { op: 'mul', a: 0, b: 1 }, { op: 'add', a: 0, b: 1 }, { op: 'add', a: 2, b: 3 }],
    nextStates: [4], outputs: [],
  },
  backward: {
    instructions: [
      { op: 'state', index: 0 }, { op: 'input', index: 0 }, { op: 'mul', a: 0, b: 1 }, { op: 'add', a: 0, b: 1 },
      { op: 'gradState', index: 0 }, { op: 'mul', a: 4, b: 2 }, { op: 'mul', a: 5, b: 3 },
    ],
    gradStates: [6], gradInputs: [5],
  },
};
const SCALE: ReadonlyMap<NeuronPlan, number> = new Map([[LIF_TEST_PLAN, 40], [EVERY_OP_TEST_PLAN, 2], [STATE_TAPE_PLAN, 1]]);
const scaleOf = (plan: NeuronPlan): number => SCALE.get(plan) ?? 1;

/** Random arrays for one run of `plan` (T·n sequences, n states, and the backward's gradients). */
function arraysFor(plan: NeuronPlan, T: number, n: number, seed: number, nan: number) {
  const random = seededRandom(seed);
  const scale = scaleOf(plan);
  return {
    inputs: plan.inputs.map(() => randomArray(T * n, scale, random, nan)),
    states: plan.states.map(() => randomArray(n, 1, random, nan)),
    gradOutputs: plan.outputs.map(() => randomArray(T * n, 1, random, nan)),
    gradStates: plan.states.map(() => randomArray(n, 1, random, nan)),
  };
}

/** Runs both generated functions of `plan` on `memory` directly (no tfjs), on arrays laid out from byte 64. */
function runRaw(plan: NeuronPlan, memory: WebAssembly.Memory, attrs: Record<string, number>, a: ReturnType<typeof arraysFor>, T: number, n: number, layout: Layout = LAYOUT) {
  const exports = layout === LAYOUT
    ? planExports(plan, memory)!
    : new WebAssembly.Instance(new WebAssembly.Module(emitPlanModule(plan, isShared(memory), layout).bytes), { env: { memory } }).exports as unknown as PlanExports;
  let next = 64;
  const place = (values: Float32Array | number): number => {
    const count = typeof values === 'number' ? values : values.length;
    const ptr = next;
    next += Math.ceil((count * 4) / 16) * 16 + 16;
    if (next > memory.buffer.byteLength) memory.grow(Math.ceil((next - memory.buffer.byteLength) / 65536));
    if (typeof values !== 'number') new Float32Array(memory.buffer, ptr, count).set(values);
    return ptr;
  };
  const x = a.inputs.map(place), s0 = a.states.map(place), dOut = a.gradOutputs.map(place), dState = a.gradStates.map(place);
  const outs = plan.outputs.map(() => place(T * n)), finals = plan.states.map(() => place(n));
  const dx = plan.inputs.map(() => place(T * n)), ds0 = plan.states.map(() => place(n));
  const tape = place(tapeFloats(plan, T, layout));
  const p = plan.params.map((name) => attrs[name]!);
  exports.forward(...x, ...s0, ...outs, ...finals, n, T, ...p);
  exports.backward(...x, ...s0, ...dOut, ...dState, ...dx, ...ds0, tape, backwardTile(plan, T, layout), n, T, ...p);
  const get = (ptr: number, count: number): Float32Array => new Float32Array(memory.buffer, ptr, count).slice();
  return {
    outputs: outs.map((ptr) => get(ptr, T * n)), states: finals.map((ptr) => get(ptr, n)),
    gradInputs: dx.map((ptr) => get(ptr, T * n)), gradStates: ds0.map((ptr) => get(ptr, n)),
  };
}

/** Every difference between a generated run and the interpreter's. */
function againstInterpreter(plan: NeuronPlan, attrs: Record<string, number>, a: ReturnType<typeof arraysFor>, T: number, n: number, got: ReturnType<typeof runRaw>): string[] {
  const fwd = runPlanForward(plan, attrs, a, T, n);
  const bwd = runPlanBackward(plan, attrs, a, a.gradOutputs, a.gradStates, T, n);
  return [
    ...fwd.outputs.flatMap((w, j) => differences(`${plan.outputs[j]}`, got.outputs[j]!, w)),
    ...fwd.states.flatMap((w, s) => differences(`final ${plan.states[s]}`, got.states[s]!, w)),
    ...bwd.inputs.flatMap((w, j) => differences(`d${plan.inputs[j]}`, got.gradInputs[j]!, w)),
    ...bwd.states.flatMap((w, s) => differences(`d${plan.states[s]}0`, got.gradStates[s]!, w)),
  ];
}

describe('the generated plan module', () => {
  it('imports nothing but the memory (plain or shared); exports forward and backward; has no data or start section', () => {
    for (const shared of [false, true]) {
      const lif = new WebAssembly.Module(planModuleBytes(LIF_TEST_PLAN, shared));
      expect(WebAssembly.Module.imports(lif)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(WebAssembly.Module.exports(lif).map((e) => e.name)).toEqual(['forward', 'backward']);
      const every = new WebAssembly.Module(planModuleBytes(EVERY_OP_TEST_PLAN, shared));
      expect(WebAssembly.Module.imports(every).map((i) => `${i.module}.${i.name}`)).toEqual(['env.memory']);
      expect(WebAssembly.Module.exports(every).map((e) => e.name)).toEqual(['forward', 'backward']);
    }
    expect(WebAssembly.Module.customSections(new WebAssembly.Module(planModuleBytes(LIF_TEST_PLAN, false)), 'name')).toEqual([]);
  });

  for (const plan of PLANS) {
    it(`${plan.kernelName}: forward and backward equal the reference interpreter bit for bit on a plain and a shared memory, NaN included`, () => {
      const attrs = ATTRS.get(plan)!;
      const problems: string[] = [];
      for (const shared of [false, true]) {
        const memory = shared ? new WebAssembly.Memory({ initial: 1, maximum: 1024, shared: true }) : new WebAssembly.Memory({ initial: 1 });
        for (const n of [1, 3, 4, 5, 8, 9, 1000, 1001]) {
          for (const T of [0, 1, 37]) {
            const a = arraysFor(plan, T, n, 1000 * n + T, 0.02);
            const got = runRaw(plan, memory, attrs, a, T, n);
            problems.push(...againstInterpreter(plan, attrs, a, T, n, got).map((p) => `${shared ? 'shared' : 'plain'} n=${n} T=${T}: ${p}`));
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it("the module's exp, log and tanh round to Math's float32 values (within one ulp, nearly always equal), special values exactly", () => {
    const MATH_PLAN: NeuronPlan = {
      kernelName: 'SnnTestPlanMath', key: 'test-plan-math', params: [], states: [], inputs: ['x'], outputs: ['e', 'l', 't'],
      forward: { instructions: [{ op: 'input', index: 0 }, { op: 'exp', a: 0 }, { op: 'log', a: 0 }, { op: 'tanh', a: 0 }], nextStates: [], outputs: [1, 2, 3] },
      backward: { instructions: [{ op: 'const', value: 0 }], gradStates: [], gradInputs: [0] },
    };
    const random = seededRandom(99);
    const specials = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1e-40, 1.1754944e-38, 3.4028235e38, -3.4028235e38,
      88.72, 88.73, -87.3, -103.9, -104, 0.35 / 2, 0.1749, 0.1751, 1e-8, -1e-8, 20, -20, 9.01, Math.SQRT2, Math.SQRT1_2, 0.5, 2];
    const values = Float32Array.from([
      ...specials,
      ...Array.from({ length: 200000 }, () => (random() * 2 - 1) * 30),
      ...Array.from({ length: 200000 }, () => Math.exp((random() * 2 - 1) * 80)),
      ...Array.from({ length: 100000 }, () => (random() * 2 - 1) * 0.4),
    ]);
    const n = values.length;
    const memory = new WebAssembly.Memory({ initial: Math.ceil((n * 16 + 4096) / 65536) });
    const a = { inputs: [values], states: [], gradOutputs: [new Float32Array(n), new Float32Array(n), new Float32Array(n)], gradStates: [] };
    const got = runRaw(MATH_PLAN, memory, {}, a, 1, n);
    const ulp = (w: number): number => Math.max(2 ** -149, 2 ** (Math.floor(Math.log2(Math.abs(w))) - 23));
    for (const [j, f] of [[0, Math.exp], [1, Math.log], [2, Math.tanh]] as const) {
      let unequal = 0;
      const problems: string[] = [];
      values.forEach((x, k) => {
        const want = Math.fround(f(x));
        const have = got.outputs[j]![k]!;
        if (Object.is(want, have) || (Number.isNaN(want) && Number.isNaN(have))) return;
        unequal++;
        if (k < specials.length || !Number.isFinite(want) || Math.abs(have - want) > ulp(want)) problems.push(`${f.name}(${x}) = ${have}, expected ${want}`);
      });
      expect(problems.slice(0, 5)).toEqual([]);
      expect(unequal).toBeLessThanOrEqual(n * 1e-5);
    }
    // The vector code (two f64 lanes at a time) computes every lane exactly as the scalar code does: the
    // same values as one neuron over n steps (the scalar tail) and as 4 or 8 neurons (one or two vectors).
    const m = n - (n % 8);
    const sequence = (width: number) => runRaw(MATH_PLAN, new WebAssembly.Memory({ initial: Math.ceil((m * 16 + 4096) / 65536) }), {}, {
      inputs: [values.subarray(0, m)], states: [], gradOutputs: [new Float32Array(m), new Float32Array(m), new Float32Array(m)], gradStates: [],
    }, m / width, width);
    const scalar = sequence(1);
    for (const width of [4, 8]) {
      const vector = sequence(width);
      for (let j = 0; j < 3; j++) expect(differences(`${MATH_PLAN.outputs[j]} (${width} lanes)`, vector.outputs[j]!, scalar.outputs[j]!)).toEqual([]);
    }
  });

  it('keeps −0, ±∞ and NaN constants and constant outputs as the interpreter does', () => {
    const plan: NeuronPlan = {
      kernelName: 'SnnTestPlanConstants', key: 'test-plan-constants', params: [], states: [], inputs: ['x'], outputs: ['a', 'b', 'c', 'd'],
      forward: {
        instructions: [
          { op: 'input', index: 0 }, { op: 'const', value: -0 }, { op: 'const', value: Infinity }, { op: 'const', value: NaN },
          { op: 'add', a: 0, b: 1 }, { op: 'min', a: 4, b: 2 }, { op: 'max', a: 3, b: 0 }, { op: 'neg', a: 2 }, { op: 'mul', a: 0, b: 7 },
        ],
        nextStates: [], outputs: [1, 5, 6, 8],
      },
      backward: { instructions: [{ op: 'gradOutput', index: 0 }, { op: 'const', value: -0 }, { op: 'mul', a: 0, b: 1 }], gradStates: [], gradInputs: [2] },
    };
    const memory = new WebAssembly.Memory({ initial: 1 });
    const problems: string[] = [];
    for (const [n, T] of [[1, 3], [13, 5]] as const) {
      const a = arraysFor(plan, T, n, 5 * n, 0.1);
      a.inputs[0]![0] = -0;
      const got = runRaw(plan, memory, {}, a, T, n);
      expect(Object.is(got.outputs[0]![0], -0)).toBe(true);
      problems.push(...againstInterpreter(plan, {}, a, T, n, got).map((p) => `n=${n} T=${T}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it('other loop layouts (wider groups, small tiles, odd time blocks) compute the same, so the layout is only a speed choice', () => {
    const layouts: Layout[] = [
      { forward: { vectors: 4, tile: 16, blockSteps: 3 }, backward: { vectors: 2, tile: 8, blockSteps: 5 } },
      { forward: { vectors: 1, tile: 4, blockSteps: 1 }, backward: { vectors: 4, tile: 32, blockSteps: 1 } },
    ];
    const problems: string[] = [];
    const memory = new WebAssembly.Memory({ initial: 1 });
    for (const plan of PLANS) {
      const attrs = ATTRS.get(plan)!;
      for (const layout of layouts) {
        for (const [n, T] of [[1, 7], [37, 11], [70, 0], [70, 1]] as const) {
          const a = arraysFor(plan, T, n, 31 * n + T, 0.02);
          const got = runRaw(plan, memory, attrs, a, T, n, layout);
          problems.push(...againstInterpreter(plan, attrs, a, T, n, got).map((p) => `${plan.kernelName} ${JSON.stringify(layout)} n=${n} T=${T}: ${p}`));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('tapes the forward values the adjoint reads where that is fewer values or saves math calls, else the start state', () => {
    // LIF: vd − vTh and 1 − z are functions of vd: one value per step (instead of v and i).
    expect(tapePlan(LIF_TEST_PLAN)).toEqual({ slots: 1, forwardRegisters: [12], backwardSlots: new Map([[12, 0]]) });
    // The every-op plan: tanh, exp and the spike stay on the tape (three values, but no math calls on the way back).
    expect(tapePlan(EVERY_OP_TEST_PLAN).forwardRegisters).toEqual([9, 15, 20]);
    expect(tapePlan(STATE_TAPE_PLAN)).toEqual({ slots: 1, forwardRegisters: 'states', backwardSlots: new Map() });
    const problems: string[] = [];
    const memory = new WebAssembly.Memory({ initial: 1 });
    for (const [n, T] of [[1, 5], [13, 9], [1001, 37], [6, 0]] as const) {
      const a = arraysFor(STATE_TAPE_PLAN, T, n, n + T, 0.02);
      problems.push(...againstInterpreter(STATE_TAPE_PLAN, {}, a, T, n, runRaw(STATE_TAPE_PLAN, memory, {}, a, T, n)).map((p) => `n=${n} T=${T}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it('narrows the backward tile for long sequences so that the tape stays within its budget', () => {
    const group = 4 * LAYOUT.backward.vectors;
    expect(backwardTile(LIF_TEST_PLAN, 100)).toBe(LAYOUT.backward.tile);
    const tile = backwardTile(LIF_TEST_PLAN, 20000);
    expect(tile).toBeLessThan(LAYOUT.backward.tile);
    expect(tile % group).toBe(0);
    expect(tapeFloats(LIF_TEST_PLAN, 20000)).toBeLessThanOrEqual(TAPE_BUDGET);
    expect(tapeFloats(LIF_TEST_PLAN, 20000) + tapePlan(LIF_TEST_PLAN).slots * 20000 * group).toBeGreaterThan(TAPE_BUDGET);
    expect(backwardTile(LIF_TEST_PLAN, 10 ** 8)).toBe(group);
    expect(tapeFloats(LIF_TEST_PLAN, 0)).toBe(0);
  });
});

describe('plan kernels on the wasm backend', () => {
  let backend: BackendWasm;
  beforeAll(async () => {
    backend = await useWasm();
    for (const plan of PLANS) {
      const { forward, backward } = compileWasmPlan(plan);
      tf.registerKernel({ kernelName: plan.kernelName, backendName: 'wasm', kernelFunc: forward });
      tf.registerKernel({ kernelName: `${plan.kernelName}Grad`, backendName: 'wasm', kernelFunc: backward });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Runs both kernels of `plan` through tfjs on arrays `a`; returns their results as arrays. */
  async function runKernels(plan: NeuronPlan, attrs: Record<string, unknown>, a: ReturnType<typeof arraysFor>, T: number, S: readonly number[]) {
    const n = S.reduce((x, y) => x * y, 1);
    const seq = (values: Float32Array): Tensor => tf.tensor(values, [T, ...S]);
    const st = (values: Float32Array): Tensor => tf.tensor(values, [...S]);
    const inputs: Record<string, Tensor> = {};
    plan.inputs.forEach((name, j) => (inputs[name] = seq(a.inputs[j]!)));
    plan.states.forEach((name, s) => (inputs[`${name}0`] = st(a.states[s]!)));
    const grads: Record<string, Tensor> = { ...inputs };
    plan.outputs.forEach((name, j) => (grads[`d${name}`] = seq(a.gradOutputs[j]!)));
    plan.states.forEach((name, s) => (grads[`d${name}`] = st(a.gradStates[s]!)));
    const fwd = tf.engine().runKernel(plan.kernelName, inputs, attrs as never) as Tensor[];
    const bwd = tf.engine().runKernel(`${plan.kernelName}Grad`, grads, attrs as never) as Tensor[];
    const data = async (ts: Tensor[]): Promise<Float32Array[]> => Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
    const O = plan.outputs.length, I = plan.inputs.length;
    expect(fwd.map((t) => t.shape)).toEqual([...plan.outputs.map(() => [T, ...S]), ...plan.states.map(() => [...S])]);
    expect(bwd.map((t) => t.shape)).toEqual([...plan.inputs.map(() => [T, ...S]), ...plan.states.map(() => [...S])]);
    const f = await data(fwd);
    const b = await data(bwd);
    tf.dispose([...Object.values(grads), ...fwd, ...bwd]);
    expect(n).toBeGreaterThanOrEqual(0);
    return { outputs: f.slice(0, O), states: f.slice(O), gradInputs: b.slice(0, I), gradStates: b.slice(I) };
  }

  for (const plan of PLANS) {
    it(`${plan.kernelName}: the kernels equal the interpreter bit for bit for n = 1, 3, 4, 5, 1000, 1001 and T = 0, 1, 37, NaN included`, async () => {
      const attrs = ATTRS.get(plan)!;
      const problems: string[] = [];
      for (const S of [[1], [3], [2, 2], [5], [10, 100], [7, 11, 13]]) {
        const n = S.reduce((x, y) => x * y, 1);
        for (const T of [0, 1, 37]) {
          const a = arraysFor(plan, T, n, 7 * n + T, 0.02);
          const got = await runKernels(plan, attrs, a, T, S);
          problems.push(...againstInterpreter(plan, attrs, a, T, n, got).map((p) => `S=[${S}] T=${T}: ${p}`));
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('the LIF test plan equals the composite lifFeedForwardIntegral: spikes and states exactly, gradients within 1e-4 of tf.grads', async () => {
    const raw = { tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, method: 'super' as const, alpha: 20 };
    const attrs = ATTRS.get(LIF_TEST_PLAN)!;
    const [T, B, N] = [41, 3, 701];
    const a = arraysFor(LIF_TEST_PLAN, T, B * N, 5, 0);
    const got = await runKernels(LIF_TEST_PLAN, attrs, a, T, [B, N]);
    const x = tf.tensor(a.inputs[0]!, [T, B, N]), v0 = tf.tensor(a.states[0]!, [B, N]), i0 = tf.tensor(a.states[1]!, [B, N]);
    const dz = tf.tensor(a.gradOutputs[0]!, [T, B, N]), dv = tf.tensor(a.gradStates[0]!, [B, N]), di = tf.tensor(a.gradStates[1]!, [B, N]);
    const previous = setFusedKernelsEnabled(false);
    try {
      const [z, s] = lifFeedForwardIntegral(x, { v: v0, i: i0 }, raw);
      const grads = tf.grads((xs: Tensor, vs: Tensor, is: Tensor) => {
        const [zz, ss] = lifFeedForwardIntegral(xs, { v: vs, i: is }, raw);
        return tf.addN([tf.sum(tf.mul(zz, dz)), tf.sum(tf.mul(ss.v, dv)), tf.sum(tf.mul(ss.i, di))]);
      })([x, v0, i0]);
      const want = await Promise.all([z, s.v, s.i, ...grads].map(async (t) => (await t.data()) as Float32Array));
      expect(want[0]!.some((k) => k === 1)).toBe(true);
      const problems = [
        ...differences('z', got.outputs[0]!, want[0]!),
        ...differences('v', got.states[0]!, want[1]!),
        ...differences('i', got.states[1]!, want[2]!),
        ...closeGradient('dx', Array.from(got.gradInputs[0]!), Array.from(want[3]!)),
        ...closeGradient('dv0', Array.from(got.gradStates[0]!), Array.from(want[4]!)),
        ...closeGradient('di0', Array.from(got.gradStates[1]!), Array.from(want[5]!)),
      ];
      expect(problems).toEqual([]);
      tf.dispose([z, s.v, s.i, ...grads]);
    } finally {
      setFusedKernelsEnabled(previous);
      tf.dispose([x, v0, i0, dz, dv, di]);
    }
  });

  it('keeps computing right after the heap grows between calls', async () => {
    const plan = EVERY_OP_TEST_PLAN;
    const attrs = ATTRS.get(plan)!;
    const memory = backendMemory(backend);
    const a = arraysFor(plan, 9, 33, 3, 0.02);
    const before = await runKernels(plan, attrs, a, 9, [33]);
    const size = memory.buffer.byteLength;
    const big = tf.zeros([Math.ceil(size / 4) + 1024]);
    expect(memory.buffer.byteLength).toBeGreaterThan(size);
    const after = await runKernels(plan, attrs, a, 9, [33]);
    big.dispose();
    expect(againstInterpreter(plan, attrs, a, 9, 33, after)).toEqual([]);
    expect(after).toEqual(before);
  });

  it('leaves no tensor and no heap data behind, and repeated calls do not grow the heap', async () => {
    const plan = LIF_TEST_PLAN;
    const attrs = ATTRS.get(plan)!;
    const a = arraysFor(plan, 30, 2200, 9, 0);
    await runKernels(plan, attrs, a, 30, [2, 1100]); // warm: the module compiled and instantiated
    const ids = backend.numDataIds();
    const heap = backendMemory(backend).buffer.byteLength;
    await expectNoLeak(async () => {
      for (let k = 0; k < 3; k++) await runKernels(plan, attrs, a, 30, [2, 1100]);
    }, 'plan kernels');
    expect(backend.numDataIds()).toBe(ids);
    expect(backendMemory(backend).buffer.byteLength).toBe(heap);
  });

  it('allocates exactly its outputs: the backward tape is freed before it returns', () => {
    const plan = LIF_TEST_PLAN;
    const attrs = ATTRS.get(plan)!;
    const x = tf.ones([20, 40]), v0 = tf.zeros([40]), i0 = tf.zeros([40]), dz = tf.ones([20, 40]), dv = tf.ones([40]), di = tf.ones([40]);
    const ids = backend.numDataIds();
    const out = tf.engine().runKernel(`${plan.kernelName}Grad`, { x, v0, i0, dz, dv, di }, attrs as never) as Tensor[];
    expect(backend.numDataIds() - ids).toBe(3);
    tf.dispose([x, v0, i0, dz, dv, di, ...out]);
  });

  it('names the kernel, the input and what it expected in errors about inputs and attributes, before allocating', () => {
    const plan = LIF_TEST_PLAN;
    const attrs = ATTRS.get(plan)!;
    const x = tf.ones([5, 2, 3]), v0 = tf.zeros([2, 3]), i0 = tf.zeros([2, 3]), bad = tf.zeros([3, 2]), int = tf.zeros([2, 3], 'int32');
    const xT = tf.ones([5, 3, 2]), dzShort = tf.ones([4, 2, 3]);
    const ids = backend.numDataIds();
    const run = (inputs: Record<string, Tensor>, at: Record<string, unknown> = attrs, grad = false) => () =>
      tf.engine().runKernel(grad ? `${plan.kernelName}Grad` : plan.kernelName, inputs as never, at as never);
    expect(run({ x, v0 })).toThrow(/SnnTestPlanLIFIntegral \(wasm\): missing input 'i0'/);
    expect(run({ x, v0, i0: int })).toThrow(/input 'i0' expected dtype float32; received int32/);
    expect(run({ x, v0, i0: bad })).toThrow(/input 'i0' expected the shape of 'v0', \[2, 3\]; received \[3, 2\]/);
    expect(run({ x: xT, v0, i0 })).toThrow(/input 'x' expected shape \[T, 2, 3\]/);
    expect(run({ x, v0, i0 }, { ...attrs, vTh: NaN })).toThrow(/attribute 'vTh' expected a finite number; received NaN/);
    expect(run({ x, v0, i0 }, { ...attrs, alpha: undefined })).toThrow(/attribute 'alpha'/);
    expect(run({ x, v0, i0, dz: dzShort, dv: v0, di: i0 }, attrs, true)).toThrow(/SnnTestPlanLIFIntegralGrad \(wasm\): input 'dz' expected the shape of 'x'/);
    expect(run({ x, v0, i0, dz: x, dv: v0 }, attrs, true)).toThrow(/missing input 'di'/);
    expect(backend.numDataIds()).toBe(ids);
    tf.dispose([x, v0, i0, bad, int, xT, dzShort]);
  });

  it('refuses a malformed plan with an Error naming the plan and the instruction', () => {
    const base = EVERY_OP_TEST_PLAN;
    const withForward = (instructions: NeuronPlan['forward']['instructions']): NeuronPlan => ({ ...base, key: 'bad', forward: { ...base.forward, instructions } });
    const fwd = base.forward.instructions;
    expect(() => compileWasmPlan(withForward([...fwd.slice(0, 7), { op: 'mul', a: 0, b: 9 }, ...fwd.slice(8)]))).toThrow(/plan 'SnnTestPlanEveryOpIntegral': forward instruction 7 .* reads register 9; expected an earlier register 0..6/);
    expect(() => compileWasmPlan(withForward([{ op: 'param', index: 2 }, ...fwd.slice(1)]))).toThrow(/forward instruction 0 .* reads param 2; expected an index 0..1/);
    expect(() => compileWasmPlan(withForward([{ op: 'gradState', index: 0 }, ...fwd.slice(1)]))).toThrow(/reads gradState 0; .*none in this program/);
    expect(() => compileWasmPlan(withForward([{ op: 'cosh', a: 0 } as never, ...fwd.slice(1)]))).toThrow(/unknown op 'cosh'/);
    expect(() => compileWasmPlan({ ...base, forward: { ...base.forward, nextStates: [22] } })).toThrow(/forward.nextStates expected 2 registers/);
    expect(() => compileWasmPlan({ ...base, backward: { ...base.backward, gradInputs: [31, 99] } })).toThrow(/backward.gradInputs names register 99/);
    expect(() => compileWasmPlan({ ...base, inputs: ['x', 'u0'] })).toThrow(/kernel input name 'u0' arises twice/);
    expect(() => compileWasmPlan({ ...base, inputs: [] })).toThrow(PlanUnsupportedError);
    expect(() => compileWasmPlan({ ...base, inputs: [] })).toThrow(/no sequence input/);
  });

  it('is the wasm plan compiler once the kernels are registered', () => {
    expect(planCompiler('wasm')).toBe(compileWasmPlan);
  });

  it('where synchronous compilation is refused, runs the interpreter (saying so once) until the background compile is done', async () => {
    const plan: NeuronPlan = { ...EVERY_OP_TEST_PLAN, key: 'test-plan-every-op-async' };
    const attrs = ATTRS.get(EVERY_OP_TEST_PLAN)!;
    const { forward, backward } = compileWasmPlan(plan);
    tf.registerKernel({ kernelName: 'SnnTestPlanAsync', backendName: 'wasm', kernelFunc: forward });
    tf.registerKernel({ kernelName: 'SnnTestPlanAsyncGrad', backendName: 'wasm', kernelFunc: backward });
    const renamed = { ...plan, kernelName: 'SnnTestPlanAsync' };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const previous = setSynchronousCompile(() => {
      throw new RangeError('WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 4KB');
    });
    try {
      forgetPlanModules(plan);
      const a = arraysFor(plan, 11, 13, 21, 0.02);
      for (let k = 0; k < 2; k++) {
        const got = await runKernels(renamed, attrs, a, 11, [13]);
        expect(againstInterpreter(plan, attrs, a, 11, 13, got)).toEqual([]);
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/SnnTestPlanEveryOpIntegral: this thread refuses to compile .* precompileWasmPlan/);
      await precompileWasmPlan(plan);
      expect(planExports(plan, backendMemory(backend))).toBeDefined();
      const got = await runKernels(renamed, attrs, a, 11, [13]);
      expect(againstInterpreter(plan, attrs, a, 11, 13, got)).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      setSynchronousCompile(previous);
      tf.unregisterKernel('SnnTestPlanAsync', 'wasm');
      tf.unregisterKernel('SnnTestPlanAsyncGrad', 'wasm');
    }
  });
});
