/**
 * The fused recurrent sequences (`lifRecurrentIntegral` & co.) against their composite (`lifStep` & co.
 * stepped over time, every fused kernel off) on one backend: spikes exact, states within 1e-5, the
 * gradients of a loss over every output — w.r.t. the input sequence, both weight matrices and every
 * initial state — within 1e-4; the kernels (forward and backward) actually ran; no tensor leaks.
 * Every backend package runs this one suite: `fusedRecurrentSuite('wasm', setUp)`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { hasKernel, markSpikes, setSpikeSparsity, SPIKE_MATMUL, type SpikeSparsityMode } from '@snn/tensor';
import { isFusableSurrogate } from '../fused/surrogate-codes.js';
import { lifRecurrentIntegral } from '../lif-recurrent.js';
import { lifBoxRecurrentIntegral } from '../lif-box-recurrent.js';
import type { NeuronSpec } from '../spec/define.js';
import { lowerSpec } from '../spec/lower.js';
import { recurrentPlanCompiler } from '../spec/plan-recurrent.js';
import { LIF_RECURRENT_SPEC } from '../spec/models/lif.js';
import { LIF_BOX_RECURRENT_SPEC } from '../spec/models/lif-box.js';
import { adaLIFRecurrentIntegral, lsnnRecurrentIntegral } from '../lsnn-recurrent.js';
import { ADA_LIF_RECURRENT_SPEC, LSNN_RECURRENT_SPEC } from '../spec/models/lsnn.js';
import { closeGradient, closeState, exact, kernelsRun, onPath, values } from './fused-support.js';

type State = Record<string, Tensor>;
type Integral = (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object, dt: number) => [Tensor, State];

/** One fused recurrent model under test. */
interface RecurrentCase {
  readonly name: string;
  /** The kernel: a recurrent spec's (its name depends on the surrogate), or a hand-written kernel's name. */
  readonly kernel: NeuronSpec | string;
  readonly run: Integral;
  readonly fields: readonly string[];
  readonly params: Record<string, unknown>;
  /** The range of each initial state field besides z (z0 is random spikes). */
  readonly initial: Readonly<Record<string, readonly [number, number]>>;
}

const CASES: readonly RecurrentCase[] = [
  {
    name: 'LIF', kernel: LIF_RECURRENT_SPEC as unknown as NeuronSpec, run: lifRecurrentIntegral as unknown as Integral,
    fields: ['z', 'v', 'i'], params: { vReset: -0.1, tauMemInv: 150 }, initial: { v: [-0.3, 0.95], i: [-0.5, 1] },
  },
  {
    name: 'LIFBox (reset to value)', kernel: LIF_BOX_RECURRENT_SPEC as unknown as NeuronSpec, run: lifBoxRecurrentIntegral as unknown as Integral,
    fields: ['z', 'v'], params: { vReset: -0.1, vLeak: 0.4, tauMemInv: 150 }, initial: { v: [-0.3, 0.95] },
  },
  {
    name: 'LIFBox (reset by subtraction)', kernel: LIF_BOX_RECURRENT_SPEC as unknown as NeuronSpec, run: lifBoxRecurrentIntegral as unknown as Integral,
    fields: ['z', 'v'], params: { resetMethod: 'subtract', vTh: 0.8, tauMemInv: 150 }, initial: { v: [-0.3, 0.75] },
  },
  {
    name: 'LSNN', kernel: LSNN_RECURRENT_SPEC as unknown as NeuronSpec, run: lsnnRecurrentIntegral as unknown as Integral,
    fields: ['z', 'v', 'i', 'b'], params: { tauAdaptInv: 20, beta: 0.3, vReset: -0.1, tauMemInv: 150 },
    initial: { v: [-0.3, 0.95], i: [-0.5, 1], b: [0.8, 1.2] },
  },
  {
    name: 'adaptive LIF', kernel: ADA_LIF_RECURRENT_SPEC as unknown as NeuronSpec, run: adaLIFRecurrentIntegral as unknown as Integral,
    fields: ['z', 'v', 'i', 'b'], params: { tauAdaptInv: 20, beta: 0.3, tauMemInv: 150 },
    initial: { v: [-0.3, 0.95], i: [-0.5, 1], b: [0, 0.3] },
  },
];

