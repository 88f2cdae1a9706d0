/**
 * Coupled cells: multi-compartment neuron models, whose step also takes a coupling matrix
 * `gCoupling` [N, N] between the N compartments (neurons) of a layer — `f(input, state, gCoupling, p, dt)`
 * or `f(input, state, W_in, W_rec, gCoupling, p, dt)`. The coupling is a weight of the cell: a
 * trainable variable, initialised from `options.gCoupling` (copied; the caller keeps its tensor) or,
 * as Norse does, drawn from N(0, 1/N). Otherwise these are the generic cells of cell.ts (trainable
 * parameters, the resting state made from the input, recurrent weights and autapse masking).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber, assertTensor } from '@snn/tensor';
import {
  FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel,
} from './cell.js';
import { Lift } from './lift.js';
import type { SequenceOptions } from './sequence.js';

/** How a feed-forward multi-compartment model plugs into a coupled cell. */
export interface CoupledFeedForwardModel<P extends object, S extends object> {
  /** The model's name, used in class names and error messages. */
  readonly name: string;
  /** Merges and checks a partial parameter object (throws naming `fn`). */
  readonly parameters: (p: Partial<P> | undefined, fn: string) => P;
  /** The resting state for an input of this shape. */
  readonly initialState: (shape: readonly number[], p: P) => S;
  /** One step of the functional model, with the coupling between compartments. */
  readonly step: (input: Tensor, state: S, gCoupling: Tensor, p: P, dt: number) => [Tensor, S];
}

/** How a recurrent multi-compartment model plugs into a coupled recurrent cell. */
export interface CoupledRecurrentModel<P extends object, S extends object> {
  /** The model's name, used in class names and error messages. */
  readonly name: string;
  /** Merges and checks a partial parameter object (throws naming `fn`). */
  readonly parameters: (p: Partial<P> | undefined, fn: string) => P;
  /** The resting state of `batch` × `hidden` neurons. */
  readonly initialState: (batch: number, hidden: number, p: P) => S;
  /** One recurrent step of the functional model, with the coupling between compartments. */
  readonly step: (input: Tensor, state: S, inputWeights: Tensor, recurrentWeights: Tensor, gCoupling: Tensor, p: P, dt: number) => [Tensor, S];
}

/** How the coupling of a multi-compartment cell starts. */
export interface CouplingOptions {
  /** The initial coupling [N, N] (`gCoupling[j, k]`: how compartment k drives j, in 1/s); default N(0, 1/N). */
  readonly gCoupling?: Tensor;
  /** Seed for the random initialisations. */
  readonly seed?: number;
}

/** Options of the coupled feed-forward cells and sequences. */
export type CoupledCellOptions<P> = CellOptions<P> & CouplingOptions;
/** Options of the coupled recurrent cells and sequences. */
export type CoupledRecurrentCellOptions<P> = RecurrentCellOptions<P> & CouplingOptions;

/** Checks the coupling options for `n` compartments before anything is allocated. */
function checkCoupling(owner: string, sizeName: string, n: unknown, options: CouplingOptions): asserts n is number {
  if (typeof options !== 'object' || options === null) throw argumentError(owner, 'options', 'an object', options);
  assertFiniteNumber(owner, sizeName, n, { integer: true, min: 1 });
  if (options.seed !== undefined) assertFiniteNumber(owner, 'options.seed', options.seed, { integer: true });
  if (options.gCoupling !== undefined) assertTensor(owner, 'options.gCoupling', options.gCoupling, { shape: [n, n] });
}

function initialCoupling(n: number, options: CouplingOptions, seed: number | undefined): Tensor {
  return options.gCoupling ? tf.clone(options.gCoupling) : tf.randomNormal([n, n], 0, 1 / Math.sqrt(n), 'float32', seed);
}

/**
 * A feed-forward multi-compartment cell over the last axis (`size` compartments) of its input.
 *
 * `forward(input [B, size], state?) → [spikes [B, size], state]`: the compartments' spikes and their new state;
 * without `state`, from rest.
 */
export class CoupledFeedForwardCell<P extends object, S extends object> extends FeedForwardCell<P, S> {
  /** Compartments: the size of the input's last axis. */
  readonly size: number;
  /** [size, size], trainable. */
  readonly gCoupling: Variable;

  /**
   * @param model the multi-compartment model the cell steps, taking the coupling as its third argument
   * @param size compartments: the size of the input's last axis; the coupling `gCoupling` is [size, size]
   * @param p the neuron model's parameters (partial: a field left out keeps the model's default; a field may be a
   *   tensor, one value per neuron)
   * @param options `dt` (seconds, default 0.001), `trainable`, `name`, `gCoupling` (the initial coupling in 1/s,
   *   default N(0, 1/size)) and `seed`
   */
  constructor(model: CoupledFeedForwardModel<P, S>, size: number, p: Partial<P> = {}, options: CoupledCellOptions<P> = {}) {
    const owner = options.name ?? `${model.name}Cell`;
    checkCoupling(owner, 'size', size, options);
    // The generic cell steps with (input, state, p, dt); the coupling joins in here, once it exists.
    const coupling: { current?: Tensor } = {};
    const cellModel: FeedForwardModel<P, S> = {
      name: model.name,
      parameters: model.parameters,
      initialState: model.initialState,
      step: (input, state, q, dt) => model.step(input, state, coupling.current!, q, dt),
    };
    super(cellModel, p, { ...options, name: owner });
    this.size = size;
    this.gCoupling = this.addWeight('gCoupling', initialCoupling(size, options, options.seed));
    coupling.current = this.gCoupling;
  }

