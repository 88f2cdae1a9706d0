/**
 * The demo's simulation: a population of LIF neurons, each driven by a constant current that grows
 * across the population, integrated over time; the spikes are counted per neuron. Neurons whose
 * current stays below threshold (v_th·τ_mem⁻¹-equivalent drive) never fire, the others fire faster the
 * stronger their drive — the LIF's f–I curve.
 */
import * as tf from '@tensorflow/tfjs';
import { lifFeedForwardInitialState, lifFeedForwardIntegral, type LIFParameters } from '@snn/functional';

export interface DemoOptions {
  readonly neurons: number;
  readonly steps: number;
  readonly maxCurrent: number;
  readonly dt: number;
  readonly parameters?: Partial<LIFParameters>;
}

export interface DemoResult {
  /** Spikes per neuron over the whole run. */
  readonly counts: Float32Array;
  /** Input current of each neuron. */
  readonly currents: Float32Array;
  readonly totalSpikes: number;
  readonly milliseconds: number;
}

export async function simulate(options: DemoOptions): Promise<DemoResult> {
  const { neurons, steps, maxCurrent, dt } = options;
  const start = performance.now();
  const currents = tf.linspace(0, maxCurrent, neurons);
  const input = tf.tidy(() => tf.tile(currents.reshape([1, 1, neurons]), [steps, 1, 1]));
  const state = lifFeedForwardInitialState([1, neurons], options.parameters);
  const [spikes, final] = lifFeedForwardIntegral(input, state, options.parameters, dt);
  const perNeuron = tf.tidy(() => tf.sum(spikes, [0, 1]));
  const [counts, current] = await Promise.all([perNeuron.data(), currents.data()]);
  tf.dispose([currents, input, state.v, state.i, spikes, final.v, final.i, perNeuron]);
  const milliseconds = performance.now() - start;
  let totalSpikes = 0;
  for (const c of counts) totalSpikes += c;
  return { counts: counts as Float32Array, currents: current as Float32Array, totalSpikes, milliseconds };
}
