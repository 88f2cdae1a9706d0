/**
 * Spikes are 0/1 whatever the input: Θ(NaN) = 0, as Norse's Heaviside. A NaN input poisons its
 * neuron's state (the arithmetic says so) but never makes a NaN "spike". This suite feeds NaN and ±∞
 * through every fused spiking kernel (integrals and recurrent steps) on the current backend and checks
 * the spikes are 0/1, that the fused kernel ran, and that it agrees with the composite path neuron for
 * neuron (NaN equal to NaN in the states).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import {
  adaLIFInitialState, adaLIFStep, lifBoxFeedForwardIntegral, lifBoxInitialState, lifBoxStep, lifFeedForwardIntegral, lifInitialState,
  lifStep, lsnnFeedForwardIntegral, lsnnInitialState, lsnnStep,
} from '../index.js';
import type { NeuronSpec } from '../spec/define.js';
import { lowerSpec } from '../spec/lower.js';
import { recurrentPlanCompiler } from '../spec/plan-recurrent.js';
import { LIF_RECURRENT_SPEC, LIF_SPEC } from '../spec/models/lif.js';
import { LIF_BOX_RECURRENT_SPEC, LIF_BOX_SPEC } from '../spec/models/lif-box.js';
import { ADA_LIF_RECURRENT_SPEC, LSNN_RECURRENT_SPEC, LSNN_SPEC } from '../spec/models/lsnn.js';
import { kernelsRun, onPath, values } from './fused-support.js';

type Run = (x: Tensor) => Tensor[];

const T = 6;
const B = 1;
const N = 9;

/** The recurrent spec kernels (their steps run them with T = 1 where the backend has a recurrent plan compiler). */
const RECURRENT_SPEC_KERNELS = new Set([LIF_RECURRENT_SPEC, LIF_BOX_RECURRENT_SPEC, LSNN_RECURRENT_SPEC, ADA_LIF_RECURRENT_SPEC].map((spec) => lowerSpec(spec as unknown as NeuronSpec, 'super').kernelName));

/** The fused spiking kernels: [name, the kernel that must run, a run returning spikes then state fields]. */
function cases(): ReadonlyArray<readonly [string, string, Run]> {
  const LIF = lowerSpec(LIF_SPEC, 'super').kernelName;
  const LIF_BOX = lowerSpec(LIF_BOX_SPEC, 'super').kernelName;
  const zeros = (): Tensor => tf.zeros([B, N]);
  const win = (): Tensor => tf.eye(N);
  const wrec = (): Tensor => tf.mul(tf.eye(N), 0.5);
  // A recurrent step sees the sequence's step 2 (a NaN, +∞ and −∞ among its inputs).
  const at2 = (x: Tensor): Tensor => tf.squeeze(tf.slice(x, [2], [1]), [0]);
  const all = (z: Tensor, s: object): Tensor[] => [z, ...(Object.values(s) as Tensor[])];
  return [
    ['lifFeedForwardIntegral', LIF, (x) => all(...lifFeedForwardIntegral(x, { v: zeros(), i: zeros() }))],
    ['lifBoxFeedForwardIntegral', LIF_BOX, (x) => all(...lifBoxFeedForwardIntegral(x, { v: zeros() }))],
    ['lifBoxFeedForwardIntegral (subtract)', LIF_BOX, (x) => all(...lifBoxFeedForwardIntegral(x, { v: zeros() }, { resetMethod: 'subtract' }))],
    ['lsnnFeedForwardIntegral', lowerSpec(LSNN_SPEC, 'super').kernelName, (x) => all(...lsnnFeedForwardIntegral(x, { v: zeros(), i: zeros(), b: tf.ones([B, N]) }))],
    ['lifStep', lowerSpec(LIF_RECURRENT_SPEC, 'super').kernelName, (x) => all(...lifStep(at2(x), lifInitialState(B, N), win(), wrec()))],
    ['lifBoxStep', lowerSpec(LIF_BOX_RECURRENT_SPEC, 'super').kernelName, (x) => all(...lifBoxStep(at2(x), lifBoxInitialState(B, N), win(), wrec()))],
    ['lsnnStep', lowerSpec(LSNN_RECURRENT_SPEC, 'super').kernelName, (x) => all(...lsnnStep(at2(x), lsnnInitialState(B, N), win(), wrec()))],
    ['adaLIFStep', lowerSpec(ADA_LIF_RECURRENT_SPEC, 'super').kernelName, (x) => all(...adaLIFStep(at2(x), adaLIFInitialState(B, N), win(), wrec()))],
  ];
}

