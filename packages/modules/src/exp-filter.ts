/**
 * Exponential smoothing of a layer's read-out, as Norse's `ExpFilter`: a linear map followed by a
 * first-order low-pass filter over time,
 *
 *     u_t = W x_t + b,    y_0 = u_0,    y_t = a·y_{t−1} + u_t,    a = exp(−dt · τ_filter⁻¹)
 *
 * which turns spike trains into smooth traces. `ExpFilter` filters a whole sequence [T, …, in] (the
 * functional `expFilter`); `ExpFilterCell` takes one step (`expFilterStep`, its state `{ y }`) so that it
 * can sit in a `SequentialState`. W is [out, in] (`x @ Wᵀ`, as snn-ts's other weights) and is drawn like PyTorch's
 * `Linear`, W, b ~ U(−1/√in, 1/√in).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { expFilter, expFilterStep } from '@snn/functional';
import { argumentError, assertDt, assertFiniteNumber, assertTensor, tidy } from '@snn/tensor';
import { Module } from './module.js';

/** Options of `ExpFilter` and `ExpFilterCell`. */
export interface ExpFilterOptions {
  /** Inverse filter time constant in 1/s (default 1000: a = e⁻¹ at dt = 1 ms). */
  readonly tauFilterInv?: number;
  /** Time step in seconds (default 0.001). */
  readonly dt?: number;
  /** Initial weights [output, input] instead of random ones (copied). */
  readonly inputWeights?: Tensor;
  /** Add a learned bias (default true). */
  readonly bias?: boolean;
  /** Seed for the random initialisation. */
  readonly seed?: number;
  /** A name for error messages and variable names. */
  readonly name?: string;
}

/** The linear map and the decay shared by both filter modules. */
abstract class ExpFilterBase extends Module {
  /** The filter's decay a = exp(−dt · τ_filter⁻¹). */
  readonly parameter: number;
  /** Weights [output, input], trainable. */
  readonly inputWeights: Variable;
  /** Bias [output], trainable, unless `bias: false`. */
  readonly bias: Variable | undefined;

  /**
   * @param inputSize   features of the input's last axis
   * @param outputSize  features of the output's last axis
   * @param options     time constant, initial weights, bias, seed, name
   */
  protected constructor(readonly inputSize: number, readonly outputSize: number, options: ExpFilterOptions) {
    super(options?.name);
    if (typeof options !== 'object' || options === null) throw argumentError(this.name, 'options', 'an object', options);
    assertFiniteNumber(this.name, 'inputSize', inputSize, { integer: true, min: 1 });
    assertFiniteNumber(this.name, 'outputSize', outputSize, { integer: true, min: 1 });
    const tauFilterInv = options.tauFilterInv ?? 1e3;
    assertFiniteNumber(this.name, 'options.tauFilterInv', tauFilterInv, { min: 0 });
    const dt = options.dt ?? 1e-3;
    assertDt(this.name, dt, 'options.dt');
    if (options.seed !== undefined) assertFiniteNumber(this.name, 'options.seed', options.seed, { integer: true });
    if (options.inputWeights !== undefined) assertTensor(this.name, 'options.inputWeights', options.inputWeights, { shape: [outputSize, inputSize] });
    if (options.bias !== undefined && typeof options.bias !== 'boolean') throw argumentError(this.name, 'options.bias', 'a boolean', options.bias);
    this.parameter = Math.exp(-dt * tauFilterInv);
    const bound = 1 / Math.sqrt(inputSize);
    this.inputWeights = this.addWeight('inputWeights', options.inputWeights
      ? tf.clone(options.inputWeights)
      : tf.randomUniform([outputSize, inputSize], -bound, bound, 'float32', options.seed));
    this.bias = options.bias === false
      ? undefined
      : this.addWeight('bias', tf.randomUniform([outputSize], -bound, bound, 'float32', options.seed === undefined ? undefined : options.seed + 1));
  }

