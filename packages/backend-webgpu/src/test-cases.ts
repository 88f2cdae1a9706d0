/**
 * Test support (not part of the package's API): the computations the WebGPU kernels generated from
 * the built-in models' specs are checked on — every feed-forward model, reset and surrogate method,
 * and the input-weighted leaky-integrator steps (their spec's integral with T = 1) — each run through
 * the fused kernels and the composite path (the specification) and compared: spikes equal, states
 * within 1e-5, gradients within 1e-4; and checks that the generated kernels are what actually ran.
 * (The recurrent steps and sequences run the recurrent specs' kernels: the recurrent suites.)
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect } from 'vitest';
import {
  LI_BOX_SPEC, LI_SPEC, LIF_BOX_SPEC, LIF_SPEC, LSNN_SPEC, lifBoxFeedForwardIntegral, lifFeedForwardIntegral, liBoxFeedForwardIntegral, liBoxStep,
  liFeedForwardIntegral, liStep, lowerSpec, lsnnFeedForwardIntegral, SURROGATE_CODES, type FusableSurrogate,
} from '@snn/functional';
import { maxAbs, mismatches, runPath, spikeRate } from './test-helpers.js';

const DT = 1e-3;
const METHODS = Object.keys(SURROGATE_CODES) as FusableSurrogate[];
/** Widths at which each surrogate's derivative is far from zero over the voltages these tests reach. */
const ALPHA: Record<FusableSurrogate, number> = { heaviside: 1, super: 20, triangle: 0.5, tanh: 2, circ: 1, heaviErfc: 2 };

const T = 25;
const SHAPE = [2, 3, 40];

function uniform(shape: number[], lo: number, hi: number, seed: number): Tensor {
  return tf.randomUniform(shape, lo, hi, 'float32', seed);
}

