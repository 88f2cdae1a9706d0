/**
 * The fused steps of the recurrent models (LIF, LIFBox with both resets, LSNN, adaptive LIF: their
 * recurrent spec's sequence kernel with T = 1) and of the input-weighted leaky integrators (LI, LIBox:
 * their spec's integral with T = 1) vs the composite, on the wasm backend: a rollout of several steps,
 * spikes (or the LI voltages and states) bit for bit, the recurrent models' states within 1e-5 (the
 * kernel sums the recurrent current event-driven, the composite with tfjs's matMul), and the
 * gradients of a loss over every output w.r.t. the input sequence, every initial state and the
 * weight matrices within 1e-4 — BPTT through the step kernel's backward, with
 * the reset detached (LIF, LIFBox) or not (LSNN, adaptive LIF) as the composite does.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adaLIFStep, liBoxStep, lifBoxStep, lifStep, liStep, lsnnStep, specKernelName } from '@snn/functional';
import { closeGradient, closeState, exact, kernelsRun, onPath, randomTensor, useWasm, values } from './test-support.js';

type State = Record<string, Tensor>;
type Step = (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object) => [Tensor, State];

interface Case {
  readonly name: string;
  /**
   * The spec whose kernel the fused step runs with T = 1: a recurrent step its recurrent spec's
   * sequence kernel (r computed inside from state.z), a leaky integrator its integral's.
   */
  readonly spec: string;
  readonly fields: readonly string[];
  readonly step: Step;
  readonly params: Record<string, unknown>;
  readonly initial: Readonly<Record<string, readonly [number, number]>>;
  /** False for the leaky integrators: no recurrent weights, and the output is a voltage (no spikes). */
  readonly recurrent?: boolean;
}

type WeightedStep = (x: Tensor, s: State, w: Tensor, p: object) => [Tensor, State];

/** An input-weighted step (`liStep`, `liBoxStep`) as a Step: it takes no recurrent weights. */
const inputWeighted = (step: WeightedStep): Step => (x, s, wIn, _wRec, p) => step(x, s, wIn, p);

const CASES: readonly Case[] = [
  { name: 'LIF', spec: 'LIFRecurrent', fields: ['z', 'v', 'i'], step: lifStep as unknown as Step, params: { vReset: -0.1, vLeak: 0.05 }, initial: { v: [-0.5, 0.95], i: [-0.5, 1] } },
  { name: 'LIFBox (reset to value)', spec: 'LIFBoxRecurrent', fields: ['z', 'v'], step: lifBoxStep as unknown as Step, params: { vReset: -0.1, tauMemInv: 150 }, initial: { v: [-0.5, 0.95] } },
  { name: 'LIFBox (reset by subtraction)', spec: 'LIFBoxRecurrent', fields: ['z', 'v'], step: lifBoxStep as unknown as Step, params: { resetMethod: 'subtract', vTh: 0.8, tauMemInv: 150 }, initial: { v: [-0.5, 0.75] } },
  {
    name: 'LSNN', spec: 'LSNNRecurrent', fields: ['z', 'v', 'i', 'b'], step: lsnnStep as unknown as Step, params: { tauAdaptInv: 20, beta: 0.3, vReset: -0.1 },
    initial: { v: [-0.5, 0.95], i: [-0.5, 1], b: [0.8, 1.2] },
  },
  {
    name: 'adaptive LIF', spec: 'AdaLIFRecurrent', fields: ['z', 'v', 'i', 'b'], step: adaLIFStep as unknown as Step, params: { tauAdaptInv: 20, beta: 0.3, vTh: 0.8 },
    initial: { v: [-0.5, 0.75], i: [-0.5, 1], b: [0, 0.4] },
  },
  {
    name: 'LI', spec: 'LI', fields: ['v', 'i'], step: inputWeighted(liStep as unknown as WeightedStep), params: { tauSynInv: 150, tauMemInv: 80, vLeak: 0.1 },
    initial: { v: [-1, 1], i: [-1, 1] }, recurrent: false,
  },
  {
    name: 'LIBox', spec: 'LIBox', fields: ['v'], step: inputWeighted(liBoxStep as unknown as WeightedStep), params: { tauMemInv: 80, vLeak: 0.1 },
    initial: { v: [-1, 1] }, recurrent: false,
  },
];

type FusableSurrogate = Parameters<typeof specKernelName>[1];
const METHODS: readonly FusableSurrogate[] = ['heaviside', 'super', 'triangle', 'tanh', 'circ', 'heaviErfc'];
/** True for a forward kernel generated from spec `spec` (any surrogate method). */
const ownKernel = (spec: string, name: string): boolean => METHODS.some((m) => specKernelName(spec, m) === name);

const SURROGATES: ReadonlyArray<readonly [string, number]> = [['super', 100], ['triangle', 0.3], ['tanh', 2], ['circ', 1], ['heaviErfc', 1], ['heaviside', 1]];
const T = 12;
const B = 3;
const N_IN = 5;
const N = 37;

