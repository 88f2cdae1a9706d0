/**
 * The memory network, the architecture of Norse's memory task (`norse.task.memory`) in snn-ts:
 *
 *     Poisson input spikes [T, B, 4·population]
 *       ├─ LSNNRecurrent (adaptive thresholds b: the memory)  ─ spikes [T, B, lsnn] ─┐
 *       └─ LIFRecurrent  (plain LIF: fast, no memory of its own) ─ spikes [T, B, lif] ─┴─ concat
 *       ── dense (no bias) ── LI readout: voltage [T, B, 2]
 *
 * Both recurrent layers see the input; their spikes are concatenated and read out by a leaky
 * integrator. Why the LSNN: the store/recall task asks the network to hold one bit for up to eleven
 * periods, far longer than any membrane or synaptic time constant. An LSNN neuron's threshold b jumps by
 * β at each spike and relaxes with τ_adapt (hundreds of milliseconds here), so which neurons fired at the
 * store command is still written in their thresholds at the recall command, and BPTT can learn to use
 * it. The LIF layer gives the network fast units to read the commands and data with.
 *
 * The readout is one matrix product over the merged time and batch axes and an `LI` sequence layer, not
 * a stepped `LILinearCell`: the same equations, but the product runs once for the whole sequence and the
 * LI time loop as one fused kernel where the backend has one.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { LI, LIFRecurrent, LSNNRecurrent, Lift, Module } from '@snn/modules';
import type { LSNNState } from '@snn/functional';
import { argumentError, assertFiniteNumber, assertTensor, tidy } from '@snn/tensor';

/** The shape of the network and the constants of its neurons. */
export interface NetworkConfig {
  /** Input neurons: 4 channels (data 0, data 1, store, recall) × population size. */
  readonly inputs: number;
  /** Neurons of the LSNN (adaptive-threshold) recurrent layer. */
  readonly lsnnNeurons: number;
  /** Neurons of the plain LIF recurrent layer. */
  readonly lifNeurons: number;
  /** Inverse adaptation time constant of the LSNN thresholds, 1/s: long enough to span the gap between store and recall. */
  readonly tauAdaptInv: number;
  /** Jump of an LSNN neuron's threshold at each of its spikes. */
  readonly beta: number;
  /**
   * Width parameter α of the SuperSpike surrogate gradient of both layers, 1/(α·|v − θ| + 1)². Norse's
   * default of 100 passes gradient only to neurons within a few hundredths of their threshold; a wider
   * surrogate lets the rarely-spiking memory neurons learn.
   */
  readonly alpha: number;
  /**
   * Factor on the initial input weights of both layers. The recurrent cells draw them from
   * N(0, 2/hidden) as Norse does; a few Poisson inputs through weights that small leave the membranes
   * below threshold, and a silent layer has no surrogate gradient to learn from.
   */
  readonly inputWeightScale: number;
  /**
   * Gain on the readout's input current. The LI readout settles at v ≈ its input current, so a small
   * gain would leave the two class voltages close together and softmax cross-entropy slow to learn.
   */
  readonly readoutScale: number;
}

/** Readout units: one per value of the stored bit. */
export const OUTPUTS = 2;

/** What the network did over a sequence; every tensor [T, B, ...] is owned by the caller. */
export interface NetworkOutput {
  /** Readout voltage [T, B, 2]. */
  readonly readout: Tensor;
  /** LSNN spikes [T, B, lsnnNeurons]. */
  readonly lsnnSpikes: Tensor;
  /** LIF spikes [T, B, lifNeurons]. */
  readonly lifSpikes: Tensor;
}

/** `NetworkOutput` plus the LSNN's adaptive thresholds b [T, B, lsnnNeurons], for the figures. */
export interface NetworkRecording extends NetworkOutput {
  /** The LSNN thresholds after every step. */
  readonly thresholds: Tensor;
}

function checkConfig(owner: string, config: NetworkConfig): void {
  for (const key of ['inputs', 'lsnnNeurons', 'lifNeurons'] as const) {
    assertFiniteNumber(owner, `config.${key}`, config[key], { integer: true, min: 1 });
  }
  assertFiniteNumber(owner, 'config.tauAdaptInv', config.tauAdaptInv, { min: 0 });
  assertFiniteNumber(owner, 'config.beta', config.beta, { min: 0 });
  assertFiniteNumber(owner, 'config.alpha', config.alpha, { min: Number.MIN_VALUE });
  assertFiniteNumber(owner, 'config.inputWeightScale', config.inputWeightScale, { min: 0 });
  assertFiniteNumber(owner, 'config.readoutScale', config.readoutScale, { min: 0 });
}