/** The name of the kernel case `c` runs with parameters `p`. */
function kernelOf(c: RecurrentCase, p: Record<string, unknown>): string {
  if (typeof c.kernel === 'string') return c.kernel;
  const method = (p['method'] as string | undefined) ?? c.kernel.defaults.method;
  return lowerSpec(c.kernel, isFusableSurrogate(method) ? method : 'super').kernelName;
}

/**
 * Why case `c` cannot run its fused kernel on the active backend, or undefined when it can: a spec's
 * kernel needs the backend's recurrent plan compiler, a hand-written one its registration.
 */
function unavailable(c: RecurrentCase): string | undefined {
  const backend = tf.getBackend();
  if (typeof c.kernel !== 'string') {
    return recurrentPlanCompiler(backend) ? undefined : `the backend '${backend}' has no recurrent plan compiler: '${c.kernel.name}' runs its composite path there`;
  }
  return hasKernel(c.kernel) ? undefined : `the backend '${backend}' has no kernel '${c.kernel}'`;
}

/** Skips the running test when case `c`'s kernel is unavailable (see `unavailable`), saying why. */
function skipUnavailable(ctx: TestContext, c: RecurrentCase): void {
  const why = unavailable(c);
  if (!why) return;
  console.info(`fusedRecurrentSuite: ${c.name} skipped — ${why}`);
  ctx.skip(why);
}

/** Deterministic values in [lo, hi) (a small LCG): reproducible on every backend. */
function uniform(shape: number[], lo: number, hi: number, seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let k = 0; k < n; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[k] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return tf.tensor(out, shape);
}

/** Spikes (0/1) with probability `rate`. */
function spikes(shape: number[], rate: number, seed: number): Tensor {
  return tf.tidy(() => tf.cast(tf.less(uniform(shape, 0, 1, seed), rate), 'float32'));
}

interface Inputs {
  readonly x: Tensor;
  readonly wIn: Tensor;
  readonly wRec: Tensor;
  readonly state: Tensor[];
  /** Weights of the loss: one per output, one per final state field. */
  readonly gOut: Tensor;
  readonly gState: Tensor[];
}

/** Inputs for T steps of B rows, nIn inputs, H neurons; `inputRate` of the inputs are spikes when given, else currents. */
function makeInputs(c: RecurrentCase, [T, B, nIn, H]: readonly number[], seed: number, inputRate?: number): Inputs {
  const x = inputRate === undefined ? uniform([T!, B!, nIn!], -0.2, 1, seed) : spikes([T!, B!, nIn!], inputRate, seed);
  const wIn = uniform([H!, nIn!], -0.5, inputRate === undefined ? 1.2 : 6, seed + 1);
  // Without autapses, as the layers use it: the diagonal is zero.
  const wRec = tf.tidy(() => tf.mul(uniform([H!, H!], -0.9, 0.9, seed + 2), tf.sub(1, tf.eye(H!))));
  const state = c.fields.map((f, k) => (f === 'z' ? spikes([B!, H!], 0.3, seed + 10 + k) : uniform([B!, H!], c.initial[f]![0], c.initial[f]![1], seed + 10 + k)));
  const gOut = uniform([T!, B!, H!], -1, 1, seed + 20);
  const gState = c.fields.map((_, k) => uniform([B!, H!], -1, 1, seed + 30 + k));
  return { x, wIn, wRec, state, gOut, gState };
}

interface Run {
  readonly out: number[];
  readonly state: number[][];
  readonly loss: number;
  readonly grads: number[][];
  readonly kernels: string[];
}