async function rollout(c: Case, p: Record<string, unknown>, fused: boolean, seed: number): Promise<{ outs: number[][]; grads: number[][]; kernels: string[] }> {
  const x = randomTensor([T, B, N_IN], 0, 1.5, seed);
  const wIn = randomTensor([N, N_IN], -0.2, 0.6, seed + 1);
  const wRec = randomTensor([N, N], -0.3, 0.3, seed + 2);
  const init = c.fields.map((f, k) => (f === 'z' ? tf.tidy(() => tf.step(randomTensor([B, N], -1, 1, seed + 3))) : randomTensor([B, N], c.initial[f]![0], c.initial[f]![1], seed + 10 + k)));
  const gZ = randomTensor([T, B, N], -1, 1, seed + 20);
  const gState = c.fields.map((_, k) => randomTensor([B, N], -1, 1, seed + 30 + k));
  const asState = (ts: Tensor[]): State => Object.fromEntries(c.fields.map((f, k) => [f, ts[k]!]));
  const run = (xs: Tensor, wi: Tensor, wr: Tensor, ss: Tensor[]): [Tensor, State] => {
    let s = asState(ss);
    const zs: Tensor[] = [];
    for (const xt of tf.unstack(xs)) {
      const [z, next] = c.step(xt, s, wi, wr, p);
      zs.push(z);
      s = next;
    }
    return [tf.stack(zs), s];
  };
  try {
    const { names, result } = await kernelsRun(() =>
      onPath(fused, () => {
        const [zs, final] = run(x, wIn, wRec, init);
        // The leaky integrators take no recurrent weights: W_rec is not an argument of their loss.
        const weights = c.recurrent === false ? [wIn] : [wIn, wRec];
        const loss = (xs: Tensor, ...rest: Tensor[]): Tensor => {
          const [z, s] = run(xs, rest[0]!, weights.length === 2 ? rest[1]! : wRec, rest.slice(weights.length));
          return tf.addN([tf.sum(tf.mul(z, gZ)), ...c.fields.map((f, k) => tf.sum(tf.mul(s[f]!, gState[k]!)))]);
        };
        const grads = tf.grads(loss)([x, ...weights, ...init]);
        return [zs, ...c.fields.map((f) => final[f]!), ...grads];
      }),
    );
    const read = await Promise.all(result.map(values));
    tf.dispose(result);
    return { outs: read.slice(0, 1 + c.fields.length), grads: read.slice(1 + c.fields.length), kernels: names };
  } finally {
    tf.dispose([x, wIn, wRec, ...init, gZ, ...gState]);
  }
}

describe('fused recurrent steps vs composite [wasm]', () => {
  beforeAll(async () => {
    await useWasm();
  });

  for (const c of CASES) {
    // The leaky integrators have no threshold: one run each, without a surrogate.
    const surrogates = c.recurrent === false ? SURROGATES.slice(0, 1) : SURROGATES;
    for (const [method, alpha] of surrogates) {
      const title = c.recurrent === false ? `${c.name}: ${T} steps, [${B}, ${N_IN}] → ${N}` : `${c.name}, ${method} (alpha ${alpha}): ${T} steps, [${B}, ${N_IN}] → ${N}`;
      it(title, async () => {
        const p = c.recurrent === false ? { ...c.params } : { ...c.params, method, alpha };
        const seed = 500 + CASES.indexOf(c) * 50 + SURROGATES.findIndex(([m]) => m === method);
        const fused = await rollout(c, p, true, seed);
        const composite = await rollout(c, p, false, seed);
        // A leaky integrator has no surrogate: its kernel is the one of whichever method its parameters name.
        const kernel = c.recurrent === false ? fused.kernels.find((k) => ownKernel(c.spec, k)) : specKernelName(c.spec, method as FusableSurrogate);
        expect(kernel, `a generated ${c.spec} kernel ran`).toBeDefined();
        expect(fused.kernels).toContain(kernel);
        expect(fused.kernels).toContain(`${kernel!}Grad`);
        expect(composite.kernels.filter((k) => ownKernel(c.spec, k))).toEqual([]);
        if (c.recurrent !== false) {
          const spikes = fused.outs[0]!.reduce((a, b) => a + b, 0);
          expect(spikes).toBeGreaterThan(0);
          expect(spikes).toBeLessThan(fused.outs[0]!.length);
        }
        const names = [c.recurrent === false ? 'voltages' : 'spikes', ...c.fields.map((f) => `final ${f}`)];
        const gradNames = ['dLoss/dx', 'dLoss/dW_in', ...(c.recurrent === false ? [] : ['dLoss/dW_rec']), ...c.fields.map((f) => `dLoss/d${f}0`)];
        expect(fused.grads).toHaveLength(gradNames.length);
        expect(composite.grads).toHaveLength(gradNames.length);
        const problems = [
          // Spikes exactly; the recurrent kernels sum r = z·W_recᵀ event-driven, the composite with tfjs's matMul: states 1e-5.
          ...names.flatMap((what, k) => (k === 0 || c.recurrent === false ? exact : closeState)(what, fused.outs[k]!, composite.outs[k]!)),
          ...gradNames.flatMap((what, k) => closeGradient(what, fused.grads[k]!, composite.grads[k]!)),
        ];
        expect(problems).toEqual([]);
        expect(fused.grads[1]!.some((g) => g !== 0)).toBe(true);
      });
    }
  }
});
