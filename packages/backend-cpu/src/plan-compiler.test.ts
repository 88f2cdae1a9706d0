/**
 * The generated cpu kernels of a neuron plan: for LIF's spec and the every-op test plan, forward and
 * backward equal the reference interpreter bit for bit (random inputs with NaN, T = 0 and 1, a
 * one-neuron shape, neuron counts that are not a multiple of the backward's block, odd counts for the
 * backward's two-neuron iterations); LIF's kernels equal its composite path on shapes of several
 * blocks (spikes and states exactly, gradients within 1e-4); bad inputs and bad plans give Errors
 * naming the kernel; nothing leaks; without `new Function` the kernels run the interpreter and say
 * so once.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  LIF_SPEC, lifFeedForwardIntegral, lifParameters, lowerSpec, planCompiler, runPlanBackward, runPlanForward, specKernelAttrs, type CompiledPlan,
  type NeuronPlan,
} from '@snn/functional';
import { EVERY_OP_TEST_PLAN } from '@snn/functional/testing';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { registerCpuKernels } from './index.js';
import { blockSize } from './cpu-data.js';
import { compileCpuPlan, type CpuPlanOptions } from './plan-compiler.js';
import { tapedRegisters } from './plan-source.js';
import { expectExact, expectGradient, onPath, randomValues } from './test-support.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu');

/** LIF's feed-forward plan (SuperSpike) under its own kernel name, so that it does not meet the kernel the models register. */
const LIF_PLAN: NeuronPlan = { ...lowerSpec(LIF_SPEC, 'super'), kernelName: 'SnnTestCpuLIFSuperIntegral' };
const LIF_ATTRS = specKernelAttrs(LIF_SPEC, lifParameters({ tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, alpha: 20 }, 'test'), 1e-3) as NamedAttrMap;

const PLANS: ReadonlyArray<readonly [NeuronPlan, NamedAttrMap]> = [
  [LIF_PLAN, LIF_ATTRS],
  [EVERY_OP_TEST_PLAN, { k: 1.5, m: 0.25 }],
];

/** [T, neuron shape] cases: empty and one-step sequences, one neuron, more neurons than one backward block. */
const SHAPES: ReadonlyArray<readonly [number, readonly number[]]> = [[0, [3]], [1, [1]], [1, [5]], [7, [2, 3]], [13, [1]], [300, [3, 167]], [3, [2500]]];

/** Random values in (−scale, scale) with every 17th a NaN (and one ±Infinity among them). */
function poisoned(count: number, scale: number, seed: number): Float32Array {
  const a = randomValues(count, -scale, scale, seed);
  for (let k = 5; k < count; k += 17) a[k] = NaN;
  if (count > 40) a[40] = seed % 2 ? Infinity : -Infinity;
  return a;
}

/** Registers a compiled plan's kernels on 'cpu' for the duration of a test file. */
function register(plan: NeuronPlan, compiled: CompiledPlan): () => void {
  tf.registerKernel({ kernelName: plan.kernelName, backendName: 'cpu', kernelFunc: compiled.forward });
  tf.registerKernel({ kernelName: `${plan.kernelName}Grad`, backendName: 'cpu', kernelFunc: compiled.backward });
  return () => {
    tf.unregisterKernel(plan.kernelName, 'cpu');
    tf.unregisterKernel(`${plan.kernelName}Grad`, 'cpu');
  };
}

const run = (name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap): Tensor[] => tf.engine().runKernel(name, inputs, attrs) as unknown as Tensor[];
const data = (ts: Tensor[]): Float32Array[] => ts.map((t) => t.dataSync() as Float32Array);
const list = (a: Float32Array): number[] => Array.from(a);

interface Arrays {
  readonly x: Float32Array[];
  readonly s0: Float32Array[];
  readonly dOut: Float32Array[];
  readonly dState: Float32Array[];
}

function arrays(plan: NeuronPlan, steps: number, n: number, seed: number, scale = 3): Arrays {
  return {
    x: plan.inputs.map((_, j) => poisoned(steps * n, scale, seed + j)),
    s0: plan.states.map((_, s) => poisoned(n, 1, seed + 10 + s)),
    dOut: plan.outputs.map((_, j) => poisoned(steps * n, 1, seed + 20 + j)),
    dState: plan.states.map((_, s) => poisoned(n, 1, seed + 30 + s)),
  };
}

