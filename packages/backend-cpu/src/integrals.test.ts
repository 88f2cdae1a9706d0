/**
 * Fused vs composite on the cpu backend, for every built-in feed-forward integral (its kernel
 * generated from its spec) and every deterministic surrogate: spikes and states equal (bit for bit here: the kernels round every operation to float32
 * in the composite's order; the bound is 1e-5 for states), and the gradients of a loss over
 * every output — w.r.t. the input sequence and every initial state — within 1e-4.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  LI_BOX_SPEC, LI_SPEC, LIF_BOX_SPEC, LIF_SPEC, lifBoxFeedForwardIntegral, lifFeedForwardIntegral, liBoxFeedForwardIntegral, liFeedForwardIntegral,
  LSNN_SPEC, lsnnFeedForwardIntegral, type NeuronSpec,
} from '@snn/functional';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { registerCpuKernels } from './index.js';
import { expectExact, expectGradient, kernelsRun, onPath, randomTensor, specKernel, values } from './test-support.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu');

type State = Record<string, Tensor>;
type Integral = (x: Tensor, s: State, p: object) => [Tensor, State];

interface Case {
  readonly name: string;
  /** The spec whose generated kernel the fused path runs. */
  readonly spec: NeuronSpec;
  readonly spiking: boolean;
  readonly fields: readonly string[];
  readonly run: Integral;
  readonly params: Record<string, unknown>;
  readonly input: readonly [number, number];
  readonly initial: Readonly<Record<string, readonly [number, number]>>;
}

const CASES: readonly Case[] = [
  {
    name: 'LIF', spec: LIF_SPEC as unknown as NeuronSpec, spiking: true, fields: ['v', 'i'], run: lifFeedForwardIntegral as unknown as Integral,
    params: { vReset: -0.1 }, input: [-0.3, 0.9], initial: { v: [-0.5, 0.95], i: [-0.5, 1] },
  },
  {
    name: 'LIFBox (reset to value)', spec: LIF_BOX_SPEC as unknown as NeuronSpec, spiking: true, fields: ['v'], run: lifBoxFeedForwardIntegral as unknown as Integral,
    params: { vReset: -0.1, tauMemInv: 150 }, input: [-0.5, 4], initial: { v: [-0.5, 0.95] },
  },
  {
    name: 'LIFBox (reset by subtraction)', spec: LIF_BOX_SPEC as unknown as NeuronSpec, spiking: true, fields: ['v'], run: lifBoxFeedForwardIntegral as unknown as Integral,
    params: { resetMethod: 'subtract', vTh: 0.8, tauMemInv: 150 }, input: [-0.5, 4], initial: { v: [-0.5, 0.75] },
  },
  {
    name: 'LI', spec: LI_SPEC as unknown as NeuronSpec, spiking: false, fields: ['v', 'i'], run: liFeedForwardIntegral as unknown as Integral,
    params: { tauMemInv: 150, vLeak: 0.1 }, input: [-0.5, 1], initial: { v: [-0.5, 0.5], i: [-0.5, 0.5] },
  },
  {
    name: 'LIBox', spec: LI_BOX_SPEC as unknown as NeuronSpec, spiking: false, fields: ['v'], run: liBoxFeedForwardIntegral as unknown as Integral,
    params: { tauMemInv: 150, vLeak: 0.1 }, input: [-0.5, 1], initial: { v: [-0.5, 0.5] },
  },
  {
    name: 'LSNN', spec: LSNN_SPEC as unknown as NeuronSpec, spiking: true, fields: ['v', 'i', 'b'], run: lsnnFeedForwardIntegral as unknown as Integral,
    params: { tauAdaptInv: 20, beta: 0.3, vReset: -0.1 }, input: [-0.3, 0.9], initial: { v: [-0.5, 0.95], i: [-0.5, 1], b: [0.8, 1.2] },
  },
];

/** Every deterministic surrogate with the alpha its golden fixture uses. */
const SURROGATES: ReadonlyArray<readonly [string, number]> = [['super', 100], ['triangle', 0.3], ['tanh', 2], ['circ', 1], ['heaviErfc', 1], ['heaviside', 1]];

const SHAPE = [40, 3, 24] as const;

interface Run {
  readonly out: number[];
  readonly state: number[][];
  readonly loss: number;
  readonly grads: number[][];
  readonly kernels: string[];
}