  /** u = x Wᵀ + b over any leading axes: [..., in] → [..., out]. */
  protected linear(x: Tensor): Tensor {
    const lead = x.shape.slice(0, -1);
    const flat = tf.reshape(x, [-1, this.inputSize]);
    const u = tf.matMul(flat, this.inputWeights, false, true);
    return tf.reshape(this.bias ? tf.add(u, this.bias) : u, [...lead, this.outputSize]);
  }
}

/**
 * Filters a sequence: `forward([T, …, inputSize]) → [T, …, outputSize]`.
 *
 * y_t = a·y_{t−1} + W x_t + b, with y_0 = W x_0 + b: an exponentially decaying sum of the linearly mapped inputs
 * (Norse's `ExpFilter`).
 */
export class ExpFilter extends ExpFilterBase {
  /**
   * @param inputSize features of the input's last axis
   * @param outputSize features of the output's last axis: the weights are [outputSize, inputSize]
   * @param options `tauFilterInv`, the inverse filter time constant in 1/s (default 1000: the decay a = e⁻¹ per step
   *   at dt = 1 ms); `dt` in seconds (default 0.001); `inputWeights`, initial weights [outputSize, inputSize]
   *   (copied; default random, seeded by `seed`); `bias`, add a learned bias (default true); `name`
   */
  constructor(inputSize: number, outputSize: number, options: ExpFilterOptions = {}) {
    super(inputSize, outputSize, options);
  }

  /** Filters the sequence `input` ([T, …, inputSize]) from y = 0, step by step: y ← a·y + W·x + b. */
  forward(input: Tensor): Tensor {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'input', input, { minRank: 2 });
    if (input.shape[0] === 0 || input.shape[input.rank - 1] !== this.inputSize) {
      throw argumentError(fn, 'input', `a sequence [T ≥ 1, ..., ${this.inputSize}]`, input);
    }
    return tidy(() => expFilter(this.linear(input), this.parameter));
  }
}

/** The state of an `ExpFilterCell`: the last filtered output. */
export interface ExpFilterState {
  /** The filter's output at the last step. */
  readonly y: Tensor;
}

/**
 * One filter step: `forward(x [..., inputSize], state?) → [y', { y: y' }]` with y' = a·y + W x + b
 * (y' = W x + b at the first step, when the state is omitted).
 */
export class ExpFilterCell extends ExpFilterBase {
  /** Marks the module as stateful, so that `Lift` and `SequentialState` thread its state. */
  readonly stateful = true as const;

  /**
   * @param inputSize features of the input's last axis
   * @param outputSize features of the output's last axis: the weights are [outputSize, inputSize]
   * @param options `tauFilterInv`, the inverse filter time constant in 1/s (default 1000: the decay a = e⁻¹ per step
   *   at dt = 1 ms); `dt` in seconds (default 0.001); `inputWeights`, initial weights [outputSize, inputSize]
   *   (copied; default random, seeded by `seed`); `bias`, add a learned bias (default true); `name`
   */
  constructor(inputSize: number, outputSize: number, options: ExpFilterOptions = {}) {
    super(inputSize, outputSize, options);
  }

  /** One filter step of `input` ([…, inputSize]); returns `[y', { y: y' }]`, from y = 0 when `state` is omitted. */
  forward(input: Tensor, state?: ExpFilterState): [Tensor, ExpFilterState] {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'input', input, { minRank: 1 });
    if (input.shape[input.rank - 1] !== this.inputSize) throw argumentError(fn, 'input', `a tensor [..., ${this.inputSize}]`, input);
    const outShape = [...input.shape.slice(0, -1), this.outputSize];
    if (state !== undefined) {
      if (typeof state !== 'object' || state === null) throw argumentError(fn, 'state', 'undefined or { y } as returned by forward', state);
      assertTensor(fn, 'state.y', state.y, { shape: outShape });
    }
    return tidy(() => {
      const u = this.linear(input);
      const y = state === undefined ? u : expFilterStep(state.y, u, this.parameter);
      return [y, { y }] as [Tensor, ExpFilterState];
    });
  }
}