export interface Case {
  readonly name: string;
  /** The generated kernel that must run (`lowerSpec(SPEC, method).kernelName`). */
  readonly kernel: string;
  /** The computation: inputs → outputs (the sequence output first, then the final or stepped states). */
  readonly run: (...xs: Tensor[]) => Tensor[];
  /** Its inputs, freshly made. */
  readonly inputs: () => Tensor[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Whether output 0 is spikes (compared exactly, with a firing rate strictly between 0 and 1). */
  readonly spiking: boolean;
}

/** Runs a case on both paths and checks agreement, that the fused kernels ran, and that the test is not vacuous. */
export async function check(c: Case): Promise<void> {
  const inputs = c.inputs();
  try {
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    const fused = await runPath(true, c.run, inputs);
    const composite = await runPath(false, c.run, inputs);
    expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
    // The kernels' own intermediate buffers (packed outputs, packed inputs) are backend data, not tensors.
    expect(tf.engine().backend.numDataIds(), 'backend data left behind').toBe(dataBefore);
    expect(fused.kernels, 'the fused forward and backward kernels ran').toEqual(expect.arrayContaining([c.kernel, `${c.kernel}Grad`]));
    expect(composite.kernels).not.toContain(c.kernel);
    expect(mismatches(fused, composite, { exact: c.spiking ? [0] : [], outputNames: c.outputNames, inputNames: c.inputNames })).toEqual([]);
    if (c.spiking) {
      const rate = spikeRate(fused.outputs[0]!);
      expect(rate, 'firing rate').toBeGreaterThan(0.02);
      expect(rate, 'firing rate').toBeLessThan(0.98);
    }
    expect(maxAbs(fused.grads[0]!), `dL/d${c.inputNames[0]} is not all zero`).toBeGreaterThan(0);
  } finally {
    tf.dispose(inputs);
  }
}

function lifCase(method: FusableSurrogate, p: Record<string, number> = {}): Case {
  const q = { ...p, method, alpha: ALPHA[method] };
  return {
    name: `LIF integral, ${method}${Object.keys(p).length ? ', custom parameters' : ''}`,
    kernel: lowerSpec(LIF_SPEC, method).kernelName,
    run: (x, v, i) => {
      const [z, s] = lifFeedForwardIntegral(x!, { v: v!, i: i! }, q, DT);
      return [z, s.v, s.i];
    },
    inputs: () => [uniform([T, ...SHAPE], -0.1, 0.9, 1), uniform(SHAPE, 0, 1, 2), uniform(SHAPE, 0, 0.5, 3)],
    inputNames: ['x', 'v0', 'i0'],
    outputNames: ['z', 'v', 'i'],
    spiking: true,
  };
}

function lifBoxCase(method: FusableSurrogate, resetMethod: 'value' | 'subtract'): Case {
  const q = { method, alpha: ALPHA[method], resetMethod, vLeak: 0.1, vReset: -0.2 };
  return {
    name: `LIFBox integral, ${resetMethod} reset, ${method}`,
    kernel: lowerSpec(LIF_BOX_SPEC, method).kernelName,
    run: (x, v) => {
      const [z, s] = lifBoxFeedForwardIntegral(x!, { v: v! }, q, DT);
      return [z, s.v];
    },
    inputs: () => [uniform([T, ...SHAPE], 0, 2.5, 4), uniform(SHAPE, 0, 1, 5)],
    inputNames: ['x', 'v0'],
    outputNames: ['z', 'v'],
    spiking: true,
  };
}

function lsnnCase(method: FusableSurrogate): Case {
  const q = { method, alpha: ALPHA[method], tauAdaptInv: 20, beta: 0.3, vLeak: 0.05 };
  return {
    name: `LSNN integral, ${method}`,
    kernel: lowerSpec(LSNN_SPEC, method).kernelName,
    run: (x, v, i, b) => {
      const [z, s] = lsnnFeedForwardIntegral(x!, { v: v!, i: i!, b: b! }, q, DT);
      return [z, s.v, s.i, s.b];
    },
    inputs: () => [uniform([T, ...SHAPE], -0.1, 0.6, 6), uniform(SHAPE, 0, 1, 7), uniform(SHAPE, 0, 0.5, 8), uniform(SHAPE, 0.8, 1.2, 9)],
    inputNames: ['x', 'v0', 'i0', 'b0'],
    outputNames: ['z', 'v', 'i', 'b'],
    spiking: true,
  };
}

/** The leaky integrators' kernels (no threshold: one kernel whatever the surrogate); their steps run them with T = 1. */
const LI_KERNEL = lowerSpec(LI_SPEC, 'super').kernelName;
const LI_BOX_KERNEL = lowerSpec(LI_BOX_SPEC, 'super').kernelName;

const LI_CASE: Case = {
  name: 'LI integral',
  kernel: LI_KERNEL,
  run: (x, v, i) => {
    const [out, s] = liFeedForwardIntegral(x!, { v: v!, i: i! }, { tauSynInv: 150, tauMemInv: 80, vLeak: 0.1 }, DT);
    return [out, s.v, s.i];
  },
  inputs: () => [uniform([T, ...SHAPE], -1, 1, 10), uniform(SHAPE, -1, 1, 11), uniform(SHAPE, -1, 1, 12)],
  inputNames: ['x', 'v0', 'i0'],
  outputNames: ['out', 'v', 'i'],
  spiking: false,
};

const LI_BOX_CASE: Case = {
  name: 'LIBox integral',
  kernel: LI_BOX_KERNEL,
  run: (x, v) => {
    const [out, s] = liBoxFeedForwardIntegral(x!, { v: v! }, { tauMemInv: 80, vLeak: 0.1 }, DT);
    return [out, s.v];
  },
  inputs: () => [uniform([T, ...SHAPE], -1, 1, 13), uniform(SHAPE, -1, 1, 14)],
  inputNames: ['x', 'v0'],
  outputNames: ['out', 'v'],
  spiking: false,
};

const B = 4;
const N_IN = 20;
const HIDDEN = 30;
const STEPS = 8;

/** The input-weighted leaky integrators over STEPS steps (no recurrent weights; the output is the voltage). */
const LI_STEP_CASE: Case = {
  name: 'LI input-weighted step',
  kernel: LI_KERNEL,
  run: (xs, w, v0, i0) => {
    let s = { v: v0!, i: i0! };
    const outs: Tensor[] = [];
    for (const x of tf.unstack(xs!)) {
      const [out, next] = liStep(x, s, w!, { tauSynInv: 150, tauMemInv: 80, vLeak: 0.1 }, DT);
      outs.push(out);
      s = next;
    }
    return [tf.stack(outs), s.v, s.i];
  },
  inputs: () => [uniform([STEPS, B, N_IN], 0, 1, 60), uniform([HIDDEN, N_IN], -1, 1, 61), uniform([B, HIDDEN], -1, 1, 62), uniform([B, HIDDEN], -1, 1, 63)],
  inputNames: ['xs', 'inputWeights', 'v0', 'i0'],
  outputNames: ['out', 'v', 'i'],
  spiking: false,
};

const LI_BOX_STEP_CASE: Case = {
  name: 'LIBox input-weighted step',
  kernel: LI_BOX_KERNEL,
  run: (xs, w, v0) => {
    let s = { v: v0! };
    const outs: Tensor[] = [];
    for (const x of tf.unstack(xs!)) {
      const [out, next] = liBoxStep(x, s, w!, { tauMemInv: 80, vLeak: 0.1 }, DT);
      outs.push(out);
      s = next;
    }
    return [tf.stack(outs), s.v];
  },
  inputs: () => [uniform([STEPS, B, N_IN], 0, 1, 70), uniform([HIDDEN, N_IN], -1, 1, 71), uniform([B, HIDDEN], -1, 1, 72)],
  inputNames: ['xs', 'inputWeights', 'v0'],
  outputNames: ['out', 'v'],
  spiking: false,
};

/** Every case; the packed-binding and chunked tests rerun a subset. */
export const CASES: readonly Case[] = [
  ...METHODS.map((m) => lifCase(m)),
  lifCase('super', { tauSynInv: 150, tauMemInv: 80, vLeak: 0.05, vTh: 0.9, vReset: -0.1 }),
  ...METHODS.map((m) => lifBoxCase(m, 'value')),
  ...METHODS.map((m) => lifBoxCase(m, 'subtract')),
  ...METHODS.map((m) => lsnnCase(m)),
  LI_CASE,
  LI_BOX_CASE,
  LI_STEP_CASE,
  LI_BOX_STEP_CASE,
];
