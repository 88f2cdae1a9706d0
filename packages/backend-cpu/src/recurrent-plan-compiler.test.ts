/**
 * The generated cpu recurrent sequence kernels (compileCpuRecurrentPlan): LIF_RECURRENT_SPEC for
 * every deterministic surrogate, and an adaptive-threshold spec of this file's own (three states, two
 * outputs, r its first input entering after the decay) and a gated one whose adjoint reads r (taped),
 * equal the reference interpreter bit for bit, forward and backward (NaN inputs, T = 0, B = 1, H = 1); LIF's equals its composite path bit for bit
 * forward and tf.grad within 1e-4 with H = 60 (two of tfjs-cpu's matMul blocks, which the interpreter's
 * one rounding does not follow); bad inputs name the kernel and the input; nothing leaks; without
 * `new Function` the kernels run the interpreter.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  defineNeuron, expr, LIF_RECURRENT_SPEC, lifParameters, lifRecurrentIntegral, lowerSpec, recurrentKernelInputs, recurrentPlanCompiler,
  runRecurrentPlanBackward, runRecurrentPlanForward, specKernelAttrs, SURROGATE_DERIVATIVES, type NeuronPlan,
} from '@snn/functional';
import { setFusedKernelsEnabled } from '@snn/tensor';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { registerCpuKernels } from './index.js';
import { compileCpuRecurrentPlan } from './recurrent-plan-compiler.js';
import { recurrentTapedRegisters } from './plan-recurrent-source.js';
import type { CpuPlanOptions } from './plan-compiler.js';
import { expectExact, expectGradient, randomValues } from './test-support.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu');
const { add, mul, neg, spike, sub } = expr;

/**
 * An LSNN-like recurrent neuron: a threshold b that adapts (rises by β at a spike, relaxes to v_th),
 * the input and the recurrent current entering after the synaptic decay, and the decayed voltage as
 * a second output. Its first input is r and its fed-back output the second, so the kernel's index
 * mapping is exercised.
 *
 *     v' = v + k_mem·((v_leak − v) + i);   i' = (i + k_syn·i) + x + r
 *     z = Θ(v' − b);   v'' = (1 − z)·v' + z·v_reset;   b' = b + k_adapt·(v_th − b) + β·z
 */
const ADAPTIVE_RECURRENT = defineNeuron({
  name: 'CpuTestAdaptiveRecurrent',
  parameters: { tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 40, vLeak: 0, vTh: 1, vReset: 0, beta: 0.3 },
  states: { v: 'vLeak', i: 0, b: 'vTh' },
  inputs: ['r', 'x'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => ({ kMem: mul(dt, p.tauMemInv), kSyn: mul(neg(dt), p.tauSynInv), kAdapt: mul(dt, p.tauAdaptInv) }),
  step: ({ state: { v, i, b }, input: { x, r }, p, c }) => {
    const vDecayed = add(v, mul(c.kMem, add(sub(p.vLeak, v), i)));
    const z = spike(sub(vDecayed, b));
    return {
      outputs: { u: vDecayed, z },
      next: {
        v: add(mul(sub(1, z), vDecayed), mul(z, p.vReset)),
        i: add(add(add(i, mul(c.kSyn, i)), x), r),
        b: add(add(b, mul(c.kAdapt, sub(p.vTh, b))), mul(p.beta, z)),
      },
    };
  },
});

/**
 * A neuron whose recurrent current gates the leak (v' = v + k·(x + r·v)): its adjoint reads r itself,
 * which the walk back cannot read from a sequence, so the backward must tape what it needs of r.
 */
const GATED_RECURRENT = defineNeuron({
  name: 'CpuTestGatedRecurrent',
  parameters: { tauMemInv: 100, vTh: 1 },
  states: { v: 0 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) }),
  step: ({ state: { v }, input: { x, r }, p, c }) => {
    const vNext = add(v, mul(c.k, add(x, mul(r, v))));
    const z = spike(sub(vNext, p.vTh));
    return { outputs: { z }, next: { v: mul(sub(1, z), vNext) } };
  },
});

const METHODS = Object.keys(SURROGATE_DERIVATIVES) as Array<keyof typeof SURROGATE_DERIVATIVES>;
const ALPHA: Readonly<Record<string, number>> = { super: 20, triangle: 0.3, tanh: 2, circ: 1, heaviErfc: 1, heaviside: 1 };
const LIF_RAW = { tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1 };