async function runCase(c: Case, p: Record<string, unknown>, fused: boolean, seed: number): Promise<Run> {
  const [T, B, N] = SHAPE;
  const x = randomTensor([T, B, N], c.input[0], c.input[1], seed);
  const state = c.fields.map((f, k) => randomTensor([B, N], c.initial[f]![0], c.initial[f]![1], seed + 10 + k));
  const gOut = randomTensor([T, B, N], -1, 1, seed + 20);
  const gState = c.fields.map((_, k) => randomTensor([B, N], -1, 1, seed + 30 + k));
  const stateOf = (ts: Tensor[]): State => Object.fromEntries(c.fields.map((f, k) => [f, ts[k]!]));
  try {
    const forward = onPath(fused, () => c.run(x, stateOf(state), p));
    const out = await values(forward[0]);
    const finals = await Promise.all(c.fields.map((f) => values(forward[1][f]!)));
    tf.dispose([forward[0], ...Object.values(forward[1])]);
    const loss = (...args: Tensor[]): Tensor => {
      const [o, s] = c.run(args[0]!, stateOf(args.slice(1)), p);
      return tf.addN([tf.sum(tf.mul(o, gOut)), ...c.fields.map((f, k) => tf.sum(tf.mul(s[f]!, gState[k]!)))]);
    };
    const { names, result } = await kernelsRun(() => onPath(fused, () => tf.valueAndGrads(loss)([x, ...state])));
    const run: Run = {
      out, state: finals, loss: (await values(result.value))[0]!, grads: await Promise.all(result.grads.map(values)), kernels: names,
    };
    tf.dispose([result.value, ...result.grads]);
    return run;
  } finally {
    tf.dispose([x, ...state, gOut, ...gState]);
  }
}

async function compare(c: Case, p: Record<string, unknown>, seed: number): Promise<void> {
  const fused = await runCase(c, p, true, seed);
  const composite = await runCase(c, p, false, seed);
  const kernel = specKernel(c.spec, p);
  expect(fused.kernels, 'the fused path runs the forward and the backward kernel').toEqual(expect.arrayContaining([kernel, `${kernel}Grad`]));
  expect(composite.kernels, 'the composite path runs no fused kernel').not.toContain(kernel);
  const problems = [
    ...expectExact(c.spiking ? 'spikes' : 'voltages', fused.out, composite.out),
    ...c.fields.flatMap((f, k) => expectExact(`final ${f}`, fused.state[k]!, composite.state[k]!)),
    ...expectGradient('loss', [fused.loss], [composite.loss]),
    ...['input', ...c.fields.map((f) => `initial ${f}`)].flatMap((what, k) => expectGradient(`dLoss/d${what}`, fused.grads[k]!, composite.grads[k]!)),
  ];
  expect(problems).toEqual([]);
  if (c.spiking) {
    // The comparison means something only if neurons spike, and not all of them every step.
    const rate = fused.out.reduce((a, b) => a + b, 0) / fused.out.length;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.9);
  }
}

describeEachBackend('fused integrals equal the composite', backends, () => {
  beforeAll(() => { registerCpuKernels(); });

  for (const c of CASES) {
    if (c.spiking) {
      for (const [method, alpha] of SURROGATES) {
        it(`${c.name}, surrogate ${method}`, async () => {
          await compare(c, { ...c.params, method, alpha }, 11);
        });
      }
    } else {
      it(c.name, async () => {
        await compare(c, c.params, 11);
      });
    }
  }

  it('a single time step and odd shapes (rank 1 and rank 3 neuron shapes)', async () => {
    for (const shape of [[1, 5], [3, 2, 3, 4]]) {
      const x = randomTensor(shape, -0.5, 3, 5);
      const v = randomTensor(shape.slice(1), 0, 0.99, 6);
      const i = randomTensor(shape.slice(1), 0, 1, 7);
      const [zf, sf] = onPath(true, () => lifFeedForwardIntegral(x, { v, i }));
      const [zc, sc] = onPath(false, () => lifFeedForwardIntegral(x, { v, i }));
      expect(zf.shape).toEqual(shape);
      expect(sf.v.shape).toEqual(shape.slice(1));
      expect(await values(zf)).toEqual(await values(zc));
      expect(await values(sf.v)).toEqual(await values(sc.v));
      expect(await values(sf.i)).toEqual(await values(sc.i));
      tf.dispose([x, v, i, zf, zc, sf.v, sf.i, sc.v, sc.i]);
    }
  });
});

describe('fused integrals need the cpu backend', () => {
  it('this suite ran on cpu', () => {
    expect(backends).toEqual(['cpu']);
  });
});
