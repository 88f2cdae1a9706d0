/**
 * The fused elementwise step of the recurrent models (LIF, LIFBox with both resets, LSNN, adaptive
 * LIF) and of the input-weighted leaky integrators (LI, LIBox) vs the composite, on the wasm backend:
 * a rollout of several steps (the matmuls stay tfjs ops), outputs (spikes, or the LI voltages) and
 * states bit for bit, and the gradients of a loss over every output w.r.t. the input sequence, every
 * initial state and the weight matrices within 1e-4 — BPTT through the step kernel's backward, with
 * the reset detached (LIF, LIFBox) or not (LSNN, adaptive LIF) as the composite does.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adaLIFStep, FUSED_KERNEL_NAMES, liBoxStep, lifBoxStep, lifStep, liStep, lsnnStep } from '@snn/functional';
import { closeGradient, exact, kernelsRun, onPath, randomTensor, useWasm, values } from './test-support.js';

type State = Record<string, Tensor>;
type Step = (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object) => [Tensor, State];

interface Case {
  readonly name: string;
  readonly kernel: string;
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

const K = FUSED_KERNEL_NAMES;
const CASES: readonly Case[] = [
  { name: 'LIF', kernel: K.lifStep, fields: ['z', 'v', 'i'], step: lifStep as unknown as Step, params: { vReset: -0.1, vLeak: 0.05 }, initial: { v: [-0.5, 0.95], i: [-0.5, 1] } },
  { name: 'LIFBox (reset to value)', kernel: K.lifBoxStep, fields: ['z', 'v'], step: lifBoxStep as unknown as Step, params: { vReset: -0.1, tauMemInv: 150 }, initial: { v: [-0.5, 0.95] } },
  { name: 'LIFBox (reset by subtraction)', kernel: K.lifBoxStep, fields: ['z', 'v'], step: lifBoxStep as unknown as Step, params: { resetMethod: 'subtract', vTh: 0.8, tauMemInv: 150 }, initial: { v: [-0.5, 0.75] } },
  {
    name: 'LSNN', kernel: K.lsnnStep, fields: ['z', 'v', 'i', 'b'], step: lsnnStep as unknown as Step, params: { tauAdaptInv: 20, beta: 0.3, vReset: -0.1 },
    initial: { v: [-0.5, 0.95], i: [-0.5, 1], b: [0.8, 1.2] },
  },
  {
    name: 'adaptive LIF', kernel: K.adaLIFStep, fields: ['z', 'v', 'i', 'b'], step: adaLIFStep as unknown as Step, params: { tauAdaptInv: 20, beta: 0.3, vTh: 0.8 },
    initial: { v: [-0.5, 0.75], i: [-0.5, 1], b: [0, 0.4] },
  },
  {
    name: 'LI', kernel: K.liStep, fields: ['v', 'i'], step: inputWeighted(liStep as unknown as WeightedStep), params: { tauSynInv: 150, tauMemInv: 80, vLeak: 0.1 },
    initial: { v: [-1, 1], i: [-1, 1] }, recurrent: false,
  },
  {
    name: 'LIBox', kernel: K.liBoxStep, fields: ['v'], step: inputWeighted(liBoxStep as unknown as WeightedStep), params: { tauMemInv: 80, vLeak: 0.1 },
    initial: { v: [-1, 1] }, recurrent: false,
  },
];

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
        expect(fused.kernels).toContain(c.kernel);
        expect(fused.kernels).toContain(`${c.kernel}Grad`);
        expect(composite.kernels).not.toContain(c.kernel);
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
          ...names.flatMap((what, k) => exact(what, fused.outs[k]!, composite.outs[k]!)),
          ...gradNames.flatMap((what, k) => closeGradient(what, fused.grads[k]!, composite.grads[k]!)),
        ];
        expect(problems).toEqual([]);
        expect(fused.grads[1]!.some((g) => g !== 0)).toBe(true);
      });
    }
  }
});
