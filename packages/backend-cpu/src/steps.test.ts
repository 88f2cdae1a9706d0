/**
 * Fused vs composite on the cpu backend for the recurrent steps (LIF, LIFBox with either reset,
 * LSNN, adaptive LIF: their recurrent spec's generated sequence kernel with T = 1) and the input-weighted leaky
 * integrators (LI, LIBox: their spec's integral with T = 1), rolled over 20 steps:
 * outputs (spikes, or the LI voltages) and states equal, and the gradients of a loss over every step's
 * output and the final state — w.r.t. the inputs, the weight matrices and the initial state — within
 * 1e-4. LIF and LIFBox detach z in the reset, LSNN and the adaptive LIF do not; the kernels must follow each.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import {
  ADA_LIF_RECURRENT_SPEC, adaLIFStep, LI_BOX_SPEC, LI_SPEC, LIF_BOX_RECURRENT_SPEC, LIF_RECURRENT_SPEC, liBoxStep, lifBoxStep, lifStep, liStep,
  LSNN_RECURRENT_SPEC, lsnnStep, type NeuronSpec,
} from '@snn/functional';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { registerCpuKernels } from './index.js';
import { expectExact, expectGradient, kernelsRun, onPath, randomTensor, specKernel, values } from './test-support.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu');

type State = Record<string, Tensor>;
type Step = (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object) => [Tensor, State];

interface Case {
  readonly name: string;
  /** The spec whose generated kernel the fused step runs. */
  readonly spec: NeuronSpec;
  readonly fields: readonly string[];
  readonly step: Step;
  readonly params: Record<string, unknown>;
  readonly initial: Readonly<Record<string, readonly [number, number]>>;
  /** False for the leaky integrators: no recurrent weights, and the output is a voltage (no firing rate). */
  readonly recurrent?: boolean;
}

/** An input-weighted step (`liStep`, `liBoxStep`) as a Step: it takes no recurrent weights. */
const inputWeighted = (step: (x: Tensor, s: State, w: Tensor, p: object) => [Tensor, State]): Step => (x, s, wIn, _wRec, p) => step(x, s, wIn, p);

const spec = (s: unknown): NeuronSpec => s as NeuronSpec;
const CASES: readonly Case[] = [
  { name: 'lifStep', spec: spec(LIF_RECURRENT_SPEC), fields: ['z', 'v', 'i'], step: lifStep as unknown as Step, params: { vReset: -0.1 }, initial: { z: [0, 1], v: [-0.5, 0.95], i: [-0.5, 1] } },
  {
    name: 'lifBoxStep (reset to value)', spec: spec(LIF_BOX_RECURRENT_SPEC), fields: ['z', 'v'], step: lifBoxStep as unknown as Step,
    params: { vReset: -0.1, tauMemInv: 300 }, initial: { z: [0, 1], v: [-0.5, 0.95] },
  },
  {
    name: 'lifBoxStep (reset by subtraction)', spec: spec(LIF_BOX_RECURRENT_SPEC), fields: ['z', 'v'], step: lifBoxStep as unknown as Step,
    params: { resetMethod: 'subtract', vTh: 0.8, tauMemInv: 300 }, initial: { z: [0, 1], v: [-0.5, 0.75] },
  },
  {
    name: 'lsnnStep', spec: spec(LSNN_RECURRENT_SPEC), fields: ['z', 'v', 'i', 'b'], step: lsnnStep as unknown as Step,
    params: { tauAdaptInv: 20, beta: 0.3, vReset: -0.1 }, initial: { z: [0, 1], v: [-0.5, 0.95], i: [-0.5, 1], b: [0.8, 1.2] },
  },
  {
    name: 'adaLIFStep', spec: spec(ADA_LIF_RECURRENT_SPEC), fields: ['z', 'v', 'i', 'b'], step: adaLIFStep as unknown as Step,
    params: { tauAdaptInv: 20, beta: 0.3, vTh: 0.8 }, initial: { z: [0, 1], v: [-0.5, 0.75], i: [-0.5, 1], b: [0, 0.4] },
  },
  {
    name: 'liStep', spec: spec(LI_SPEC), fields: ['v', 'i'], step: inputWeighted(liStep as unknown as Parameters<typeof inputWeighted>[0]),
    params: { tauSynInv: 150, tauMemInv: 80, vLeak: 0.1 }, initial: { v: [-1, 1], i: [-1, 1] }, recurrent: false,
  },
  {
    name: 'liBoxStep', spec: spec(LI_BOX_SPEC), fields: ['v'], step: inputWeighted(liBoxStep as unknown as Parameters<typeof inputWeighted>[0]),
    params: { tauMemInv: 80, vLeak: 0.1 }, initial: { v: [-1, 1] }, recurrent: false,
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
    // The leaky integrators take no recurrent weights: wRec is not an argument of their loss.
    const weights = c.recurrent === false ? 1 : 2;
    const loss = (...args: Tensor[]): Tensor => {
      const [z, s] = rollout(args[0]!, args[1]!, weights === 2 ? args[2]! : wRec, args.slice(1 + weights));
      return tf.addN([tf.sum(tf.mul(z, gZ)), ...c.fields.map((f, k) => tf.sum(tf.mul(s[f]!, gS[k]!)))]);
    };
    const { names, result } = await kernelsRun(() => onPath(fused, () => tf.grads(loss)([x, wIn, ...(weights === 2 ? [wRec] : []), ...initial])));
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
    // The leaky integrators have no threshold: one run each, without a surrogate.
    const surrogates = c.recurrent === false ? [['none', 0] as const] : SURROGATES;
    for (const [method, alpha] of surrogates) {
      it(`${c.name}${c.recurrent === false ? '' : `, surrogate ${method}`}`, async () => {
        const p = c.recurrent === false ? { ...c.params } : { ...c.params, method, alpha };
        const fused = await runCase(c, p, true);
        const composite = await runCase(c, p, false);
        const kernel = specKernel(c.spec, p);
        expect(fused.kernels).toEqual(expect.arrayContaining([kernel, `${kernel}Grad`]));
        expect(composite.kernels).not.toContain(kernel);
        const problems = [
          ...['spikes', ...c.fields.map((f) => `final ${f}`)].flatMap((what, k) => expectExact(what, fused.out[k]!, composite.out[k]!)),
          ...['input', 'inputWeights', ...(c.recurrent === false ? [] : ['recurrentWeights']), ...c.fields.map((f) => `initial ${f}`)]
            .flatMap((what, k) => expectGradient(`dLoss/d${what}`, fused.grads[k]!, composite.grads[k]!)),
        ];
        expect(fused.grads).toHaveLength(composite.grads.length);
        expect(problems).toEqual([]);
        expect(fused.grads[1]!.some((g) => g !== 0), 'dLoss/dinputWeights is not all zero').toBe(true);
        if (c.recurrent === false) return;
        const rate = fused.out[0]!.reduce((a, b) => a + b, 0) / fused.out[0]!.length;
        expect(rate).toBeGreaterThan(0.02);
        expect(rate).toBeLessThan(0.9);
      });
    }
  }
});

