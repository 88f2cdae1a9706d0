/**
 * What the page does with a graph, apart from drawing: random input spikes for every Input node, and
 * which nodes' outputs are spikes (the layers whose rasters are shown).
 */
import * as tf from '@tensorflow/tfjs';
import type { FlatGraph } from '@snn/nir';

/** Node types whose output is spikes (0/1). */
export const SPIKING_TYPES: ReadonlySet<string> = new Set(['LIF', 'CubaLIF', 'IF', 'Threshold']);

/** The paths of the nodes whose outputs are spikes, in evaluation order. */
export function spikingNodes(flat: FlatGraph, order: readonly string[]): string[] {
  return order.filter((p) => SPIKING_TYPES.has(flat.nodes.get(p)!.node.type));
}

/** A small deterministic generator (the same input for the same seed: a run can be repeated). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Bernoulli spikes [steps, 1, ...shape] with probability `rate` for each Input node. */
export function randomInputs(flat: FlatGraph, steps: number, rate: number, seed = 1): Record<string, tf.Tensor> {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`randomInputs: argument 'steps' expected an integer ≥ 1; received ${steps}`);
  if (!(rate >= 0 && rate <= 1)) throw new Error(`randomInputs: argument 'rate' expected a probability in [0, 1]; received ${rate}`);
  const next = lcg(seed);
  const out: Record<string, tf.Tensor> = {};
  for (const p of flat.inputs) {
    const shape = [steps, 1, ...flat.nodes.get(p)!.outputShape];
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (next() < rate ? 1 : 0));
    out[p] = tf.tensor(data, shape);
  }
  return out;
}
