/**
 * The README example: a population of LIF neurons behind an `STDPLinear` layer hears Poisson noise
 * on every input, and now and then a fixed spike pattern on a few of them — each pattern input fires
 * at its own fixed time within a short window, the same every time. The neurons fire mostly when the
 * pattern arrives, so its inputs' spikes come just before postsynaptic spikes (potentiation), while
 * the noise inputs' spikes fall before and after them alike; depression slightly outweighs
 * potentiation (η₋ > η₊), so uncorrelated inputs lose weight. The weights onto the pattern grow
 * relative to the others: the population has learned the pattern, with no labels and no loss. Within
 * the pattern, the inputs that fire early gain most: their spikes precede the neurons' response,
 * while those that fire last often come after it and are depressed (STDP's preference for the
 * earliest reliable inputs).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { Lift } from '@snn/modules';
import { STDPLinear, type STDPLayerState } from '../stdp-layer.js';

export interface RepeatedPatternOptions {
  /** Number of inputs (default 40). */
  readonly inputs?: number;
  /** How many of them carry the pattern: inputs 0 … patternSize − 1 (default 10). */
  readonly patternSize?: number;
  /** Number of postsynaptic LIF neurons (default 4). */
  readonly neurons?: number;
  /** Time steps of 1 ms (default 5000). */
  readonly steps?: number;
  /** The pattern repeats every `period` steps (default 50) and lasts `patternWindow` steps (default 5). */
  readonly period?: number;
  readonly patternWindow?: number;
  /** Background rate of every input in Hz (default 10). */
  readonly noiseHz?: number;
  /** Learning rates of potentiation and depression (defaults 0.1 and 0.12: depression dominates). */
  readonly etaPlus?: number;
  readonly etaMinus?: number;
  /** The initial weights are drawn uniformly from this range (default [0.2, 0.4]). */
  readonly initialWeights?: readonly [number, number];
  /** Seed of the noise, the pattern and the initial weights (default 1). */
  readonly seed?: number;
}

export interface RepeatedPatternResult {
  /** Weights [neurons, inputs] before and after learning, row-major. */
  readonly before: Float32Array;
  readonly after: Float32Array;
  readonly inputs: number;
  readonly neurons: number;
  readonly patternSize: number;
  /** When each pattern input fires within the pattern (steps from its start). */
  readonly offsets: number[];
  /** Postsynaptic spikes per neuron over the run. */
  readonly postSpikes: number[];
}

/** A seeded stream of numbers in [0, 1) (mulberry32), for the pattern's spike times. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** When each pattern input fires within the pattern's window (steps from its start), drawn with the seed. */
export function patternOffsets(o: Required<RepeatedPatternOptions>): number[] {
  const next = random(o.seed);
  return Array.from({ length: o.patternSize }, () => Math.floor(next() * o.patternWindow));
}

/** Spikes [steps, 1, inputs]: Poisson noise everywhere plus the repeated pattern on the first inputs. */
export function repeatedPatternInput(o: Required<RepeatedPatternOptions>): Tensor {
  const offsets = patternOffsets(o);
  const pattern = new Float32Array(o.steps * o.inputs);
  for (let start = 0; start + o.patternWindow <= o.steps; start += o.period) {
    offsets.forEach((offset, k) => { pattern[(start + offset) * o.inputs + k] = 1; });
  }
  return tf.tidy(() => {
    const noise = tf.cast(tf.less(tf.randomUniform([o.steps, 1, o.inputs], 0, 1, 'float32', o.seed), o.noiseHz * 1e-3), 'float32');
    return tf.maximum(noise, tf.tensor3d(pattern, [o.steps, 1, o.inputs]));
  });
}

/** Runs the example and returns the weights before and after. */
export async function learnRepeatedPattern(options: RepeatedPatternOptions = {}): Promise<RepeatedPatternResult> {
  const o: Required<RepeatedPatternOptions> = {
    inputs: 40, patternSize: 10, neurons: 4, steps: 5000, period: 50, patternWindow: 5, noiseHz: 10, etaPlus: 0.1, etaMinus: 0.12, initialWeights: [0.2, 0.4], seed: 1, ...options,
  };
  const initial = tf.randomUniform([o.neurons, o.inputs], o.initialWeights[0], o.initialWeights[1], 'float32', o.seed + 1);
  const layer = new STDPLinear(o.inputs, o.neurons, {
    etaPlus: o.etaPlus, etaMinus: o.etaMinus, tauPreInv: 50, tauPostInv: 50, wMin: 0, wMax: 1,
  }, { weights: initial, seed: o.seed });
  initial.dispose();
  const run = new Lift<STDPLayerState>(layer);
  const input = repeatedPatternInput(o);
  try {
    const before = (await layer.weights.data()) as Float32Array;
    const [spikes, state] = run.forward(input);
    const counts = tf.sum(spikes, [0, 1]);
    const postSpikes = Array.from(await counts.data());
    tf.dispose([spikes, counts, ...stateTensors(state)]);
    const after = (await layer.weights.data()) as Float32Array;
    return { before, after, inputs: o.inputs, neurons: o.neurons, patternSize: o.patternSize, offsets: patternOffsets(o), postSpikes };
  } finally {
    input.dispose();
    run.dispose();
  }
}

function stateTensors(x: unknown): Tensor[] {
  if (x instanceof tf.Tensor) return [x];
  if (typeof x !== 'object' || x === null) return [];
  return Object.values(x).flatMap(stateTensors);
}

/** Mean weight onto the pattern's inputs and onto the others. */
export function meanWeights(w: Float32Array, r: Pick<RepeatedPatternResult, 'inputs' | 'patternSize'>): { pattern: number; others: number } {
  let pattern = 0;
  let others = 0;
  w.forEach((v, k) => {
    if (k % r.inputs < r.patternSize) pattern += v;
    else others += v;
  });
  const rows = w.length / r.inputs;
  return { pattern: pattern / (rows * r.patternSize), others: others / (rows * (r.inputs - r.patternSize)) };
}
