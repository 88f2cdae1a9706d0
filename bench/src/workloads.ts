/**
 * The workloads: Norse's CPU benchmark (../shared/anchors/norse-cpu-bench.md in the project's
 * shared notes; the numbers are copied here) — Lift(LIFCell) over T = 100 steps of B = 32 × N
 * neurons, forward and forward + backward, and LIFRecurrentCell 1000 → 1000 — with Norse's
 * "tuned" wall-clock time (Norse at its best: glibc malloc thresholds raised) and peak RSS.
 *
 * Lift(LIFCell) is run as `lifFeedForwardIntegral`, the functional form of the same computation
 * (the integral is what takes the fused kernel). Backward: the gradient of sum(spikes) with respect
 * to the input sequence (recurrent: also to both weight matrices), seeded with dL/dspikes = ones —
 * `tf.grad(f)(x, ones)` rather than `tf.grad(x => tf.sum(f(x)))`, whose gradient broadcasts a
 * [1, 1, 1] tensor over the spikes with tfjs's generic cpu loop (0.3 s at N = 1k, more than the
 * whole fused backward pass; PyTorch's sum backward is a free broadcast view). Inputs as Norse's: LIF currents
 * uniform in [0, 0.5), default parameters, dt = 1e-3, the resting initial state; recurrent inputs
 * Bernoulli(0.05) spikes, input weights N(0, 2/N)·4, recurrent weights N(0, 2/N) without autapses.
 */

import { NETWORK_ROWS } from './networks.js';

export type WorkloadId = string;

export interface Workload {
  readonly id: WorkloadId;
  readonly label: string;
  readonly kind: 'lif' | 'recurrent' | 'network';
  readonly backward: boolean;
  readonly T: number;
  readonly B: number;
  /** Neurons per sample (hidden size for the recurrent cell). */
  readonly N: number;
  /** Input features (recurrent cell only). */
  readonly inputs?: number;
  /** Norse 1.1.0, 2 threads, tuned malloc: wall-clock ms per call, and peak RSS in MB (absent where no figure exists). */
  readonly norseMs?: number;
  readonly norseRssMB?: number;
  /** Network rows (networks.ts): samples one call processes and what they are, and the backends to run on. */
  readonly samples?: number;
  readonly unit?: string;
  readonly backends?: readonly string[];
  /**
   * Arrays of T·B·N float32 the ideal fused computation reads and writes: forward reads the input and
   * writes the spikes; the backward pass reads the input and dL/dspikes again and writes dL/dinput.
   */
  readonly streamReads: number;
  readonly streamWrites: number;
}

const lif = (n: number, tag: string, backward: boolean, norseMs: number, norseRssMB: number): Workload => ({
  id: `lif-${backward ? 'fb' : 'fwd'}-${tag}` as WorkloadId,
  label: `Lift(LIFCell) ${backward ? 'fwd+bwd' : 'forward'} N=${tag}`,
  kind: 'lif', backward, T: 100, B: 32, N: n, norseMs, norseRssMB,
  streamReads: backward ? 3 : 1, streamWrites: backward ? 2 : 1,
});

export const WORKLOADS: readonly Workload[] = Object.freeze([
  lif(1_000, '1k', false, 15.9, 307),
  lif(10_000, '10k', false, 74.6, 699),
  lif(100_000, '100k', false, 1751, 4050),
  lif(1_000, '1k', true, 119, 509),
  lif(10_000, '10k', true, 1901, 2586),
  lif(100_000, '100k', true, 116_743, 22_400),
  {
    id: 'rec-fwd', label: 'LIFRecurrentCell 1000→1000 forward', kind: 'recurrent', backward: false, T: 100, B: 32, N: 1000, inputs: 1000,
    norseMs: 140, norseRssMB: 322, streamReads: 1, streamWrites: 1,
  },
  {
    id: 'rec-fb', label: 'LIFRecurrentCell 1000→1000 fwd+bwd', kind: 'recurrent', backward: true, T: 100, B: 32, N: 1000, inputs: 1000,
    norseMs: 1156, norseRssMB: 431, streamReads: 3, streamWrites: 2,
  },
  // Whole networks through the public API (networks.ts): the fused path only, no streaming bound.
  ...NETWORK_ROWS.map((r): Workload => ({
    id: r.id, label: r.label, kind: 'network', backward: true, T: r.T, B: r.B, N: 0, norseMs: r.norseMs,
    samples: r.samples, unit: r.unit, backends: r.backends, streamReads: 0, streamWrites: 0,
  })),
]);

export function workload(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload '${id}'; expected one of ${WORKLOADS.map((x) => x.id).join(', ')}`);
  return w;
}

/** Neuron-steps of one call: T·B·N. */
export function neuronSteps(w: Workload): number {
  return w.T * w.B * w.N;
}
