/**
 * LIFEx modules: exponential leaky integrate-and-fire neurons, whose spike onset is an exponential
 * run-away above the threshold (@snn/functional's `lifEx*Step`):
 *
 *     i⁺ = i + x;   v' = v + dt·τ_mem⁻¹·((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T) + i⁺);   i' = i⁺ − dt·τ_syn⁻¹·i⁺
 *     z = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset
 *
 * (x: the input, or x·W_inᵀ + z·W_recᵀ when recurrent).
 * `LIFExCell` / `LIFExRecurrentCell` take one step, `LIFEx` / `LIFExRecurrent` run a sequence.
 */
import {
  lifExFeedForwardInitialState, lifExFeedForwardStep, lifExFeedForwardIntegral, lifExInitialState, lifExParameters, lifExStep,
  type LIFExFeedForwardState, type LIFExParameters, type LIFExState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LIFEx model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_EX_MODEL: FeedForwardModel<LIFExParameters, LIFExFeedForwardState> = Object.freeze({
  name: 'LIFEx',
  parameters: (p: Partial<LIFExParameters> | undefined, fn: string) => lifExParameters(p, fn),
  initialState: (shape: readonly number[], p: LIFExParameters) => lifExFeedForwardInitialState(shape, p),
  step: lifExFeedForwardStep,
  integral: lifExFeedForwardIntegral,
});

/** The LIFEx model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_EX_RECURRENT_MODEL: RecurrentModel<LIFExParameters, LIFExState> = Object.freeze({
  name: 'LIFEx',
  parameters: (p: Partial<LIFExParameters> | undefined, fn: string) => lifExParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFExParameters) => lifExInitialState(batch, hidden, p),
  step: lifExStep,
});

/** One LIFEx step: `new LIFExCell({ deltaT: 0.25 }).forward(current, state?) → [spikes, state]`. */
export class LIFExCell extends FeedForwardCell<LIFExParameters, LIFExFeedForwardState> {
  constructor(p: Partial<LIFExParameters> = {}, options: CellOptions<LIFExParameters> = {}) {
    super(LIF_EX_MODEL, p, options);
  }
}

/** One recurrent LIFEx step with its own input [hidden, input] and recurrent [hidden, hidden] weights. */
export class LIFExRecurrentCell extends RecurrentCell<LIFExParameters, LIFExState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFExParameters> = {}, options: RecurrentCellOptions<LIFExParameters> = {}) {
    super(LIF_EX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** LIFEx neurons over a sequence [T, B, ...]: `new LIFEx().forward(input) → [spikes, state]`. */
export class LIFEx extends FeedForwardSequence<LIFExParameters, LIFExFeedForwardState> {
  constructor(p: Partial<LIFExParameters> = {}, options: CellOptions<LIFExParameters> & SequenceOptions = {}) {
    super(LIF_EX_MODEL, p, options);
  }
}

/** Recurrent LIFEx neurons over a sequence [T, B, inputSize]. */
export class LIFExRecurrent extends RecurrentSequence<LIFExParameters, LIFExState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFExParameters> = {}, options: RecurrentCellOptions<LIFExParameters> & SequenceOptions = {}) {
    super(LIF_EX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
