/**
 * LIFBox modules: leaky integrate-and-fire neurons without a synaptic current — the input acts on
 * the membrane for one step only (@snn/functional's `lifBox*Step`):
 *
 *     v' = v + dt·τ_mem⁻¹·((x + v_leak) − v);   z = Θ(v' − v_th);   v'' = reset(z, v')
 *
 * (x: the input, or x·W_inᵀ + z·W_recᵀ when recurrent; `resetMethod` 'value' or 'subtract').
 * `LIFBoxCell` / `LIFBoxRecurrentCell` take one step, `LIFBox` / `LIFBoxRecurrent` run a sequence.
 */
import {
  lifBoxRecurrentIntegral,
  lifBoxFeedForwardIntegral,
  lifBoxFeedForwardInitialState, lifBoxFeedForwardStep, lifBoxInitialState, lifBoxParameters, lifBoxStep,
  type LIFBoxFeedForwardState, type LIFBoxParameters, type LIFBoxState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LIFBox model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_BOX_MODEL: FeedForwardModel<LIFBoxParameters, LIFBoxFeedForwardState> = Object.freeze({
  name: 'LIFBox',
  parameters: (p: Partial<LIFBoxParameters> | undefined, fn: string) => lifBoxParameters(p, fn),
  initialState: (shape: readonly number[], p: LIFBoxParameters) => lifBoxFeedForwardInitialState(shape, p),
  step: lifBoxFeedForwardStep,
  integral: lifBoxFeedForwardIntegral,
});

/** The LIFBox model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_BOX_RECURRENT_MODEL: RecurrentModel<LIFBoxParameters, LIFBoxState> = Object.freeze({
  name: 'LIFBox',
  parameters: (p: Partial<LIFBoxParameters> | undefined, fn: string) => lifBoxParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFBoxParameters) => lifBoxInitialState(batch, hidden, p),
  step: lifBoxStep,
  integral: lifBoxRecurrentIntegral,
});

/** One LIFBox step: `new LIFBoxCell({ tauMemInv: 200 }).forward(current, state?) → [spikes, state]`. */
export class LIFBoxCell extends FeedForwardCell<LIFBoxParameters, LIFBoxFeedForwardState> {
  constructor(p: Partial<LIFBoxParameters> = {}, options: CellOptions<LIFBoxParameters> = {}) {
    super(LIF_BOX_MODEL, p, options);
  }
}

/** One recurrent LIFBox step with its own input [hidden, input] and recurrent [hidden, hidden] weights. */
export class LIFBoxRecurrentCell extends RecurrentCell<LIFBoxParameters, LIFBoxState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFBoxParameters> = {}, options: RecurrentCellOptions<LIFBoxParameters> = {}) {
    super(LIF_BOX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** LIFBox neurons over a sequence [T, B, ...]: `new LIFBox().forward(input) → [spikes, state]`. */
export class LIFBox extends FeedForwardSequence<LIFBoxParameters, LIFBoxFeedForwardState> {
  constructor(p: Partial<LIFBoxParameters> = {}, options: CellOptions<LIFBoxParameters> & SequenceOptions = {}) {
    super(LIF_BOX_MODEL, p, options);
  }
}

/** Recurrent LIFBox neurons over a sequence [T, B, inputSize]. */
export class LIFBoxRecurrent extends RecurrentSequence<LIFBoxParameters, LIFBoxState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFBoxParameters> = {}, options: RecurrentCellOptions<LIFBoxParameters> & SequenceOptions = {}) {
    super(LIF_BOX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