const lifAttrs = (method: string): NamedAttrMap => specKernelAttrs(LIF_RECURRENT_SPEC, lifParameters({ ...LIF_RAW, method: method as 'super', alpha: ALPHA[method]! }), 1e-3) as NamedAttrMap;
const adaptiveAttrs = (method: string): NamedAttrMap => specKernelAttrs(
  ADAPTIVE_RECURRENT, { ...ADAPTIVE_RECURRENT.defaults, vReset: -0.2, method, alpha: ALPHA[method]! }, 1e-3,
) as NamedAttrMap;

const run = (name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap): Tensor[] => tf.engine().runKernel(name, inputs, attrs) as unknown as Tensor[];
const data = (ts: readonly Tensor[]): Float32Array[] => ts.map((t) => t.dataSync() as Float32Array);
const list = (a: Float32Array): number[] => Array.from(a);

/** Registers a compiled plan's kernels on 'cpu'; returns the undo. */
function register(plan: NeuronPlan, options?: CpuPlanOptions): () => void {
  const compiled = compileCpuRecurrentPlan(plan, options);
  tf.registerKernel({ kernelName: plan.kernelName, backendName: 'cpu', kernelFunc: compiled.forward });
  tf.registerKernel({ kernelName: `${plan.kernelName}Grad`, backendName: 'cpu', kernelFunc: compiled.backward });
  return () => {
    tf.unregisterKernel(plan.kernelName, 'cpu');
    tf.unregisterKernel(`${plan.kernelName}Grad`, 'cpu');
  };
}

/** One call's random values: sequences (T·B·H) with NaN and ±∞ in them, spikes and one 0.5 in z0, states, weights. */
interface Values {
  readonly x: Float32Array[];
  readonly z0: Float32Array;
  readonly s0: Float32Array[];
  readonly w: Float32Array;
  readonly dOut: Float32Array[];
  readonly dState: Float32Array[];
}

function values(plan: NeuronPlan, T: number, B: number, H: number, seed: number, poison: boolean): Values {
  const n = B * H;
  const sequence = (k: number): Float32Array => {
    const a = randomValues(T * n, -1, 6, seed + k);
    if (poison) for (let j = 7; j < a.length; j += 23) a[j] = j % 2 ? NaN : Infinity;
    return a;
  };
  const z0 = Float32Array.from(randomValues(n, 0, 1, seed + 5), (u) => (u < 0.4 ? 1 : 0));
  if (n > 2) z0[2] = 0.5;
  return {
    x: plan.inputs.slice(1).map((_, k) => sequence(k)),
    z0,
    s0: plan.states.map((_, s) => randomValues(n, -0.5, 1, seed + 10 + s)),
    w: randomValues(H * H, -1, 1.5, seed + 20),
    dOut: plan.outputs.map((_, j) => randomValues(T * n, -1, 1, seed + 30 + j)),
    dState: plan.states.map((_, s) => randomValues(n, -1, 1, seed + 40 + s)),
  };
}

/** The kernels' tensor inputs for `values`, by name (recurrentKernelInputs, then d<output>, d<state>). */
function inputs(plan: NeuronPlan, a: Values, T: number, B: number, H: number): { forward: Record<string, Tensor>; backward: Record<string, Tensor> } {
  const names = recurrentKernelInputs(plan);
  const own = a.x.length;
  const forward: Record<string, Tensor> = {};
  names.forEach((name, k) => {
    if (k < own) forward[name] = tf.tensor(a.x[k]!, [T, B, H]);
    else if (k === own) forward[name] = tf.tensor(a.z0, [B, H]);
    else if (name === 'w') forward[name] = tf.tensor(a.w, [H, H]);
    else forward[name] = tf.tensor(a.s0[k - own - 1]!, [B, H]);
  });
  const backward = { ...forward };
  plan.outputs.forEach((o, j) => { backward[`d${o}`] = tf.tensor(a.dOut[j]!, [T, B, H]); });
  plan.states.forEach((s, k) => { backward[`d${s}`] = tf.tensor(a.dState[k]!, [B, H]); });
  return { forward, backward };
}