/** Equal as numbers, NaN equal to NaN. */
function sameValues(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k] || (Number.isNaN(x) && Number.isNaN(b[k]!)));
}

/** Options of `nanSpikeSuite`. */
export interface NanSpikeSuiteOptions {
  /**
   * The kernels the backend has (default: all): only those must be seen running on the fused path. A
   * recurrent spec's kernel must run where the backend has a recurrent plan compiler.
   */
  readonly kernels?: readonly string[];
  /**
   * Compare the states also where the composite's are NaN or ±∞ (default true). WGSL lets an
   * implementation assume that no infinity or NaN occurs, so a WebGPU kernel may, e.g., reset a
   * voltage of +∞ to v_reset where the composite's (1 − z)·v' + z·v_reset gives 0·∞ = NaN: WebGPU
   * passes false. The spikes are compared exactly, and must be 0/1, either way.
   */
  readonly nonFiniteStates?: boolean;
}

/**
 * Declares one test per fused spiking kernel (call inside a describe whose backend is current and has
 * the kernels registered).
 */
export function nanSpikeSuite(options: NanSpikeSuiteOptions = {}): void {
  const { kernels, nonFiniteStates = true } = options;
  for (const [name, kernel, run] of cases()) {
    it(`${name}: NaN and ±∞ inputs give 0/1 spikes, fused as composite`, async () => {
      const data = new Float32Array(T * B * N).fill(0.4);
      data[1 * N + 1] = Number.NaN;
      data[2 * N + 2] = Number.NaN;
      data[2 * N + 4] = Number.POSITIVE_INFINITY;
      data[2 * N + 7] = Number.NEGATIVE_INFINITY;
      data[3 * N + 5] = Number.NaN;
      const x = tf.tensor(data, [T, B, N]);
      const read = async (fused: boolean): Promise<{ out: number[][]; names: string[] }> => {
        const { names, result } = await kernelsRun(() => onPath(fused, () => tf.tidy(() => run(x))));
        const out = await Promise.all(result.map((t) => values(t)));
        tf.dispose(result);
        return { out, names };
      };
      const fused = await read(true);
      const composite = await read(false);
      // A recurrent spec's kernel exists where the backend has a recurrent plan compiler (else the composite runs).
      const runs = RECURRENT_SPEC_KERNELS.has(kernel) ? recurrentPlanCompiler(tf.getBackend()) !== undefined : kernels === undefined || kernels.includes(kernel);
      if (runs) expect(fused.names, `${kernel} ran`).toContain(kernel);
      expect(composite.names).not.toContain(kernel);
      for (const side of [fused, composite]) {
        expect(side.out[0]!.every((z) => z === 0 || z === 1), `spikes are 0/1: ${side.out[0]}`).toBe(true);
      }
      expect(composite.out.slice(1).some((s) => s.some(Number.isNaN)), 'a NaN input poisons the state').toBe(true);
      fused.out.forEach((got, k) => {
        const want = composite.out[k]!;
        const keep = (_: number, j: number): boolean => k === 0 || nonFiniteStates || Number.isFinite(want[j]!);
        expect(sameValues(got.filter(keep), want.filter(keep)), `output ${k}: ${got} vs ${want}`).toBe(true);
      });
      x.dispose();
    });
  }
}
