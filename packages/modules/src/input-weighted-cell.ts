/**
 * Input-weighted cells: a feed-forward neuron model behind its own bias-free linear layer, as Norse's
 * `LILinearCell`. Such a step takes input weights but no recurrent ones —
 * `f(input, state, inputWeights, p, dt)` — so it fits neither descriptor of cell.ts; this cell is a
 * `FeedForwardCell` (trainable parameters, the resting state made from the input's shape) that also
 * owns `inputWeights` [hidden, input], drawn from N(0, 1/input) as Norse does. An input [..., input]
 * gives outputs and states [..., hidden].
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber, assertTensor } from '@snn/tensor';
import { FeedForwardCell, type CellOptions, type FeedForwardModel } from './cell.js';

/** How a neuron model with input weights (and no recurrent ones) plugs into an input-weighted cell. */
export interface InputWeightedModel<P extends object, S extends object> {
  /** The model's name ("LI"); the cell is called `${name}LinearCell` unless named. */
  readonly name: string;
  /** Merges and checks a partial parameter object (throws naming `fn`). */
  readonly parameters: (p: Partial<P> | undefined, fn: string) => P;
  /** The resting state of neurons of this shape ([..., hidden]). */
  readonly initialState: (shape: readonly number[], p: P) => S;
  /** One step of the functional model. */
  readonly step: (input: Tensor, state: S, inputWeights: Tensor, p: P, dt: number) => [Tensor, S];
  /**
   * The whole time loop over [T, ..., input] at once (the model's `…LinearIntegral`: one input product for
   * every step, the dynamics as one fused kernel where the backend has it). `Lift` uses it when present.
   */
  readonly integral?: (input: Tensor, state: S, inputWeights: Tensor, p: P, dt: number) => [Tensor, S];
}

/** Options of the input-weighted cells. */
export interface InputWeightedCellOptions<P> extends CellOptions<P> {
  /** Seed for the weight initialisation. */
  readonly seed?: number;
}

/**
 * A feed-forward cell with its own input weights: `forward(input [..., input], state?) → [output, state]`.
 *
 * Returns from `forward(input [B, inputSize], state?)` the output [B, hiddenSize] (`input @ inputWeightsᵀ` fed to the
 * model) and the new state.
 */
export class InputWeightedCell<P extends object, S extends object> extends FeedForwardCell<P, S> {
  /** Input features per step. */
  readonly inputSize: number;
  /** Neurons of the cell. */
  readonly hiddenSize: number;
  /** The input weights, [hidden, input]; the step computes `input @ inputWeightsᵀ`. */
  readonly inputWeights: Variable;

  /**
   * @param model the neuron model the cell steps, taking the input weights as its third argument
   * @param inputSize input features per step: the input is [..., inputSize], the weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the cell: the output and every state field are [..., hiddenSize]
   * @param p the neuron model's parameters (partial: a field left out keeps the model's default; a field may be a
   *   tensor, one value per neuron)
   * @param options `dt` the integration step in seconds (default 0.001), `trainable` parameter names to learn
   *   (default none), `name`, and `seed` of the weights' N(0, 1/inputSize) initialisation
   */
  constructor(model: InputWeightedModel<P, S>, inputSize: number, hiddenSize: number, p: Partial<P> = {}, options: InputWeightedCellOptions<P> = {}) {
    const owner = options.name ?? `${model.name}LinearCell`;
    assertFiniteNumber(owner, 'inputSize', inputSize, { integer: true, min: 1 });
    assertFiniteNumber(owner, 'hiddenSize', hiddenSize, { integer: true, min: 1 });
    if (options.seed !== undefined) assertFiniteNumber(owner, 'options.seed', options.seed, { integer: true });
    // The generic cell steps with (input, state, p, dt); the weights join in here, once they exist.
    const weights: { current?: Tensor } = {};
    const cellModel: FeedForwardModel<P, S> = {
      name: model.name,
      parameters: model.parameters,
      initialState: (shape, q) => model.initialState([...shape.slice(0, -1), hiddenSize], q),
      step: (input, state, q, dt) => model.step(input, state, weights.current!, q, dt),
      integral: model.integral ? (input, state, q, dt) => model.integral!(input, state, weights.current!, q, dt) : undefined,
    };
    super(cellModel, p, { ...options, name: owner });
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.inputWeights = this.addWeight('inputWeights', tf.randomNormal([hiddenSize, inputSize], 0, 1 / Math.sqrt(inputSize), 'float32', options.seed));
    weights.current = this.inputWeights;
  }

  /** The resting state for an input of `shape` ([..., input]), with state fields of shape [..., hidden]. */
  override initialState(shape: readonly number[]): S {
    return super.initialState(shape);
  }

  /** One step of input [..., inputSize]: `[output [..., hiddenSize], newState]`; without `state`, from rest. */
  override forward(input: Tensor, state?: S): [Tensor, S] {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'input', input, { minRank: 1 });
    if (input.shape[input.rank - 1] !== this.inputSize) throw argumentError(fn, 'input', `shape [..., ${this.inputSize}] (inputSize features)`, input);
    return super.forward(input, state);
  }

  /** A whole sequence [T, ..., inputSize] at once: `[outputs [T, ..., hiddenSize], finalState]` (see `FeedForwardCell.forwardSequence`). */
  override forwardSequence(input: Tensor, state?: S): [Tensor, S] | undefined {
    this.assertLive('forwardSequence');
    const fn = `${this.name}.forwardSequence`;
    assertTensor(fn, 'input', input, { minRank: 2 });
    if (input.shape[input.rank - 1] !== this.inputSize) throw argumentError(fn, 'input', `shape [T, ..., ${this.inputSize}] (inputSize features)`, input);
    return super.forwardSequence(input, state);
  }
}
