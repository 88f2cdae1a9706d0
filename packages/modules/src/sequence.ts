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

/** A feed-forward cell lifted over time. */
export class FeedForwardSequence<P extends object, S extends object> extends Lift<S> {
  /** The cell run at every step. */
  readonly cell: FeedForwardCell<P, S>;
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

/** A recurrent cell lifted over time; input [T, B, inputSize]. */
export class RecurrentSequence<P extends object, S extends object> extends Lift<S> {
  /** The recurrent cell run at every step (it holds the weights). */
  readonly cell: RecurrentCell<P, S>;
  constructor(model: RecurrentModel<P, S>, inputSize: number, hiddenSize: number, p: Partial<P> = {}, options: RecurrentCellOptions<P> & SequenceOptions = {}) {
    const cell = new RecurrentCell(model, inputSize, hiddenSize, p, { ...options, name: options.name ? `${options.name}Cell` : undefined });
    super(cell, { recordStates: options.recordStates ?? false });
    this.cell = cell;
  }
}
