/**
 * LIFAdEx modules: adaptive exponential leaky integrate-and-fire neurons — the exponential onset of
 * LIFEx plus an adaptation current `a` that grows with the voltage and jumps at each spike
 * (@snn/functional's `lifAdEx*Step`):
 *
 *     i⁺ = i + x;   v' = v + dt·τ_mem⁻¹·((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T) + i⁺ − a)
 *     i' = i⁺ − dt·τ_syn⁻¹·i⁺;   a' = a + dt·τ_ada⁻¹·(a_c·(v − v_leak) − a)
 *     z = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset;   a'' = a' + z·b
 *
 * (x: the input, or x·W_inᵀ + z·W_recᵀ when recurrent).
 * `LIFAdExCell` / `LIFAdExRecurrentCell` take one step, `LIFAdEx` / `LIFAdExRecurrent` run a sequence.
 */
import {
  lifAdExFeedForwardInitialState, lifAdExFeedForwardStep, lifAdExFeedForwardIntegral, lifAdExInitialState, lifAdExParameters, lifAdExStep,
  type LIFAdExFeedForwardState, type LIFAdExParameters, type LIFAdExState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LIFAdEx model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_ADEX_MODEL: FeedForwardModel<LIFAdExParameters, LIFAdExFeedForwardState> = Object.freeze({
  name: 'LIFAdEx',
  parameters: (p: Partial<LIFAdExParameters> | undefined, fn: string) => lifAdExParameters(p, fn),
  initialState: (shape: readonly number[], p: LIFAdExParameters) => lifAdExFeedForwardInitialState(shape, p),
  step: lifAdExFeedForwardStep,
  integral: lifAdExFeedForwardIntegral,
});

/** The LIFAdEx model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_ADEX_RECURRENT_MODEL: RecurrentModel<LIFAdExParameters, LIFAdExState> = Object.freeze({
  name: 'LIFAdEx',
  parameters: (p: Partial<LIFAdExParameters> | undefined, fn: string) => lifAdExParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFAdExParameters) => lifAdExInitialState(batch, hidden, p),
  step: lifAdExStep,
});

/** One LIFAdEx step: `new LIFAdExCell({ adaptationSpike: 0.1 }).forward(current, state?) → [spikes, state]`. */
export class LIFAdExCell extends FeedForwardCell<LIFAdExParameters, LIFAdExFeedForwardState> {
  constructor(p: Partial<LIFAdExParameters> = {}, options: CellOptions<LIFAdExParameters> = {}) {
    super(LIF_ADEX_MODEL, p, options);
  }
}

/** One recurrent LIFAdEx step with its own input [hidden, input] and recurrent [hidden, hidden] weights. */
export class LIFAdExRecurrentCell extends RecurrentCell<LIFAdExParameters, LIFAdExState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFAdExParameters> = {}, options: RecurrentCellOptions<LIFAdExParameters> = {}) {
    super(LIF_ADEX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** LIFAdEx neurons over a sequence [T, B, ...]: `new LIFAdEx().forward(input) → [spikes, state]`. */
export class LIFAdEx extends FeedForwardSequence<LIFAdExParameters, LIFAdExFeedForwardState> {
  constructor(p: Partial<LIFAdExParameters> = {}, options: CellOptions<LIFAdExParameters> & SequenceOptions = {}) {
    super(LIF_ADEX_MODEL, p, options);
  }
}

/** Recurrent LIFAdEx neurons over a sequence [T, B, inputSize]. */
export class LIFAdExRecurrent extends RecurrentSequence<LIFAdExParameters, LIFAdExState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFAdExParameters> = {}, options: RecurrentCellOptions<LIFAdExParameters> & SequenceOptions = {}) {
    super(LIF_ADEX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
