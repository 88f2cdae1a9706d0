/**
 * Cells: one time step of a neuron model as a module that owns its trainable parameters (and, for
 * recurrent cells, its weights). Each neuron model describes itself once — how to merge its
 * parameters, make a resting state and take a step — and the generic cells below turn that
 * description into `LIFCell`, `LIFRecurrentCell`, … so that no model repeats this machinery.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { argumentError, assertDt, assertStableDt, assertFiniteNumber, assertTensor, isTensor, tidy } from '@snn/tensor';
import { Module } from './module.js';

/** How a feed-forward neuron model plugs into a cell. */
export interface FeedForwardModel<P extends object, S extends object> {
  /** The model's name, used in class names and error messages ("LIF"). */
  readonly name: string;
  /** Merges and checks a partial parameter object (throws naming `fn`). */
  readonly parameters: (p: Partial<P> | undefined, fn: string) => P;
  /** The resting state for an input of this shape (batch and neuron dimensions). */
  readonly initialState: (shape: readonly number[], p: P) => S;
  /** One step of the functional model. */
  readonly step: (input: Tensor, state: S, p: P, dt: number) => [Tensor, S];
  /**
   * The whole time loop over [T, ...] at once (the model's `…FeedForwardIntegral`), which runs as one
   * fused kernel where the backend has one registered. `Lift` and the sequence layers use it when present.
   */
  readonly integral?: (input: Tensor, state: S, p: P, dt: number) => [Tensor, S];
}

/** How a recurrent neuron model plugs into a recurrent cell. */
export interface RecurrentModel<P extends object, S extends object> {
  /** The model's name, used in class names and error messages ("LIF"). */
  readonly name: string;
  /** Merges and checks a partial parameter object (throws naming `fn`). */
  readonly parameters: (p: Partial<P> | undefined, fn: string) => P;
  /** The resting state of `batch` × `hidden` neurons. */
  readonly initialState: (batch: number, hidden: number, p: P) => S;
  /** One recurrent step of the functional model. */
  readonly step: (input: Tensor, state: S, inputWeights: Tensor, recurrentWeights: Tensor, p: P, dt: number) => [Tensor, S];
  /**
   * The whole time loop over [T, B, input] at once (the model's `…RecurrentIntegral`), which runs the
   * recurrence as one fused kernel where the backend has one registered. `Lift` and the sequence
   * layers use it when present.
   */
  readonly integral?: (input: Tensor, state: S, inputWeights: Tensor, recurrentWeights: Tensor, p: P, dt: number) => [Tensor, S];
}

/** Options of every cell and sequence layer. */
export interface CellOptions<P> {
  /** Integration time step in seconds (default 0.001). */
  readonly dt?: number;
  /**
   * Parameters to learn: each becomes a variable of this cell (initialised from the given value, a
   * scalar for a number) and receives gradients. The others stay fixed.
   */
  readonly trainable?: readonly (keyof P & string)[];
  /** A name for error messages and variable names. */
  readonly name?: string;
}

/** Something that steps with state: what `Lift`, the sequence layers and `SequentialState` drive. */
export interface StatefulModule<S = unknown> {
  /** Marks a module whose `forward` takes and returns a state. */
  readonly stateful: true;
  /** One step: the output and the new state; without a state, the module starts from rest. */
  forward(input: Tensor, state?: S): [Tensor, S];
}

/** True for modules whose forward takes and returns a state. */
export function isStateful(m: unknown): m is StatefulModule {
  return typeof m === 'object' && m !== null && (m as { stateful?: unknown }).stateful === true && typeof (m as StatefulModule).forward === 'function';
}

/** Holds the fixed and the trainable parameters of a cell; shared by both kinds of cell. */
class ParameterSet<P extends object> {
  readonly fixed: P;
  readonly variables = new Map<string, Variable>();
  /** Checks the trainable names (all of them, before anything is allocated). */
  static check(owner: string, fixed: object, trainable: readonly string[]): void {
    for (const key of trainable) {
      if (!(key in fixed)) throw argumentError(owner, 'options.trainable', `names of numeric parameters (${Object.keys(fixed).join(', ')})`, key);
      const value = (fixed as Record<string, unknown>)[key];
      if (typeof value !== 'number' && !isTensor(value)) throw argumentError(owner, `options.trainable (${key})`, 'a numeric parameter', value);
    }
  }
  constructor(owner: string, fixed: P, trainable: readonly string[], add: (name: string, t: Tensor) => Variable) {
    this.fixed = fixed;
    ParameterSet.check(owner, fixed, trainable);
    for (const key of trainable) {
      const value = (fixed as Record<string, unknown>)[key] as number | Tensor;
      const initial = typeof value === 'number' ? tf.scalar(value) : tf.clone(value);
      this.variables.set(key, add(key, initial));
    }
  }
  /** The parameters with every trainable field replaced by its variable. */
  current(): P {
    if (this.variables.size === 0) return this.fixed;
    const out: Record<string, unknown> = { ...(this.fixed as Record<string, unknown>) };
    for (const [k, v] of this.variables) out[k] = v;
    return out as P;
  }
}