function tensors(plan: NeuronPlan, a: Arrays, steps: number, shape: readonly number[]): { forward: Record<string, Tensor>; backward: Record<string, Tensor> } {
  const forward: Record<string, Tensor> = {};
  plan.inputs.forEach((name, j) => { forward[name] = tf.tensor(a.x[j]!, [steps, ...shape]); });
  plan.states.forEach((name, s) => { forward[`${name}0`] = tf.tensor(a.s0[s]!, [...shape]); });
  const backward: Record<string, Tensor> = { ...forward };
  plan.outputs.forEach((name, j) => { backward[`d${name}`] = tf.tensor(a.dOut[j]!, [steps, ...shape]); });
  plan.states.forEach((name, s) => { backward[`d${name}`] = tf.tensor(a.dState[s]!, [...shape]); });
  return { forward, backward };
}

/** Runs a plan's compiled kernels and the interpreter on the same random values and compares bit for bit. */
function compareWithInterpreter(plan: NeuronPlan, attrs: NamedAttrMap, steps: number, shape: readonly number[], seed: number): void {
  const n = shape.reduce((p, d) => p * d, 1);
  const a = arrays(plan, steps, n, seed);
  const { forward, backward } = tensors(plan, a, steps, shape);
  try {
    const outs = run(plan.kernelName, forward, attrs);
    expect(outs.map((t) => t.shape)).toEqual([...plan.outputs.map(() => [steps, ...shape]), ...plan.states.map(() => [...shape])]);
    const want = runPlanForward(plan, attrs, { inputs: a.x, states: a.s0 }, steps, n);
    expect(data(outs).map(list)).toEqual([...want.outputs, ...want.states].map(list));
    const grads = run(`${plan.kernelName}Grad`, backward, attrs);
    expect(grads.map((t) => t.shape)).toEqual([...plan.inputs.map(() => [steps, ...shape]), ...plan.states.map(() => [...shape])]);
    const back = runPlanBackward(plan, attrs, { inputs: a.x, states: a.s0 }, a.dOut, a.dState, steps, n);
    expect(data(grads).map(list)).toEqual([...back.inputs, ...back.states].map(list));
    tf.dispose([...outs, ...grads]);
  } finally {
    tf.dispose([...Object.values(backward)]);
  }
}