  /** One step of input [..., size]: `[spikes, newState]`; without `state`, from rest. */
  override forward(input: Tensor, state?: S): [Tensor, S] {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'input', input, { minRank: 1 });
    if (input.shape[input.rank - 1] !== this.size) throw argumentError(fn, 'input', `shape [..., ${this.size}] (one value per compartment)`, input);
    return super.forward(input, state);
  }
}

/**
 * A recurrent multi-compartment cell: input and recurrent weights as `RecurrentCell`, plus `gCoupling` [hidden,
 * hidden].
 *
 * `forward(input [B, inputSize], state?) → [spikes [B, hiddenSize], state]`, as `RecurrentCell`.
 */
export class CoupledRecurrentCell<P extends object, S extends object> extends RecurrentCell<P, S> {
  /** [hidden, hidden], trainable. */
  readonly gCoupling: Variable;

  /**
   * @param model the multi-compartment model the cell steps
   * @param inputSize input features per step; the input weights are [hiddenSize, inputSize]
   * @param hiddenSize neurons (compartments) of the cell; the recurrent weights and the coupling are [hiddenSize,
   *   hiddenSize]
   * @param p the neuron model's parameters (partial: a field left out keeps the model's default; a field may be a
   *   tensor, one value per neuron)
   * @param options `dt` (seconds, default 0.001), `trainable`, `name`, `autapses` (default false), `gCoupling`
   *   (default N(0, 1/hiddenSize)) and `seed` (the input, recurrent and coupling weights use seed, seed + 1, seed +
   *   2)
   */
  constructor(
    model: CoupledRecurrentModel<P, S>, inputSize: number, hiddenSize: number, p: Partial<P> = {}, options: CoupledRecurrentCellOptions<P> = {},
  ) {
    const owner = options.name ?? `${model.name}RecurrentCell`;
    checkCoupling(owner, 'hiddenSize', hiddenSize, options);
    const coupling: { current?: Tensor } = {};
    const cellModel: RecurrentModel<P, S> = {
      name: model.name,
      parameters: model.parameters,
      initialState: model.initialState,
      step: (input, state, w, r, q, dt) => model.step(input, state, w, r, coupling.current!, q, dt),
    };
    super(cellModel, inputSize, hiddenSize, p, { ...options, name: owner });
    // The input and recurrent weights use seed and seed + 1.
    this.gCoupling = this.addWeight('gCoupling', initialCoupling(hiddenSize, options, options.seed === undefined ? undefined : options.seed + 2));
    coupling.current = this.gCoupling;
  }
}

/**
 * A coupled feed-forward cell lifted over time: input [T, ..., size].
 *
 * `forward(input [T, B, size], state?) → [spikes [T, B, size], state]`: the spikes of every step and the final state
 * (every step's with `recordStates`).
 */
export class CoupledFeedForwardSequence<P extends object, S extends object> extends Lift<S> {
  /** The cell run at every step. */
  readonly cell: CoupledFeedForwardCell<P, S>;
  /**
   * @param model the multi-compartment model
   * @param size compartments: the size of the input's last axis
   * @param p the neuron model's parameters (partial: a field left out keeps the model's default; a field may be a
   *   tensor, one value per neuron)
   * @param options the cell's options (`dt`, `trainable`, `name`, `gCoupling`, `seed`) and `recordStates` (default
   *   false)
   */
  constructor(model: CoupledFeedForwardModel<P, S>, size: number, p: Partial<P> = {}, options: CoupledCellOptions<P> & SequenceOptions = {}) {
    const cell = new CoupledFeedForwardCell(model, size, p, { ...options, name: options.name ? `${options.name}Cell` : undefined });
    super(cell, { recordStates: options.recordStates ?? false });
    this.cell = cell;
  }
}

/**
 * A coupled recurrent cell lifted over time: input [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [spikes [T, B, hiddenSize], state]`: the spikes of every step and the
 * final state (every step's with `recordStates`).
 */
export class CoupledRecurrentSequence<P extends object, S extends object> extends Lift<S> {
  /** The recurrent cell run at every step (it holds the weights). */
  readonly cell: CoupledRecurrentCell<P, S>;
  /**
   * @param model the multi-compartment model
   * @param inputSize input features per step
   * @param hiddenSize neurons (compartments) of the layer
   * @param p the neuron model's parameters (partial: a field left out keeps the model's default; a field may be a
   *   tensor, one value per neuron)
   * @param options the recurrent cell's options (`dt`, `trainable`, `name`, `autapses`, `gCoupling`, `seed`) and
   *   `recordStates` (default false)
   */
  constructor(
    model: CoupledRecurrentModel<P, S>, inputSize: number, hiddenSize: number, p: Partial<P> = {},
    options: CoupledRecurrentCellOptions<P> & SequenceOptions = {},
  ) {
    const cell = new CoupledRecurrentCell(model, inputSize, hiddenSize, p, { ...options, name: options.name ? `${options.name}Cell` : undefined });
    super(cell, { recordStates: options.recordStates ?? false });
    this.cell = cell;
  }
}
