/**
 * IAF modules: integrate-and-fire neurons — a perfect integrator with a threshold, no leak and no time
 * constant (@snn/functional's `iaf*Step`; `dt` plays no part in the dynamics):
 *
 *     v' = v + x;   z = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset
 *
 * (x: the input, or x·W_inᵀ + z·W_recᵀ when recurrent). The resting state is v = 0.
 * `IAFCell` / `IAFRecurrentCell` take one step, `IAF` / `IAFRecurrent` run a sequence.
 */
import {
  iafFeedForwardInitialState, iafFeedForwardStep, iafFeedForwardIntegral, iafInitialState, iafParameters, iafStep,
  type IAFFeedForwardState, type IAFParameters, type IAFState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The IAF model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const IAF_MODEL: FeedForwardModel<IAFParameters, IAFFeedForwardState> = Object.freeze({
  name: 'IAF',
  parameters: (p: Partial<IAFParameters> | undefined, fn: string) => iafParameters(p, fn),
  initialState: (shape: readonly number[], p: IAFParameters) => iafFeedForwardInitialState(shape),
  step: iafFeedForwardStep,
  integral: iafFeedForwardIntegral,
});

/** The IAF model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const IAF_RECURRENT_MODEL: RecurrentModel<IAFParameters, IAFState> = Object.freeze({
  name: 'IAF',
  parameters: (p: Partial<IAFParameters> | undefined, fn: string) => iafParameters(p, fn),
  initialState: (batch: number, hidden: number, p: IAFParameters) => iafInitialState(batch, hidden),
  step: iafStep,
});

/** One IAF step: `new IAFCell({ vTh: 0.5 }).forward(current, state?) → [spikes, state]`. */
export class IAFCell extends FeedForwardCell<IAFParameters, IAFFeedForwardState> {
  constructor(p: Partial<IAFParameters> = {}, options: CellOptions<IAFParameters> = {}) {
    super(IAF_MODEL, p, options);
  }
}

/** One recurrent IAF step with its own input [hidden, input] and recurrent [hidden, hidden] weights. */
export class IAFRecurrentCell extends RecurrentCell<IAFParameters, IAFState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<IAFParameters> = {}, options: RecurrentCellOptions<IAFParameters> = {}) {
    super(IAF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** IAF neurons over a sequence [T, B, ...]: `new IAF().forward(input) → [spikes, state]`. */
export class IAF extends FeedForwardSequence<IAFParameters, IAFFeedForwardState> {
  constructor(p: Partial<IAFParameters> = {}, options: CellOptions<IAFParameters> & SequenceOptions = {}) {
    super(IAF_MODEL, p, options);
  }
}

/** Recurrent IAF neurons over a sequence [T, B, inputSize]. */
export class IAFRecurrent extends RecurrentSequence<IAFParameters, IAFState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<IAFParameters> = {}, options: RecurrentCellOptions<IAFParameters> & SequenceOptions = {}) {
    super(IAF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