/** The compiled kernels against the reference interpreter, bit for bit, forward and backward. */
function compareWithInterpreter(plan: NeuronPlan, attrs: NamedAttrMap, T: number, B: number, H: number, seed: number, poison = true): void {
  const a = values(plan, T, B, H, seed, poison);
  const { forward, backward } = inputs(plan, a, T, B, H);
  const arrays = { inputs: a.x, fedBack0: a.z0, states: a.s0, w: a.w };
  const size = { T, B, H };
  try {
    const outs = run(plan.kernelName, forward, attrs);
    expect(outs.map((t) => t.shape)).toEqual([...plan.outputs.map(() => [T, B, H]), ...plan.states.map(() => [B, H])]);
    const want = runRecurrentPlanForward(plan, attrs, arrays, size);
    expect(data(outs).map(list)).toEqual([...want.outputs, ...want.states].map(list));
    const grads = run(`${plan.kernelName}Grad`, backward, attrs);
    expect(grads.map((t) => t.shape)).toEqual([...a.x.map(() => [T, B, H]), [B, H], ...plan.states.map(() => [B, H]), [H, H]]);
    const back = runRecurrentPlanBackward(plan, attrs, arrays, a.dOut, a.dState, size);
    expect(data(grads).map(list)).toEqual([...back.inputs, back.fedBack0, ...back.states, back.w].map(list));
    tf.dispose([...outs, ...grads]);
  } finally {
    tf.dispose(Object.values(backward));
  }
}

/** [T, B, H]: empty, one step, one neuron, one row, and enough steps for spikes to feed back. */
const SIZES: ReadonlyArray<readonly [number, number, number]> = [[0, 2, 3], [1, 1, 1], [6, 1, 1], [1, 3, 4], [9, 1, 5], [25, 3, 7], [12, 2, 48]];