async function runCase(c: RecurrentCase, p: Record<string, unknown>, inp: Inputs, fused: boolean): Promise<Run> {
  const stateOf = (ts: Tensor[]): State => Object.fromEntries(c.fields.map((f, k) => [f, ts[k]!]));
  const forward = onPath(fused, () => c.run(inp.x, stateOf(inp.state), inp.wIn, inp.wRec, p, 1e-3));
  const out = await values(forward[0]);
  const finals = await Promise.all(c.fields.map((f) => values(forward[1][f]!)));
  tf.dispose([forward[0], ...Object.values(forward[1])]);
  const loss = (...args: Tensor[]): Tensor => {
    const [o, s] = c.run(args[0]!, stateOf(args.slice(3)), args[1]!, args[2]!, p, 1e-3);
    return tf.addN([tf.sum(tf.mul(o, inp.gOut)), ...c.fields.map((f, k) => tf.sum(tf.mul(s[f]!, inp.gState[k]!)))]);
  };
  const { names, result } = await kernelsRun(() => onPath(fused, () => tf.valueAndGrads(loss)([inp.x, inp.wIn, inp.wRec, ...inp.state])));
  const run: Run = { out, state: finals, loss: (await values(result.value))[0]!, grads: await Promise.all(result.grads.map(values)), kernels: names };
  tf.dispose([result.value, ...result.grads]);
  return run;
}

function disposeInputs(inp: Inputs): void {
  tf.dispose([inp.x, inp.wIn, inp.wRec, ...inp.state, inp.gOut, ...inp.gState]);
}

/** Every difference between two runs beyond the tolerances (spikes exact, states 1e-5, gradients 1e-4). */
function problemsBetween(c: RecurrentCase, a: Run, b: Run): string[] {
  const what = ['input', 'inputWeights', 'recurrentWeights', ...c.fields.map((f) => `initial ${f}`)];
  return [
    ...exact('spikes', a.out, b.out),
    ...c.fields.flatMap((f, k) => (f === 'z' ? exact('final z', a.state[k]!, b.state[k]!) : closeState(`final ${f}`, a.state[k]!, b.state[k]!))),
    ...closeGradient('loss', [a.loss], [b.loss]),
    ...what.flatMap((w, k) => closeGradient(`dLoss/d${w}`, a.grads[k]!, b.grads[k]!)),
  ];
}

/** Compares both paths; returns the fused run's spike rate. */
async function compare(c: RecurrentCase, p: Record<string, unknown>, inp: Inputs): Promise<number> {
  const fused = await runCase(c, p, inp, true);
  const composite = await runCase(c, p, inp, false);
  const kernel = kernelOf(c, p);
  expect(fused.kernels, 'the fused path runs the forward and the backward kernel').toEqual(expect.arrayContaining([kernel, `${kernel}Grad`]));
  expect(composite.kernels, 'the composite path runs no fused kernel').not.toContain(kernel);
  expect(problemsBetween(c, fused, composite)).toEqual([]);
  return fused.out.reduce((a, b) => a + b, 0) / fused.out.length;
}

/** The fused path with the spike products forced into `mode`. */
async function withSparsity(mode: SpikeSparsityMode, c: RecurrentCase, inp: Inputs): Promise<Run> {
  const previous = setSpikeSparsity({ mode });
  try {
    return await runCase(c, c.params, inp, true);
  } finally {
    setSpikeSparsity(previous);
  }
}

/**
 * Declares the suite for one backend: `setUp` starts that backend and registers its kernels (it runs
 * in a `beforeAll`). A case whose kernel the backend cannot have (a spec's, without a recurrent plan
 * compiler; a hand-written one not registered) skips, and says why.
 */