describeEachBackend('generated cpu kernels of neuron plans', backends, () => {
  const unregister: Array<() => void> = [];
  beforeAll(() => {
    registerCpuKernels();
    for (const [plan] of PLANS) unregister.push(register(plan, compileCpuPlan(plan)));
  });
  afterAll(() => { for (const u of unregister) u(); });

  for (const [plan, attrs] of PLANS) {
    it(`${plan.kernelName}: forward and backward equal the reference interpreter bit for bit (NaN, T = 0, T = 1, one neuron, blocks)`, () => {
      const block = blockSize(3 * 167, 300, Math.max(1, tapedRegisters(plan).length));
      expect(block).toBeLessThan(3 * 167); // several blocks of the backward, the last one partial
      expect((3 * 167) % block).not.toBe(0);
      SHAPES.forEach(([steps, shape], k) => compareWithInterpreter(plan, attrs, steps, shape, 100 + k));
    });
  }

  it("the LIF spec's kernels equal its composite path over several blocks (spikes and states exactly, gradients within 1e-4)", async () => {
    const p = { vReset: -0.1, method: 'super' as const, alpha: 100 };
    const attrs = specKernelAttrs(LIF_SPEC, lifParameters(p, 'test'), 1e-3) as NamedAttrMap;
    for (const [steps, shape, seed] of [[60, [4, 37], 1], [2, [3], 2], [200, [701], 4]] as const) {
      const n = shape.reduce((q, d) => q * d, 1);
      const x = tf.tensor(randomValues(steps * n, -0.3, 0.9, seed), [steps, ...shape]);
      const v0 = tf.tensor(randomValues(n, -0.5, 0.95, seed + 1), [...shape]);
      const i0 = tf.tensor(randomValues(n, -0.5, 1, seed + 2), [...shape]);
      const dz = tf.tensor(randomValues(steps * n, -1, 1, seed + 3), [steps, ...shape]);
      const dv = tf.tensor(randomValues(n, -1, 1, seed + 4), [...shape]);
      const di = tf.tensor(randomValues(n, -1, 1, seed + 5), [...shape]);
      const generated = run(LIF_PLAN.kernelName, { x, v0, i0 }, attrs);
      const gGenerated = run(`${LIF_PLAN.kernelName}Grad`, { x, v0, i0, dz, dv, di }, attrs);
      const composite = onPath(false, () => {
        const [z, s] = lifFeedForwardIntegral(x, { v: v0, i: i0 }, p);
        return [z, s.v, s.i];
      });
      const gComposite = onPath(false, () => tf.grads((xs: Tensor, vs: Tensor, is: Tensor) => {
        const [z, s] = lifFeedForwardIntegral(xs, { v: vs, i: is }, p);
        return tf.addN([tf.sum(tf.mul(z, dz)), tf.sum(tf.mul(s.v, dv)), tf.sum(tf.mul(s.i, di))]);
      })([x, v0, i0]));
      const [z, v, i] = data(generated);
      const [zc, vc, ic] = data(composite);
      if (steps >= 60) {
        const rate = z!.reduce((s, q) => s + q, 0) / z!.length;
        expect(rate).toBeGreaterThan(0.02);
        expect(rate).toBeLessThan(0.9);
      }
      const problems = [
        ...expectExact('spikes', z!, zc!), ...expectExact('final v', v!, vc!), ...expectExact('final i', i!, ic!),
        ...['dx', 'dv0', 'di0'].flatMap((what, k) => expectGradient(what, data(gGenerated)[k]!, data(gComposite)[k]!)),
      ];
      expect(problems).toEqual([]);
      tf.dispose([x, v0, i0, dz, dv, di, ...generated, ...gGenerated, ...composite, ...gComposite]);
    }
  });

  it('bad inputs and attributes give Errors that name the kernel and the input', () => {
    const plan = EVERY_OP_TEST_PLAN;
    const name = plan.kernelName;
    const attrs = { k: 1.5, m: 0.25 };
    const t = (shape: number[], dtype: 'float32' | 'int32' = 'float32'): Tensor => tf.zeros(shape, dtype);
    const ok = (): Record<string, Tensor> => ({ x: t([4, 2, 3]), y: t([4, 2, 3]), u0: t([2, 3]), w0: t([2, 3]) });
    const cases: ReadonlyArray<readonly [string, () => Tensor[], RegExp]> = [
      ['missing input', () => { const i = ok(); delete i['w0']; return run(name, i, attrs); }, new RegExp(`${name}: input 'w0' is missing`)],
      ['int32 input', () => run(name, { ...ok(), y: t([4, 2, 3], 'int32') }, attrs), new RegExp(`${name}: input 'y' expected dtype float32; received int32`)],
      ['state shape', () => run(name, { ...ok(), w0: t([3, 2]) }, attrs), new RegExp(`${name}: input 'w0' expected shape \\[2, 3\\].*received \\[3, 2\\]`)],
      ['sequence shape', () => run(name, { ...ok(), x: t([4, 6]) }, attrs), new RegExp(`${name}: input 'x' expected shape \\[T, 2, 3\\].*received \\[4, 6\\]`)],
      ['time steps differ', () => run(name, { ...ok(), y: t([5, 2, 3]) }, attrs), new RegExp(`${name}: input 'y' expected shape \\[T, 2, 3\\].*T = 4 as 'x'.*received \\[5, 2, 3\\]`)],
      ['missing attribute', () => run(name, ok(), { k: 1 }), new RegExp(`${name}: attribute 'm' expected a number; received nothing`)],
      ['missing gradient', () => run(`${name}Grad`, { ...ok(), do: t([4, 2, 3]), dp: t([4, 2, 3]), du: t([2, 3]) }, attrs), new RegExp(`${name}Grad: input 'dw' is missing`)],
      ['gradient shape', () => run(`${name}Grad`, { ...ok(), do: t([4, 2, 3]), dp: t([3, 2, 3]), du: t([2, 3]), dw: t([2, 3]) }, attrs), new RegExp(`${name}Grad: input 'dp' expected shape \\[T, 2, 3\\]`)],
    ];
    for (const [what, call, message] of cases) {
      const before = tf.memory().numTensors;
      let thrown: unknown;
      tf.tidy(() => { try { call(); } catch (e) { thrown = e; } });
      expect(thrown, what).toBeInstanceOf(Error);
      expect((thrown as Error).message, what).toMatch(message);
      expect(tf.memory().numTensors, what).toBe(before);
    }
  });

  it('a malformed plan is refused with an Error naming the plan and the instruction', () => {
    const bad = (change: Partial<NeuronPlan>): NeuronPlan => ({ ...LIF_PLAN, ...change });
    const forward = LIF_PLAN.forward;
    const next = forward.instructions.length;
    const params = LIF_PLAN.params.length;
    expect(() => compileCpuPlan(bad({ forward: { ...forward, instructions: [...forward.instructions, { op: 'add', a: 3, b: 400 }] } })))
      .toThrow(new RegExp(`compileCpuPlan: plan 'SnnTestCpuLIFSuperIntegral' forward instruction ${next} \\('add'\\) reads register 400, not defined before it`));
    expect(() => compileCpuPlan(bad({ forward: { ...forward, instructions: [...forward.instructions, { op: 'gradState', index: 0 }] } }))).toThrow(new RegExp(`forward instruction ${next} \\('gradState'\\) reads an adjoint`));
    expect(() => compileCpuPlan(bad({ forward: { ...forward, instructions: [...forward.instructions, { op: 'pow', a: 1 } as never] } }))).toThrow(new RegExp(`forward instruction ${next} \\('pow'\\) is not a plan operation`));
    expect(() => compileCpuPlan(bad({ forward: { ...forward, instructions: [{ op: 'const', value: '1); evil(' as never }] } }))).toThrow(/forward instruction 0 \('const'\) expected a numeric value/);
    expect(() => compileCpuPlan(bad({ forward: { ...forward, instructions: [...forward.instructions, { op: 'param', index: 99 }] } }))).toThrow(new RegExp(`forward instruction ${next} \\('param'\\) expected an index below ${params}; received 99`));
    expect(() => compileCpuPlan(bad({ forward: { ...forward, nextStates: [3] } }))).toThrow(/expected forward.nextStates to list 2 registers/);
    expect(() => compileCpuPlan(bad({ backward: { ...LIF_PLAN.backward, gradInputs: [999] } }))).toThrow(/backward.gradInputs names register 999/);
    expect(() => compileCpuPlan(bad({ inputs: [] }))).toThrow(/has no sequence input/);
    expect(() => compileCpuPlan(bad({ inputs: ['x', 'v0'], backward: { ...LIF_PLAN.backward, gradInputs: [4, 4] } }))).toThrow(/names the kernel input 'v0' twice/);
  });

  it('a plan without states: outputs only, the neuron shape taken from the sequence', () => {
    const plan: NeuronPlan = {
      kernelName: 'SnnTestPlanStateless', key: 'test-plan-stateless', params: ['k'], states: [], inputs: ['x'], outputs: ['y'],
      forward: { instructions: [{ op: 'param', index: 0 }, { op: 'input', index: 0 }, { op: 'mul', a: 0, b: 1 }], nextStates: [], outputs: [2] },
      backward: { instructions: [{ op: 'param', index: 0 }, { op: 'gradOutput', index: 0 }, { op: 'mul', a: 0, b: 1 }], gradStates: [], gradInputs: [2] },
    };
    const undo = register(plan, compileCpuPlan(plan));
    try {
      const x = tf.tensor([[1, 2], [3, 4], [5, 6]]);
      const dy = tf.tensor([[1, 1], [0, 2], [1, 0]]);
      const [y] = run(plan.kernelName, { x }, { k: 3 });
      const [dx] = run(`${plan.kernelName}Grad`, { x, dy }, { k: 3 });
      expect(y!.shape).toEqual([3, 2]);
      expect(list(y!.dataSync() as Float32Array)).toEqual([3, 6, 9, 12, 15, 18]);
      expect(list(dx!.dataSync() as Float32Array)).toEqual([3, 3, 0, 6, 3, 0]);
      tf.dispose([x, dy, y!, dx!]);
    } finally {
      undo();
    }
  });

  it('leaks no tensors, forward or backward', async () => {
    const plan = LIF_PLAN;
    const attrs = LIF_ATTRS;
    const x = tf.tensor(randomValues(5 * 6, -1, 40, 1), [5, 2, 3]);
    const v0 = tf.zeros([2, 3]);
    const i0 = tf.zeros([2, 3]);
    await expectNoLeak(() => {
      const outs = run(plan.kernelName, { x, v0, i0 }, attrs);
      const seeds = { dz: tf.onesLike(x), dv: tf.onesLike(v0), di: tf.onesLike(i0) };
      const grads = run(`${plan.kernelName}Grad`, { x, v0, i0, ...seeds }, attrs);
      tf.dispose([...outs, ...grads, ...Object.values(seeds)]);
    }, 'the generated kernels');
    tf.dispose([x, v0, i0]);
  });

  it('registerCpuKernels registers the plan compiler for cpu', () => {
    expect(planCompiler('cpu')).toBe(compileCpuPlan);
  });

  it('without new Function (a strict Content-Security-Policy) the kernels run the interpreter, same values, and say so once', () => {
    const options: CpuPlanOptions = { makeFunction: () => { throw new EvalError('Refused to evaluate a string as JavaScript because unsafe-eval is not allowed'); } };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const plans = PLANS.map(([plan, attrs]) => [{ ...plan, kernelName: `${plan.kernelName}Csp` }, attrs] as const);
      const undo = plans.map(([plan]) => register(plan, compileCpuPlan(plan, options)));
      try {
        for (const [plan, attrs] of plans) compareWithInterpreter(plan, attrs, 9, [2, 5], 7);
      } finally {
        for (const u of undo) u();
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/reference interpreter/);
    } finally {
      warn.mockRestore();
    }
    // Other errors from compiling are bugs, not a policy: they surface.
    expect(() => compileCpuPlan(LIF_PLAN, { makeFunction: () => { throw new SyntaxError('broken'); } })).toThrow(/broken/);
  });
});

describe('generated plan kernels need the cpu backend', () => {
  it('this suite ran on cpu', () => {
    expect(backends).toEqual(['cpu']);
  });
});
