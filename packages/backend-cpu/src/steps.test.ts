/**
 * Fused vs composite on the cpu backend for the recurrent steps (LIF, LIFBox with either reset,
 * LSNN), rolled over 20 steps: spikes and states equal, and the gradients of a loss over every step's
 * spikes and the final state — w.r.t. the inputs, both weight matrices and the initial state — within
 * 1e-4. LIF and LIFBox detach z in the reset, LSNN does not; the kernels must follow each.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { FUSED_KERNEL_NAMES, lifBoxStep, lifStep, lsnnStep } from '@snn/functional';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { registerCpuKernels } from './index.js';
import { expectExact, expectGradient, kernelsRun, onPath, randomTensor, values } from './test-support.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu');

type State = Record<string, Tensor>;
type Step = (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object) => [Tensor, State];

interface Case {
  readonly name: string;
  readonly kernel: string;
  readonly fields: readonly string[];
  readonly step: Step;
  readonly params: Record<string, unknown>;
  readonly initial: Readonly<Record<string, readonly [number, number]>>;
}

const K = FUSED_KERNEL_NAMES;
const CASES: readonly Case[] = [
  { name: 'lifStep', kernel: K.lifStep, fields: ['z', 'v', 'i'], step: lifStep as unknown as Step, params: { vReset: -0.1 }, initial: { z: [0, 1], v: [-0.5, 0.95], i: [-0.5, 1] } },
  {
    name: 'lifBoxStep (reset to value)', kernel: K.lifBoxStep, fields: ['z', 'v'], step: lifBoxStep as unknown as Step,
    params: { vReset: -0.1, tauMemInv: 300 }, initial: { z: [0, 1], v: [-0.5, 0.95] },
  },
  {
    name: 'lifBoxStep (reset by subtraction)', kernel: K.lifBoxStep, fields: ['z', 'v'], step: lifBoxStep as unknown as Step,
    params: { resetMethod: 'subtract', vTh: 0.8, tauMemInv: 300 }, initial: { z: [0, 1], v: [-0.5, 0.75] },
  },
  {
    name: 'lsnnStep', kernel: K.lsnnStep, fields: ['z', 'v', 'i', 'b'], step: lsnnStep as unknown as Step,
    params: { tauAdaptInv: 20, beta: 0.3, vReset: -0.1 }, initial: { z: [0, 1], v: [-0.5, 0.95], i: [-0.5, 1], b: [0.8, 1.2] },
  },
];

const SURROGATES: ReadonlyArray<readonly [string, number]> = [['super', 100], ['triangle', 0.3], ['tanh', 2], ['circ', 1], ['heaviErfc', 1], ['heaviside', 1]];
const [T, B, IN, H] = [20, 3, 5, 12];

async function runCase(c: Case, p: Record<string, unknown>, fused: boolean): Promise<{ out: number[][]; grads: number[][]; kernels: string[] }> {
  const x = randomTensor([T, B, IN], 0, 1.5, 3);
  const wIn = randomTensor([H, IN], -0.6, 1.2, 4);
  const wRec = randomTensor([H, H], -0.8, 0.8, 5);
  const initial = c.fields.map((f, k) => {
    const t = randomTensor([B, H], c.initial[f]![0], c.initial[f]![1], 6 + k);
    return f === 'z' ? tf.tidy(() => tf.round(t)) : t;
  });
  const gZ = randomTensor([T, B, H], -1, 1, 20);
  const gS = c.fields.map((_, k) => randomTensor([B, H], -1, 1, 30 + k));
  const rollout = (xs: Tensor, w1: Tensor, w2: Tensor, s0: Tensor[]): [Tensor, State] => {
    let s: State = Object.fromEntries(c.fields.map((f, k) => [f, s0[k]!]));
    const zs: Tensor[] = [];
    for (const xt of tf.unstack(xs)) {
      const [z, next] = c.step(xt, s, w1, w2, p);
      zs.push(z);
      s = next;
    }
    return [tf.stack(zs), s];
  };
  try {
    const forward = onPath(fused, () => tf.tidy(() => {
      const [z, s] = rollout(x, wIn, wRec, initial);
      return [z, ...c.fields.map((f) => s[f]!)];
    }));
    const out = await Promise.all(forward.map(values));
    tf.dispose(forward);
    const loss = (...args: Tensor[]): Tensor => {
      const [z, s] = rollout(args[0]!, args[1]!, args[2]!, args.slice(3));
      return tf.addN([tf.sum(tf.mul(z, gZ)), ...c.fields.map((f, k) => tf.sum(tf.mul(s[f]!, gS[k]!)))]);
    };
    const { names, result } = await kernelsRun(() => onPath(fused, () => tf.grads(loss)([x, wIn, wRec, ...initial])));
    const grads = await Promise.all(result.map(values));
    tf.dispose(result);
    return { out, grads, kernels: names };
  } finally {
    tf.dispose([x, wIn, wRec, ...initial, gZ, ...gS]);
  }
}

describeEachBackend('fused recurrent steps equal the composite', backends, () => {
  beforeAll(() => { registerCpuKernels(); });

  for (const c of CASES) {
    for (const [method, alpha] of SURROGATES) {
      it(`${c.name}, surrogate ${method}`, async () => {
        const p = { ...c.params, method, alpha };
        const fused = await runCase(c, p, true);
        const composite = await runCase(c, p, false);
        expect(fused.kernels).toEqual(expect.arrayContaining([c.kernel, `${c.kernel}Grad`]));
        expect(composite.kernels).not.toContain(c.kernel);
        const problems = [
          ...['spikes', ...c.fields.map((f) => `final ${f}`)].flatMap((what, k) => expectExact(what, fused.out[k]!, composite.out[k]!)),
          ...['input', 'inputWeights', 'recurrentWeights', ...c.fields.map((f) => `initial ${f}`)]
            .flatMap((what, k) => expectGradient(`dLoss/d${what}`, fused.grads[k]!, composite.grads[k]!)),
        ];
        expect(problems).toEqual([]);
        const rate = fused.out[0]!.reduce((a, b) => a + b, 0) / fused.out[0]!.length;
        expect(rate).toBeGreaterThan(0.02);
        expect(rate).toBeLessThan(0.9);
      });
    }
  }
});