export function fusedRecurrentSuite(backend: string, setUp: () => unknown): void {
  describe(`fused recurrent sequences equal the composite [${backend}]`, () => {
    beforeAll(async () => {
      await setUp();
    });

    for (const c of CASES) {
      for (const [method, alpha] of [['super', 100], ['tanh', 2], ['triangle', 0.3]] as const) {
        it(`${c.name}, surrogate ${method}: outputs, final state and every gradient`, async (ctx) => {
          skipUnavailable(ctx, c);
          const inp = makeInputs(c, [12, 3, 6, 9], 7);
          try {
            const rate = await compare(c, { ...c.params, method, alpha }, inp);
            // The comparison means something only if neurons spike, and not all of them every step.
            expect(rate).toBeGreaterThan(0.05);
            expect(rate).toBeLessThan(0.9);
          } finally {
            disposeInputs(inp);
          }
        });
      }

      it(`${c.name}: spike inputs, widths and batches that are no multiple of 4 or 8, and two steps`, async (ctx) => {
        skipUnavailable(ctx, c);
        for (const [dims, seed] of [[[30, 2, 13, 21], 3], [[8, 5, 7, 19], 6], [[2, 1, 5, 6], 4]] as const) {
          const inp = makeInputs(c, dims, seed, 0.2);
          try {
            await compare(c, c.params, inp);
          } finally {
            disposeInputs(inp);
          }
        }
      });

      it(`${c.name}: silent and saturated recurrence (no spikes at all, every neuron every step)`, async (ctx) => {
        skipUnavailable(ctx, c);
        for (const [lo, hi] of [[-60, -50], [50, 60]] as const) {
          const inp = makeInputs(c, [5, 2, 4, 7], 9);
          const loud = { ...inp, x: uniform([5, 2, 4], lo, hi, 1), wIn: uniform([7, 4], 0.5, 1, 2) };
          try {
            const rate = await compare(c, c.params, loud);
            // Saturated: every neuron every step (LSNN-like models: every step after the first, whose
            // voltage the input reaches only one step later).
            if (lo < 0) expect(rate).toBe(0);
            else expect(rate).toBeGreaterThanOrEqual(0.8);
          } finally {
            tf.dispose([inp.x, inp.wIn]);
            disposeInputs(loud);
          }
        }
      });

      it(`${c.name}: a marked spike input takes the event-driven input product, equal to the dense one (densities 0, 0.15, 1)`, async (ctx) => {
        skipUnavailable(ctx, c);
        if (!hasKernel(SPIKE_MATMUL.kernelName)) {
          console.info(`fusedRecurrentSuite: ${c.name}'s spike input product skipped — the backend '${tf.getBackend()}' has no '${SPIKE_MATMUL.kernelName}' kernel`);
          ctx.skip(`no '${SPIKE_MATMUL.kernelName}' kernel on '${tf.getBackend()}'`);
        }
        const spikeKernels = [SPIKE_MATMUL.kernelName, `${SPIKE_MATMUL.kernelName}Grad`];
        for (const density of [0, 0.15, 1]) {
          const inp = makeInputs(c, [7, 3, 10, 8], 12, density);
          markSpikes(inp.x);
          try {
            const sparse = await withSparsity('sparse', c, inp);
            const dense = await withSparsity('dense', c, inp);
            const kernel = kernelOf(c, c.params);
            expect(sparse.kernels, `density ${density}: the spike product and the sequence kernel ran`).toEqual(expect.arrayContaining([...spikeKernels, kernel, `${kernel}Grad`]));
            expect(dense.kernels, `density ${density}: the dense product ran`).not.toContain(SPIKE_MATMUL.kernelName);
            expect(problemsBetween(c, sparse, dense), `density ${density}`).toEqual([]);
          } finally {
            disposeInputs(inp);
          }
        }
      });

      it(`${c.name}: forward and gradient leave no tensor behind`, async () => {
        const inp = makeInputs(c, [6, 2, 5, 8], 5);
        const before = tf.memory().numTensors;
        const stateOf = (ts: Tensor[]): State => Object.fromEntries(c.fields.map((f, k) => [f, ts[k]!]));
        const [z, s] = c.run(inp.x, stateOf(inp.state), inp.wIn, inp.wRec, c.params, 1e-3);
        tf.dispose([z, ...Object.values(s)]);
        const grads = tf.grads((x: Tensor, w: Tensor) => tf.sum(c.run(x, stateOf(inp.state), inp.wIn, w, c.params, 1e-3)[0]))([inp.x, inp.wRec]);
        tf.dispose(grads);
        expect(tf.memory().numTensors).toBe(before);
        disposeInputs(inp);
      });
    }
  });
}
