/**
 * The small simulations the gallery draws: a LIF population, three LIF layers of 12 × 12 neurons,
 * Izhikevich neurons with the stimuli of Izhikevich (2004), Fig. 1, and a readout trained on LIF spike
 * counts. Uses @snn/functional, a devDependency: the plot package itself does not depend on it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  IZHIKEVICH_BEHAVIOURS, integrate, izhikevichFeedForwardStep, izhikevichInitialState, lifFeedForwardInitialState,
  lifFeedForwardStep, type IzhikevichBehaviour,
} from '@snn/functional';

const DT = 1e-3;

/** A LIF population and its recorded states, all [T, 1, N]. */
export interface LifRecording {
  readonly spikes: Tensor;
  readonly v: Tensor;
  readonly i: Tensor;
}

/**
 * `neurons` LIF neurons for `steps` steps of 1 ms, neuron n driven by a noisy input whose mean grows
 * with n (from below threshold to well above), with a common 50 ms pulse in the middle — the raster
 * shows rates rising with the neuron index and the pulse as a vertical band.
 */
export function simulateLif(neurons: number, steps: number, seed = 1): LifRecording {
  return tf.tidy(() => {
    const drive = tf.linspace(0.12, 0.5, neurons).reshape([1, 1, neurons]);
    const noise = tf.randomUniform([steps, 1, neurons], -0.2, 0.2, 'float32', seed);
    const time = tf.range(0, steps).reshape([steps, 1, 1]);
    const mid = Math.floor(steps / 2);
    const pulse = tf.mul(tf.logicalAnd(tf.greaterEqual(time, mid), tf.less(time, mid + 50)).toFloat(), 0.15);
    const input = tf.add(tf.add(drive, noise), pulse);
    const state = lifFeedForwardInitialState([1, neurons]);
    const [spikes, last, recorded] = integrate(input, state, (x, s) => lifFeedForwardStep(x, s, {}, DT), { recordStates: true });
    tf.dispose([last.v, last.i]);
    return { spikes, v: recorded.v, i: recorded.i };
  });
}

/**
 * Three layers of 12 × 12 LIF neurons over `steps` steps, input [T, 3, 12, 12]: each layer is driven
 * by a blob at a different place, the blob moving right over time, so the 3-D scatter shows three
 * spots drifting, their colour (time) changing along the way.
 */
export function simulateLayers(steps: number, seed = 2): Tensor {
  return tf.tidy(() => {
    const side = 12;
    const values = new Float32Array(steps * 3 * side * side);
    const centres = [[3, 2], [6, 2], [9, 2]];
    for (let k = 0; k < steps; k++) {
      for (let l = 0; l < 3; l++) {
        const [r0, c0] = centres[l]! as [number, number];
        const c = c0 + (7 * k) / steps;
        for (let r = 0; r < side; r++) {
          for (let q = 0; q < side; q++) {
            const d2 = (r - r0) ** 2 + (q - c) ** 2;
            values[((k * 3 + l) * side + r) * side + q] = (0.3 + 0.15 * l) * Math.exp(-d2 / 6);
          }
        }
      }
    }
    const input = tf.add(tf.tensor4d(values, [steps, 3, side, side]), tf.randomUniform([steps, 3, side, side], -0.05, 0.05, 'float32', seed));
    const state = lifFeedForwardInitialState([3, side, side]);
    const [spikes, last] = integrate(input, state, (x, s) => lifFeedForwardStep(x, s, {}, DT));
    tf.dispose([last.v, last.i]);
    return spikes;
  });
}

/** The stimulus of Izhikevich (2004), Fig. 1 (its published script): a step of `amplitude` at `onset` ms, for `duration` ms. */
interface Stimulus {
  readonly behaviour: IzhikevichBehaviour;
  readonly duration: number;
  readonly onset: number;
  readonly amplitude: number;
}

export const IZHIKEVICH_DEMOS: readonly Stimulus[] = [
  { behaviour: 'tonicSpiking', duration: 100, onset: 10, amplitude: 14 },
  { behaviour: 'phasicSpiking', duration: 200, onset: 20, amplitude: 0.5 },
  { behaviour: 'tonicBursting', duration: 220, onset: 22, amplitude: 15 },
  { behaviour: 'phasicBursting', duration: 200, onset: 20, amplitude: 0.6 },
  { behaviour: 'mixedMode', duration: 160, onset: 16, amplitude: 10 },
  { behaviour: 'spikeFrequencyAdaptation', duration: 85, onset: 8.5, amplitude: 30 },
];

/** One Izhikevich neuron of a named behaviour under its stimulus: current, v, u and spikes, each [T, 1]. */
export function recordIzhikevich(demo: Stimulus): { current: Tensor; voltage: Tensor; recovery: Tensor; spikes: Tensor; msPerStep: number } {
  const spec = IZHIKEVICH_BEHAVIOURS[demo.behaviour];
  const msPerStep = (spec.p.tauInv as number) * DT;
  const steps = Math.round(demo.duration / msPerStep);
  return tf.tidy(() => {
    const current = tf.tensor2d(Array.from({ length: steps }, (_, k) => (k * msPerStep > demo.onset ? demo.amplitude : 0)), [steps, 1]);
    const state = izhikevichInitialState(spec, [1]);
    const [spikes, last, recorded] = integrate(current, state, (x, s) => izhikevichFeedForwardStep(x, s, spec.p, DT), { recordStates: true });
    tf.dispose([last.v, last.u]);
    return { current, voltage: recorded.v, recovery: recorded.u, spikes, msPerStep };
  });
}

/**
 * A readout trained on spike counts: 50 LIF neurons see one of two noisy input profiles (rising or
 * falling across the population) for 40 ms; a softmax layer learns the class from the counts. Returns
 * tfjs's History of `model.fit` (loss, accuracy, and their validation values per epoch).
 */
export async function trainReadout(epochs: number, seed = 3): Promise<tf.History> {
  const samples = 240;
  const neurons = 50;
  const steps = 40;
  const [counts, labels] = tf.tidy(() => {
    const classes = tf.cast(tf.less(tf.randomUniform([samples], 0, 1, 'float32', seed), 0.5), 'float32');
    const ramp = tf.linspace(0, 1, neurons).reshape([1, neurons]);
    const c = classes.reshape([samples, 1]);
    const profile = tf.add(tf.mul(c, ramp), tf.mul(tf.sub(1, c), tf.sub(1, ramp)));
    const perSample = tf.randomUniform([samples, neurons], -0.3, 0.3, 'float32', seed + 1);
    const mean = tf.add(tf.add(0.15, tf.mul(0.12, profile)), perSample);
    const input = tf.add(mean.expandDims(0), tf.randomUniform([steps, samples, neurons], -0.1, 0.1, 'float32', seed + 2));
    const state = lifFeedForwardInitialState([samples, neurons]);
    const [spikes, last] = integrate(input, state, (x, s) => lifFeedForwardStep(x, s, {}, DT));
    tf.dispose([last.v, last.i]);
    return [tf.div(tf.sum(spikes, 0), steps), tf.oneHot(tf.cast(classes, 'int32'), 2)];
  });
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [neurons], units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }) })],
  });
  const optimizer = tf.train.adam(0.02);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  try {
    return await model.fit(counts, labels, { epochs, batchSize: 16, validationSplit: 0.25, shuffle: false, verbose: 0 });
  } finally {
    model.dispose();
    optimizer.dispose(); // not owned by the model: its moment estimates would outlive it
    tf.dispose([counts, labels]);
  }
}