function checkOptions<P>(owner: string, options: CellOptions<P>): number {
  if (typeof options !== 'object' || options === null) throw argumentError(owner, 'options', 'an object', options);
  const dt = options.dt ?? 1e-3;
  assertDt(owner, dt, 'options.dt');
  if (options.trainable !== undefined && !Array.isArray(options.trainable)) throw argumentError(owner, 'options.trainable', 'an array of parameter names', options.trainable);
  return dt;
}

/**
 * A feed-forward cell: `forward(input, state?) → [output, state]`; the resting state is created from the
 * input's shape when `state` is omitted.
 *
 * `forward(input [B, …], state?) → [output, state]`: the model's output (spikes for spiking models) and its new
 * state, both of the input's shape; without `state` the cell starts from the resting state. `forwardSequence(input
 * [T, B, …])` runs the model's integral over a whole sequence (one fused kernel where the backend has one).
 */
export class FeedForwardCell<P extends object, S extends object> extends Module implements StatefulModule<S> {
  /** Marks the module as stateful: `forward(input, state?) → [output, state]`, as `Lift` and `SequentialState` expect. */
  readonly stateful = true as const;
  /** Integration time step in seconds. */
  readonly dt: number;
  private readonly params: ParameterSet<P>;

  /**
   * @param model    the neuron model the cell steps
   * @param p        its parameters (partial: the others keep their defaults)
   * @param options  time step, trainable parameters, name
   */
  constructor(readonly model: FeedForwardModel<P, S>, p: Partial<P> = {}, options: CellOptions<P> = {}) {
    super(options.name ?? `${model.name}Cell`);
    this.dt = checkOptions(this.name, options);
    const fixed = model.parameters(p, this.name);
    // Refuse an unstable dt now rather than at the first step (the steps check again, with the model's own factors).
    assertStableDt(this.name, this.dt, fixed, [], 'options.dt');
    this.params = new ParameterSet(this.name, fixed, options.trainable ?? [], (n, t) => this.addWeight(n, t));
  }

  /** The parameters in use (trainable ones as their variables). */
  get parameters(): P {
    return this.params.current();
  }

  /** The resting state for an input of `shape`. */
  initialState(shape: readonly number[]): S {
    this.assertLive('initialState');
    return this.model.initialState(shape, this.params.fixed);
  }

  /** One step of the model: `[output, newState]`; without `state`, from the resting state for the input's shape. */
  forward(input: Tensor, state?: S): [Tensor, S] {
    this.assertLive();
    assertTensor(`${this.name}.forward`, 'input', input, { minRank: 1 });
    return tidy(() => this.model.step(input, state ?? this.model.initialState(input.shape, this.params.fixed), this.params.current(), this.dt));
  }

  /**
   * Runs a whole sequence [T, ...] through the model's integral (one fused kernel where the backend has
   * it); undefined when the model has no integral. Same result as stepping `forward` over time.
   */
  forwardSequence(input: Tensor, state?: S): [Tensor, S] | undefined {
    this.assertLive('forwardSequence');
    const integral = this.model.integral;
    if (!integral) return undefined;
    assertTensor(`${this.name}.forwardSequence`, 'input', input, { minRank: 2 });
    return tidy(() => integral(input, state ?? this.model.initialState(input.shape.slice(1), this.params.fixed), this.params.current(), this.dt));
  }
}

/** Options of the recurrent cells and sequences. */
export interface RecurrentCellOptions<P> extends CellOptions<P> {
  /** Let a neuron feed its own spikes back (default false: the diagonal of the recurrent weights stays 0). */
  readonly autapses?: boolean;
  /** Seed for the weight initialisation. */
  readonly seed?: number;
}

/**
 * A recurrent cell: owns `inputWeights` [hidden, input] and `recurrentWeights` [hidden, hidden], both
 * drawn from N(0, 2/hidden) as Norse does. Without autapses the recurrent diagonal is zeroed at
 * construction and masked at every step, so it stays exactly zero however the weights are trained.
 *
 * `forward(input [B, inputSize], state?) → [spikes [B, hiddenSize], state]`: the spikes and the new state ([B,
 * hiddenSize] fields); without `state` the cell starts from rest. Over a sequence: `Lift`, or the model's sequence
 * layer (`LIFRecurrent`, …).
 */
