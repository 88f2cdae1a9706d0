/**
 * Sequence layers: a cell run over the leading time axis, as Norse's `LIF`, `LIFRecurrent`, …
 * modules. `forward(input [T, B, ...], state?) → [outputs [T, B, ...], state]`; with `recordStates`
 * the second element holds every step's state, each field stacked over time.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { Lift } from './lift.js';

/** Options of the sequence layers (`LIF`, `LIFRecurrent`, …), besides the cell's. */
export interface SequenceOptions {
  /** Return every step's state (stacked over time) instead of the final one. */
  readonly recordStates?: boolean;
}

/**
 * A feed-forward cell lifted over time.
 *
 * `forward(input [T, B, …], state?) → [outputs [T, B, …], state]`: the model's output at every step and the final
 * state (every step's, each field stacked over time, with `recordStates`).
 */
export class FeedForwardSequence<P extends object, S extends object> extends Lift<S> {
  /** The cell run at every step. */
  readonly cell: FeedForwardCell<P, S>;
  /**
   * @param model the neuron model, as the feed-forward cells take it
   * @param p the neuron model's parameters (partial: a field left out keeps the model's default; a field may be a
   *   tensor, one value per neuron)
   * @param options the cell's options (`dt` in seconds, default 0.001; `trainable`; `name`) and `recordStates`
   *   (default false)
   */
  constructor(model: FeedForwardModel<P, S>, p: Partial<P> = {}, options: CellOptions<P> & SequenceOptions = {}) {
    const cell = new FeedForwardCell(model, p, { ...options, name: options.name ? `${options.name}Cell` : undefined });
    super(cell, { recordStates: options.recordStates ?? false });
    this.cell = cell;
  }
  /** Runs the cell over the first axis of `input` ([T, ...]); returns `[outputs, state]`, the outputs [T, ...]. */
  override forward(input: Tensor, state?: S): [Tensor, S] {
    return super.forward(input, state);
  }
}

/**
 * A recurrent cell lifted over time; input [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [spikes [T, B, hiddenSize], state]`: the spikes of every step and the
 * final state (every step's with `recordStates`).
 */
export class RecurrentSequence<P extends object, S extends object> extends Lift<S> {
  /** The recurrent cell run at every step (it holds the weights). */
  readonly cell: RecurrentCell<P, S>;
  /**
   * @param model the recurrent neuron model
   * @param inputSize input features per step; the input weights are [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer; the recurrent weights are [hiddenSize, hiddenSize]
   * @param p the neuron model's parameters (partial: a field left out keeps the model's default; a field may be a
   *   tensor, one value per neuron)
   * @param options the recurrent cell's options (`dt` in seconds, default 0.001; `trainable`; `name`; `autapses`,
   *   default false; `seed`) and `recordStates` (default false)
   */
  constructor(model: RecurrentModel<P, S>, inputSize: number, hiddenSize: number, p: Partial<P> = {}, options: RecurrentCellOptions<P> & SequenceOptions = {}) {
    const cell = new RecurrentCell(model, inputSize, hiddenSize, p, { ...options, name: options.name ? `${options.name}Cell` : undefined });
    super(cell, { recordStates: options.recordStates ?? false });
    this.cell = cell;
  }
}
