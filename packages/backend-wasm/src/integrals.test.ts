/**
 * Fused vs composite on the wasm backend, for every feed-forward integral and every deterministic
 * surrogate — the fused path runs the kernel generated from the model's spec (its name from
 * `specKernelName(spec, method)`, = `lowerSpec(SPEC, method).kernelName`): outputs and final states equal bit for bit (the kernels do each float32 operation in the
 * composite's order; the issue asks spikes exact and states ≤ 1e-5), and the gradients of a loss over
 * every output — w.r.t. the input sequence and every initial state — within 1e-4 (BPTT kernel vs
 * tfjs autodiff of the step loop). Two shapes: one spanning several kernel tiles with a partial vector
 * at the end (n = 3·701 = 2103 neurons), one smaller than a single SIMD vector per row.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  lifBoxFeedForwardIntegral, lifFeedForwardIntegral, liBoxFeedForwardIntegral, liFeedForwardIntegral, lsnnFeedForwardIntegral, specKernelName,
} from '@snn/functional';
import { closeGradient, exact, kernelsRun, onPath, randomTensor, useWasm, values } from './test-support.js';

type State = Record<string, Tensor>;
type Integral = (x: Tensor, s: State, p: object) => [Tensor, State];

interface Case {
  readonly name: string;
  /** The name of the model's spec: its fused path runs that spec's generated kernel (`specKernelName(spec, method)`). */
  readonly spec: string;
  readonly spiking: boolean;
  readonly fields: readonly string[];
  readonly run: Integral;
  readonly params: Record<string, unknown>;
  readonly input: readonly [number, number];
  readonly initial: Readonly<Record<string, readonly [number, number]>>;
}

const CASES: readonly Case[] = [
  {
    name: 'LIF', spec: 'LIF', spiking: true, fields: ['v', 'i'], run: lifFeedForwardIntegral as unknown as Integral,
    params: { vReset: -0.1, vLeak: 0.05 }, input: [-0.3, 0.9], initial: { v: [-0.5, 0.95], i: [-0.5, 1] },
  },
  {
    name: 'LIFBox (reset to value)', spec: 'LIFBox', spiking: true, fields: ['v'], run: lifBoxFeedForwardIntegral as unknown as Integral,
    params: { vReset: -0.1, tauMemInv: 150, vLeak: 0.05 }, input: [-0.5, 4], initial: { v: [-0.5, 0.95] },
  },
  {
    name: 'LIFBox (reset by subtraction)', spec: 'LIFBox', spiking: true, fields: ['v'], run: lifBoxFeedForwardIntegral as unknown as Integral,
    params: { resetMethod: 'subtract', vTh: 0.8, tauMemInv: 150 }, input: [-0.5, 4], initial: { v: [-0.5, 0.75] },
  },
  {
    name: 'LI', spec: 'LI', spiking: false, fields: ['v', 'i'], run: liFeedForwardIntegral as unknown as Integral,
    params: { tauMemInv: 150, vLeak: 0.1 }, input: [-0.5, 1], initial: { v: [-0.5, 0.5], i: [-0.5, 0.5] },
  },
  {
    name: 'LIBox', spec: 'LIBox', spiking: false, fields: ['v'], run: liBoxFeedForwardIntegral as unknown as Integral,
    params: { tauMemInv: 150, vLeak: 0.1 }, input: [-0.5, 1], initial: { v: [-0.5, 0.5] },
  },
  {
    name: 'LSNN', spec: 'LSNN', spiking: true, fields: ['v', 'i', 'b'], run: lsnnFeedForwardIntegral as unknown as Integral,
    params: { tauAdaptInv: 20, beta: 0.3, vReset: -0.1, vLeak: 0.05 }, input: [-0.3, 0.9], initial: { v: [-0.5, 0.95], i: [-0.5, 1], b: [0.8, 1.2] },
  },
];

/** Every deterministic surrogate (every one a kernel implements), with an alpha that makes its gradient non-trivial. */
const SURROGATES: ReadonlyArray<readonly [string, number]> = [['super', 100], ['triangle', 0.3], ['tanh', 2], ['circ', 1], ['heaviErfc', 1], ['heaviside', 1]];

type FusableSurrogate = Parameters<typeof specKernelName>[1];
const METHODS: readonly FusableSurrogate[] = ['heaviside', 'super', 'triangle', 'tanh', 'circ', 'heaviErfc'];
/** True for a forward kernel generated from spec `spec` (any surrogate method). */
const ownKernel = (spec: string, name: string): boolean => METHODS.some((m) => specKernelName(spec, m) === name);