describeEachBackend('the input-weighted LI steps and the adaptive-LIF step: checks, fallback, memory', backends, () => {
  beforeAll(() => { registerCpuKernels(); });

  const [b, nIn, h] = [2, 4, 6];
  const make = () => ({
    x: randomTensor([b, nIn], 0, 1, 70),
    w: randomTensor([h, nIn], -1, 1, 71),
    wRec: randomTensor([h, h], -0.5, 0.5, 72),
    s: randomTensor([b, h], -0.5, 0.9, 73),
    z: tf.zeros([b, h]),
  });
  type Inputs = ReturnType<typeof make>;
  const calls: ReadonlyArray<readonly [string, string, (t: Inputs, p: object) => Tensor[]]> = [
    ['liStep', specKernel(spec(LI_SPEC)), (t, p) => { const [o, s] = liStep(t.x, { v: t.s, i: t.s }, t.w, p); return [o, s.v, s.i]; }],
    ['liBoxStep', specKernel(spec(LI_BOX_SPEC)), (t, p) => { const [o, s] = liBoxStep(t.x, { v: t.s }, t.w, p); return [o, s.v]; }],
    ['adaLIFStep', specKernel(spec(ADA_LIF_RECURRENT_SPEC)), (t, p) => {
      const [z, s] = adaLIFStep(t.x, { z: t.z, v: t.s, i: t.s, b: t.s }, t.w, t.wRec, { vTh: 0.5, ...p });
      return [z, s.v, s.i, s.b];
    }],
  ];

  for (const [name, kernel, call] of calls) {
    it(`${name}: bad parameters and shapes throw the same errors with the kernel registered, before anything runs`, async () => {
      const t = make();
      try {
        const bad: object[] = [{ tauMemInv: -1 }, { vLeak: Number.NaN }, { nope: 1 }];
        for (const p of bad) {
          let composite: unknown;
          try { onPath(false, () => call(t, p)); } catch (e) { composite = e; }
          expect(composite, `${JSON.stringify(p)} throws on the composite path`).toBeInstanceOf(Error);
          const before = tf.memory().numTensors;
          const { names } = await kernelsRun(() => {
            expect(() => onPath(true, () => call(t, p))).toThrow((composite as Error).message);
            return [];
          });
          expect(names).not.toContain(kernel);
          expect(tf.memory().numTensors).toBe(before);
        }
        const wrong = randomTensor([h, nIn + 1], -1, 1, 74);
        expect(() => call({ ...t, w: wrong }, {})).toThrow(/inputWeights/);
        wrong.dispose();
      } finally {
        tf.dispose(Object.values(t));
      }
    });

    it(`${name}: a tensor parameter takes the composite path with the same result; no tensor is left behind`, async () => {
      const t = make();
      try {
        const tau = tf.fill([h], 120);
        const withTensor = await kernelsRun(() => call(t, { tauMemInv: tau }));
        const withNumber = await kernelsRun(() => call(t, { tauMemInv: 120 }));
        expect(withTensor.names).not.toContain(kernel);
        expect(withNumber.names).toContain(kernel);
        const a = await Promise.all(withTensor.result.map(values));
        const c = await Promise.all(withNumber.result.map(values));
        expect(a.flatMap((x, k) => expectExact(`output ${k}`, x, c[k]!))).toEqual([]);
        tf.dispose([tau, ...withTensor.result, ...withNumber.result]);

        const before = tf.memory().numTensors;
        const grads = tf.grads((w: Tensor, s: Tensor) => tf.addN(call({ ...t, w, s }, {}).map((o) => tf.sum(o))))([t.w, t.s]);
        const out = call(t, {});
        tf.dispose([...grads, ...out]);
        expect(tf.memory().numTensors, 'tensors left behind by a fused forward and backward').toBe(before);
      } finally {
        tf.dispose(Object.values(t));
      }
    });
  }
});