/** The LSNN + LIF recurrent network with an LI readout; `forward(spikes [T, B, inputs])`. */
export class MemoryNetwork extends Module {
  /** The configuration it was built with. */
  readonly config: NetworkConfig;
  private readonly lsnn: LSNNRecurrent;
  private readonly lif: LIFRecurrent;
  private readonly readoutWeights: Variable;
  private readonly readout: LI;
  /**
   * The LSNN cell lifted a second time, with `recordStates`, to read the thresholds b for the figures.
   * It is not registered as a child (its cell is the LSNN layer's, already listed once) and never
   * disposed: it owns no tensor of its own, and disposing it would dispose the shared cell.
   */
  private readonly lsnnRecorder: Lift<LSNNState>;

  /** `seed` fixes the initial weights (each layer draws from its own derived seed). */
  constructor(config: NetworkConfig, seed = 0) {
    super('MemoryNetwork');
    const owner = 'MemoryNetwork';
    if (typeof config !== 'object' || config === null) throw argumentError(owner, 'config', 'a NetworkConfig object', config);
    checkConfig(owner, config);
    assertFiniteNumber(owner, 'seed', seed, { integer: true });
    this.config = Object.freeze({ ...config });
    const { inputs, lsnnNeurons, lifNeurons, tauAdaptInv, beta, alpha } = this.config;
    this.lsnn = this.addModule('lsnn', new LSNNRecurrent(inputs, lsnnNeurons, { tauAdaptInv, beta, alpha }, { seed: seed + 1 }));
    this.lif = this.addModule('lif', new LIFRecurrent(inputs, lifNeurons, { alpha }, { seed: seed + 3 }));
    for (const cell of [this.lsnn.cell, this.lif.cell]) {
      cell.inputWeights.assign(tidy(() => tf.mul(cell.inputWeights, this.config.inputWeightScale)));
    }
    const hidden = lsnnNeurons + lifNeurons;
    // PyTorch's default for a linear layer, U(±1/√fan-in): the readout starts near zero and unbiased.
    const bound = 1 / Math.sqrt(hidden);
    this.readoutWeights = this.addWeight('readoutWeights', tf.randomUniform([hidden, OUTPUTS], -bound, bound, 'float32', seed + 5));
    this.readout = this.addModule('readout', new LI());
    this.lsnnRecorder = new Lift<LSNNState>(this.lsnn.cell, { recordStates: true });
  }

  private checkInput(fn: string, input: unknown): asserts input is Tensor {
    assertTensor(fn, 'input', input, { rank: 3, dtype: ['float32'] });
    if (input.shape[2] !== this.config.inputs) {
      throw argumentError(fn, 'input', `spikes of shape [T, B, ${this.config.inputs}]`, `shape [${input.shape.join(', ')}]`, true);
    }
    if (input.shape[0] === 0 || input.shape[1] === 0) throw argumentError(fn, 'input', 'at least one time step and one sample', `shape [${input.shape.join(', ')}]`, true);
  }

  /** Spikes of both layers → readout voltage [T, B, 2]. */
  private readOut(lsnnSpikes: Tensor, lifSpikes: Tensor): Tensor {
    const [t, b] = lsnnSpikes.shape as [number, number, number];
    const z = tf.concat([lsnnSpikes, lifSpikes], 2);
    const current = tf.matMul(tf.reshape(z, [t * b, z.shape[2]!]), this.readoutWeights);
    const [v] = this.readout.forward(tf.reshape(tf.mul(current, this.config.readoutScale), [t, b, OUTPUTS]));
    return v;
  }

  /** Runs the network over `input` spikes [T, B, inputs]: readout voltage and each layer's spikes. */
  forward(input: Tensor): NetworkOutput {
    this.assertLive();
    this.checkInput(`${this.name}.forward`, input);
    return tidy(() => {
      const [lsnnSpikes] = this.lsnn.forward(input);
      const [lifSpikes] = this.lif.forward(input);
      return { readout: this.readOut(lsnnSpikes, lifSpikes), lsnnSpikes, lifSpikes };
    });
  }

  /** As `forward`, and also the LSNN thresholds b after every step (slower: every state is kept). For figures, not training. */
  record(input: Tensor): NetworkRecording {
    this.assertLive('record');
    this.checkInput(`${this.name}.record`, input);
    return tidy(() => {
      const [lsnnSpikes, states] = this.lsnnRecorder.forward(input);
      const [lifSpikes] = this.lif.forward(input);
      return { readout: this.readOut(lsnnSpikes, lifSpikes), lsnnSpikes, lifSpikes, thresholds: states.b };
    });
  }
}