export class RecurrentCell<P extends object, S extends object> extends Module implements StatefulModule<S> {
  /** Marks the module as stateful: `forward(input, state?) → [output, state]`, as `Lift` and `SequentialState` expect. */
  readonly stateful = true as const;
  /** Integration time step in seconds. */
  readonly dt: number;
  /** Whether a neuron may feed its own spikes back (the recurrent diagonal is free). */
  readonly autapses: boolean;
  /** Input weights [hidden, input], trainable. */
  readonly inputWeights: Variable;
  /** Recurrent weights [hidden, hidden], trainable; the diagonal stays 0 without autapses. */
  readonly recurrentWeights: Variable;
  private readonly params: ParameterSet<P>;
  private readonly mask: Tensor | undefined;

  /**
   * @param model       the neuron model the cell steps
   * @param inputSize   input features per step
   * @param hiddenSize  neurons of the cell
   * @param p           their parameters (partial: the others keep their defaults)
   * @param options     time step, trainable parameters, autapses, seed, name
   */
  constructor(
    readonly model: RecurrentModel<P, S>, readonly inputSize: number, readonly hiddenSize: number,
    p: Partial<P> = {}, options: RecurrentCellOptions<P> = {},
  ) {
    super(options.name ?? `${model.name}RecurrentCell`);
    this.dt = checkOptions(this.name, options);
    assertFiniteNumber(this.name, 'inputSize', inputSize, { integer: true, min: 1 });
    assertFiniteNumber(this.name, 'hiddenSize', hiddenSize, { integer: true, min: 1 });
    if (options.seed !== undefined) assertFiniteNumber(this.name, 'options.seed', options.seed, { integer: true });
    const fixed = model.parameters(p, this.name);
    assertStableDt(this.name, this.dt, fixed, [], 'options.dt');
    ParameterSet.check(this.name, fixed, options.trainable ?? []);
    this.autapses = options.autapses ?? false;
    const std = Math.sqrt(2 / hiddenSize);
    const seed = options.seed;
    this.inputWeights = this.addWeight('inputWeights', tf.randomNormal([hiddenSize, inputSize], 0, std, 'float32', seed));
    const mask = this.autapses ? undefined : tf.tidy(() => tf.sub(1, tf.eye(hiddenSize)));
    const recurrent = tf.tidy(() => {
      const w = tf.randomNormal([hiddenSize, hiddenSize], 0, std, 'float32', seed === undefined ? undefined : seed + 1);
      return mask ? tf.mul(w, mask) : w;
    });
    this.recurrentWeights = this.addWeight('recurrentWeights', recurrent);
    this.mask = mask;
    this.params = new ParameterSet(this.name, fixed, options.trainable ?? [], (n, t) => this.addWeight(n, t));
  }

  /** The parameters in use (trainable ones as their variables). */
  get parameters(): P {
    return this.params.current();
  }

  /** The resting state of `batch` rows of this cell's neurons. */
  initialState(batch: number): S {
    this.assertLive('initialState');
    return this.model.initialState(batch, this.hiddenSize, this.params.fixed);
  }

  /** One recurrent step of input [batch, inputSize]: `[spikes, newState]`; without `state`, from rest. */
  forward(input: Tensor, state?: S): [Tensor, S] {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'input', input, { rank: 2 });
    if (input.shape[1] !== this.inputSize) throw argumentError(fn, 'input', `shape [batch, ${this.inputSize}]`, input);
    return tidy(() => {
      const s = state ?? this.model.initialState(input.shape[0]!, this.hiddenSize, this.params.fixed);
      return this.model.step(input, s, this.inputWeights, this.maskedRecurrentWeights(), this.params.current(), this.dt);
    });
  }

  /**
   * Runs a whole sequence [T, B, inputSize] through the model's integral (one fused kernel where the
   * backend has it; the autapse mask applied once for all steps); undefined when the model has none.
   * Same result as stepping `forward` over time.
   */
  forwardSequence(input: Tensor, state?: S): [Tensor, S] | undefined {
    this.assertLive('forwardSequence');
    const integral = this.model.integral;
    if (!integral) return undefined;
    const fn = `${this.name}.forwardSequence`;
    assertTensor(fn, 'input', input, { rank: 3 });
    if (input.shape[2] !== this.inputSize) throw argumentError(fn, 'input', `shape [T, batch, ${this.inputSize}]`, input);
    return tidy(() => {
      const s = state ?? this.model.initialState(input.shape[1]!, this.hiddenSize, this.params.fixed);
      return integral(input, s, this.inputWeights, this.maskedRecurrentWeights(), this.params.current(), this.dt);
    });
  }

  /** The recurrent weights as the steps use them: the diagonal masked to 0 without autapses. Call inside a tidy. */
  private maskedRecurrentWeights(): Tensor {
    return this.mask ? tf.mul(this.recurrentWeights, this.mask) : this.recurrentWeights;
  }

  override dispose(): void {
    this.mask?.dispose();
    super.dispose();
  }
}
