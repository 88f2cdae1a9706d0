/**
 * LIF modules: `LIFCell` (one step), `LIFRecurrentCell` (one step with input and recurrent weights),
 * `LIF` and `LIFRecurrent` (the same over a sequence). The dynamics are @snn/functional's `lif*Step`.
 */
import {
  lifFeedForwardIntegral, lifRecurrentIntegral,
  lifFeedForwardInitialState, lifFeedForwardStep, lifInitialState, lifParameters, lifStep, type LIFFeedForwardState,
  type LIFParameters, type LIFState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LIF model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_MODEL: FeedForwardModel<LIFParameters, LIFFeedForwardState> = Object.freeze({
  name: 'LIF',
  parameters: (p: Partial<LIFParameters> | undefined, fn: string) => lifParameters(p, fn),
  initialState: (shape: readonly number[], p: LIFParameters) => lifFeedForwardInitialState(shape, p),
  step: lifFeedForwardStep,
  integral: lifFeedForwardIntegral,
});

/** The LIF model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_RECURRENT_MODEL: RecurrentModel<LIFParameters, LIFState> = Object.freeze({
  name: 'LIF',
  parameters: (p: Partial<LIFParameters> | undefined, fn: string) => lifParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFParameters) => lifInitialState(batch, hidden, p),
  step: lifStep,
  integral: lifRecurrentIntegral,
});

/** One LIF step: `new LIFCell({ tauMemInv: 200 }).forward(current, state?) → [spikes, state]`. */
export class LIFCell extends FeedForwardCell<LIFParameters, LIFFeedForwardState> {
  constructor(p: Partial<LIFParameters> = {}, options: CellOptions<LIFParameters> = {}) {
    super(LIF_MODEL, p, options);
  }
}

/** One recurrent LIF step with its own input [hidden, input] and recurrent [hidden, hidden] weights. */
export class LIFRecurrentCell extends RecurrentCell<LIFParameters, LIFState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFParameters> = {}, options: RecurrentCellOptions<LIFParameters> = {}) {
    super(LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** LIF neurons over a sequence [T, B, ...]: `new LIF().forward(input) → [spikes, state]`. */
export class LIF extends FeedForwardSequence<LIFParameters, LIFFeedForwardState> {
  constructor(p: Partial<LIFParameters> = {}, options: CellOptions<LIFParameters> & SequenceOptions = {}) {
    super(LIF_MODEL, p, options);
  }
}

/** Recurrent LIF neurons over a sequence [T, B, inputSize]. */
export class LIFRecurrent extends RecurrentSequence<LIFParameters, LIFState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFParameters> = {}, options: RecurrentCellOptions<LIFParameters> & SequenceOptions = {}) {
    super(LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