describeEachBackend('generated recurrent sequence kernels', backends, () => {
  const plans = [...METHODS.map((m) => [lowerSpec(LIF_RECURRENT_SPEC, m), lifAttrs(m)] as const), ...METHODS.map((m) => [lowerSpec(ADAPTIVE_RECURRENT, m), adaptiveAttrs(m)] as const)];
  const undo: Array<() => void> = [];
  beforeAll(() => {
    registerCpuKernels();
    for (const [plan] of plans) undo.push(register(plan));
  });
  afterAll(() => { for (const u of undo) u(); });

  for (const [plan, attrs] of plans) {
    it(`${plan.kernelName}: forward and backward equal the reference interpreter bit for bit (NaN, T = 0, B = 1, H = 1)`, () => {
      SIZES.forEach(([T, B, H], k) => compareWithInterpreter(plan, attrs, T, B, H, 100 + 7 * k));
      // Without poison, spikes feed back: the comparison means something.
      compareWithInterpreter(plan, attrs, 30, 3, 9, 3, false);
    });
  }

  it('a spec whose adjoint reads r: r is taped, and the kernels equal the interpreter bit for bit', () => {
    for (const method of ['super', 'tanh'] as const) {
      const plan = lowerSpec(GATED_RECURRENT, method);
      const taped = recurrentTapedRegisters(plan);
      expect(taped.some((reg) => { const s = plan.backward.instructions[reg]!; return s.op === 'input' && s.index === 1; }), 'r is taped').toBe(true);
      const attrs = specKernelAttrs(GATED_RECURRENT, { ...GATED_RECURRENT.defaults, method, alpha: ALPHA[method]! }, 1e-3) as NamedAttrMap;
      const undoGated = register(plan);
      try {
        for (const [T, B, H, seed] of [[0, 1, 2, 1], [1, 1, 1, 2], [20, 3, 5, 3]] as const) compareWithInterpreter(plan, attrs, T, B, H, seed, false);
      } finally {
        undoGated();
      }
    }
  });

  it('the adaptive spec: r is its first input, the fed-back output its second; every output and state is exercised', () => {
    const plan = lowerSpec(ADAPTIVE_RECURRENT, 'super');
    expect(plan.recurrent).toEqual({ input: 0, output: 1 });
    expect(recurrentKernelInputs(plan)).toEqual(['x', 'z0', 'v0', 'i0', 'b0', 'w']);
    const [T, B, H] = [40, 2, 6];
    const a = values(plan, T, B, H, 9, false);
    const { forward } = inputs(plan, a, T, B, H);
    const outs = run(plan.kernelName, forward, adaptiveAttrs('super'));
    const [, z, , , b] = data(outs);
    const rate = z!.reduce((s, q) => s + q, 0) / z!.length;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.9);
    expect(list(b!).some((q, k) => q !== a.s0[2]![k])).toBe(true);
    tf.dispose([...outs, ...Object.values(forward)]);
  });

  it('LIF equals its composite path: forward bit for bit, BPTT within 1e-4 (H = 60: two matMul blocks)', async () => {
    const [T, B, H] = [30, 3, 60];
    const n = B * H;
    const previous = setFusedKernelsEnabled(false);
    try {
      for (const method of ['super', 'tanh'] as const) {
        const plan = lowerSpec(LIF_RECURRENT_SPEC, method);
        const raw = { ...LIF_RAW, method, alpha: ALPHA[method]! };
        const x = tf.tensor(randomValues(T * n, -1, 3, 1), [T, B, H]);
        const z0 = tf.tensor(Float32Array.from(randomValues(n, 0, 1, 2), (u) => (u < 0.3 ? 1 : 0)), [B, H]);
        const v0 = tf.tensor(randomValues(n, -0.5, 0.9, 3), [B, H]);
        const i0 = tf.tensor(randomValues(n, -1, 2, 4), [B, H]);
        const w = tf.tensor(randomValues(H * H, -0.4, 0.5, 5), [H, H]);
        const dz = tf.tensor(randomValues(T * n, -1, 1, 6), [T, B, H]);
        const dv = tf.tensor(randomValues(n, -1, 1, 7), [B, H]);
        const di = tf.tensor(randomValues(n, -1, 1, 8), [B, H]);
        const eye = tf.eye(H);
        const outs = run(plan.kernelName, { x, z0, v0, i0, w }, lifAttrs(method));
        const [zc, sc] = lifRecurrentIntegral(x, { z: z0, v: v0, i: i0 }, eye, w, raw);
        const [z, v, i] = data(outs);
        const rate = z!.reduce((s, q) => s + q, 0) / z!.length;
        expect(rate).toBeGreaterThan(0.02);
        expect(rate).toBeLessThan(0.9);
        const loss = (xs: Tensor, zs: Tensor, vs: Tensor, is: Tensor, ws: Tensor): tf.Scalar => {
          const [zz, st] = lifRecurrentIntegral(xs, { z: zs, v: vs, i: is }, eye, ws, raw);
          return tf.addN([tf.sum(tf.mul(zz, dz)), tf.sum(tf.mul(st.v, dv)), tf.sum(tf.mul(st.i, di))]) as tf.Scalar;
        };
        const want = tf.grads(loss)([x, z0, v0, i0, w]);
        const grads = run(`${plan.kernelName}Grad`, { x, z0, v0, i0, w, dz, dv, di }, lifAttrs(method));
        const got = data(grads);
        const problems = [
          ...expectExact('spikes', z!, await zc.data()), ...expectExact('final v', v!, await sc.v.data()), ...expectExact('final i', i!, await sc.i.data()),
          ...['dx', 'dz0', 'dv0', 'di0', 'dw'].flatMap((what, k) => expectGradient(`${method} ${what}`, got[k]!, want[k]!.dataSync())),
        ];
        expect(problems).toEqual([]);
        tf.dispose([x, z0, v0, i0, w, dz, dv, di, eye, ...outs, zc, sc.z, sc.v, sc.i, ...want, ...grads]);
      }
    } finally {
      setFusedKernelsEnabled(previous);
    }
  });

  it('the backward tapes what depends on r (recurrent LIF: v − v_th alone, its reset detached)', () => {
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
    // The spike, the surrogate's derivative and (1 − z) all follow from the threshold's operand.
    const threshold = plan.backward.instructions.find((s) => s.op === 'spike') as { a: number };
    expect(plan.backward.instructions[threshold.a]!.op).toBe('sub');
    expect(recurrentTapedRegisters(plan)).toEqual([threshold.a]);
  });

  it('bad inputs and attributes give Errors that name the kernel and the input', () => {
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
    const name = plan.kernelName;
    const attrs = lifAttrs('super');
    const t = (shape: number[], dtype: 'float32' | 'int32' = 'float32'): Tensor => tf.zeros(shape, dtype);
    const ok = (): Record<string, Tensor> => ({ x: t([4, 2, 3]), z0: t([2, 3]), v0: t([2, 3]), i0: t([2, 3]), w: t([3, 3]) });
    const grads = (): Record<string, Tensor> => ({ ...ok(), dz: t([4, 2, 3]), dv: t([2, 3]), di: t([2, 3]) });
    const cases: ReadonlyArray<readonly [string, () => Tensor[], RegExp]> = [
      ['missing input', () => { const i = ok(); delete i['w']; return run(name, i, attrs); }, new RegExp(`${name}: input 'w' is missing`)],
      ['missing fed-back output', () => { const i = ok(); delete i['z0']; return run(name, i, attrs); }, new RegExp(`${name}: input 'z0' is missing`)],
      ['int32 input', () => run(name, { ...ok(), v0: t([2, 3], 'int32') }, attrs), new RegExp(`${name}: input 'v0' expected dtype float32; received int32`)],
      ['rank of z0', () => run(name, { ...ok(), z0: t([6]) }, attrs), new RegExp(`${name}: input 'z0' expected shape \\[B, H\\].*received \\[6\\]`)],
      ['state shape', () => run(name, { ...ok(), i0: t([3, 2]) }, attrs), new RegExp(`${name}: input 'i0' expected shape \\[2, 3\\].*received \\[3, 2\\]`)],
      ['weights shape', () => run(name, { ...ok(), w: t([3, 2]) }, attrs), new RegExp(`${name}: input 'w' expected shape \\[3, 3\\].*received \\[3, 2\\]`)],
      ['sequence shape', () => run(name, { ...ok(), x: t([4, 6]) }, attrs), new RegExp(`${name}: input 'x' expected shape \\[T, 2, 3\\].*received \\[4, 6\\]`)],
      ['missing attribute', () => run(name, ok(), { ...attrs, vTh: undefined } as unknown as NamedAttrMap), new RegExp(`${name}: attribute 'vTh' expected a number; received nothing`)],
      ['missing gradient', () => { const i = grads(); delete i['di']; return run(`${name}Grad`, i, attrs); }, new RegExp(`${name}Grad: input 'di' is missing`)],
      ['gradient steps', () => run(`${name}Grad`, { ...grads(), dz: t([3, 2, 3]) }, attrs), new RegExp(`${name}Grad: input 'dz' expected shape \\[T, 2, 3\\].*T = 4 as 'x'.*received \\[3, 2, 3\\]`)],
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

  it('a plan it cannot serve is refused with an Error naming the plan', () => {
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
    const { recurrent: _, ...feedForward } = plan;
    expect(() => compileCpuRecurrentPlan(feedForward)).toThrow(/compileCpuRecurrentPlan: plan 'SnnSpecLIFRecurrentSuperIntegral' has no recurrent wiring/);
    expect(() => compileCpuRecurrentPlan({ ...plan, recurrent: { input: 2, output: 0 } })).toThrow(/expected recurrent.input to index plan.inputs \(2\); received 2/);
    expect(() => compileCpuRecurrentPlan({ ...plan, recurrent: { input: 1, output: 1 } })).toThrow(/expected recurrent.output to index plan.outputs \(1\); received 1/);
    expect(() => compileCpuRecurrentPlan({ ...plan, inputs: ['w', 'r'] })).toThrow(/names the kernel input 'w' twice/);
  });

  it('leaks no tensors, forward or backward', async () => {
    const plan = lowerSpec(ADAPTIVE_RECURRENT, 'tanh');
    const a = values(plan, 5, 2, 3, 1, false);
    const { backward } = inputs(plan, a, 5, 2, 3);
    await expectNoLeak(() => {
      const outs = run(plan.kernelName, backward, adaptiveAttrs('tanh'));
      const grads = run(`${plan.kernelName}Grad`, backward, adaptiveAttrs('tanh'));
      tf.dispose([...outs, ...grads]);
    }, 'the generated recurrent kernels');
    tf.dispose(Object.values(backward));
  });

  it('registerCpuKernels registers the recurrent plan compiler for cpu', () => {
    expect(recurrentPlanCompiler('cpu')).toBe(compileCpuRecurrentPlan);
  });

  it('without new Function (a strict Content-Security-Policy) the kernels run the interpreter, with the same values', () => {
    const options: CpuPlanOptions = { makeFunction: () => { throw new EvalError('Refused to evaluate a string as JavaScript because unsafe-eval is not allowed'); } };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (const [lowered, attrs] of [[lowerSpec(LIF_RECURRENT_SPEC, 'triangle'), lifAttrs('triangle')], [lowerSpec(ADAPTIVE_RECURRENT, 'triangle'), adaptiveAttrs('triangle')]] as const) {
        const plan = { ...lowered, kernelName: `${lowered.kernelName}Csp` };
        const undoCsp = register(plan, options);
        try {
          compareWithInterpreter(plan, attrs, 11, 2, 5, 4);
        } finally {
          undoCsp();
        }
      }
    } finally {
      warn.mockRestore();
    }
    expect(() => compileCpuRecurrentPlan(lowerSpec(LIF_RECURRENT_SPEC, 'circ'), { makeFunction: () => { throw new SyntaxError('broken'); } })).toThrow(/broken/);
  });
});

describe('generated recurrent kernels need the cpu backend', () => {
  it('this suite ran on cpu', () => {
    expect(backends).toEqual(['cpu']);
  });
});