const SHAPES: ReadonlyArray<readonly [number, number, number]> = [[23, 3, 701], [16, 2, 3]];

interface Run {
  readonly out: number[];
  readonly state: number[][];
  readonly grads: number[][];
  readonly kernels: string[];
}

async function runCase(c: Case, p: Record<string, unknown>, shape: readonly [number, number, number], fused: boolean, seed: number): Promise<Run> {
  const [T, B, N] = shape;
  const x = randomTensor([T, B, N], c.input[0], c.input[1], seed);
  const state = c.fields.map((f, k) => randomTensor([B, N], c.initial[f]![0], c.initial[f]![1], seed + 10 + k));
  const gOut = randomTensor([T, B, N], -1, 1, seed + 20);
  const gState = c.fields.map((_, k) => randomTensor([B, N], -1, 1, seed + 30 + k));
  const asState = (ts: Tensor[]): State => Object.fromEntries(c.fields.map((f, k) => [f, ts[k]!]));
  try {
    const { names, result } = await kernelsRun(() =>
      onPath(fused, () => {
        const [out, final] = c.run(x, asState(state), p);
        const loss = (xs: Tensor, ...ss: Tensor[]): Tensor => {
          const [o, s] = c.run(xs, asState(ss), p);
          return tf.addN([tf.sum(tf.mul(o, gOut)), ...c.fields.map((f, k) => tf.sum(tf.mul(s[f]!, gState[k]!)))]);
        };
        const grads = tf.grads(loss)([x, ...state]);
        return [out, ...c.fields.map((f) => final[f]!), ...grads];
      }),
    );
    const read = await Promise.all(result.map(values));
    tf.dispose(result);
    const n = c.fields.length;
    return { out: read[0]!, state: read.slice(1, 1 + n), grads: read.slice(1 + n), kernels: names };
  } finally {
    tf.dispose([x, ...state, gOut, ...gState]);
  }
}

describe('fused integrals vs composite [wasm]', () => {
  beforeAll(async () => {
    await useWasm();
  });

  for (const c of CASES) {
    const surrogates = c.spiking ? SURROGATES : [['super', 100] as const];
    for (const [method, alpha] of surrogates) {
      for (const shape of SHAPES) {
        const label = `${c.name}${c.spiking ? `, ${method} (alpha ${alpha})` : ''}, [${shape.join(', ')}]`;
        it(label, async () => {
          const p = c.spiking ? { ...c.params, method, alpha } : c.params;
          const seed = 1000 + CASES.indexOf(c) * 100 + SURROGATES.findIndex(([m]) => m === method) * 7 + shape[2];
          const fused = await runCase(c, p, shape, true, seed);
          const composite = await runCase(c, p, shape, false, seed);
          // A leaky integrator has no surrogate: its kernel is the one of whichever method its parameters name.
          const kernel = c.spiking ? specKernelName(c.spec, method as FusableSurrogate) : fused.kernels.find((k) => ownKernel(c.spec, k));
          expect(kernel, `a generated ${c.spec} kernel ran`).toBeDefined();
          expect(fused.kernels).toContain(kernel);
          expect(fused.kernels).toContain(`${kernel!}Grad`);
          expect(composite.kernels.filter((k) => ownKernel(c.spec, k))).toEqual([]);
          if (c.spiking) {
            // The comparison must exercise both sides of the threshold.
            const spikes = fused.out.reduce((a, b) => a + b, 0);
            expect(spikes).toBeGreaterThan(0);
            expect(spikes).toBeLessThan(fused.out.length);
          }
          const problems = [
            ...exact(c.spiking ? 'spikes' : 'voltages', fused.out, composite.out),
            ...c.fields.flatMap((f, k) => exact(`final ${f}`, fused.state[k]!, composite.state[k]!)),
            ...closeGradient('dLoss/dx', fused.grads[0]!, composite.grads[0]!),
            ...c.fields.flatMap((f, k) => closeGradient(`dLoss/d${f}0`, fused.grads[k + 1]!, composite.grads[k + 1]!)),
          ];
          expect(problems).toEqual([]);
          // A gradient that is zero everywhere would compare equal without testing anything.
          expect(fused.grads[0]!.some((g) => g !== 0)).toBe(true);
        });
      }
    }
  }
});
