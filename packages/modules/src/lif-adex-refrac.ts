/**
 * LIFAdExRefrac modules: adaptive exponential LIF neurons (see lif-adex.ts) with an absolute
 * refractory period of `rhoReset` steps (@snn/functional's `lifAdExRefrac*Step`): one LIFAdEx step, then
 *
 *     m = Θ(ρ);   v'' = (1 − m)·v' + m·v;   z'' = (1 − m)·z;   ρ' = (1 − z'')·relu(ρ − m) + z''·ρ_reset
 *
 * Parameters and state nest those of LIFAdEx: `{ lifAdEx: LIFAdExParameters, rhoReset }`,
 * `{ lifAdEx: { v, i, a }, rho }` (recurrent: `{ lifAdEx: { z, v, i, a }, rho }`). Only top-level
 * numeric parameters can be made trainable (`trainable: ['rhoReset']`); the nested ones stay fixed.
 * `LIFAdExRefracCell` / `LIFAdExRefracRecurrentCell` take one step, `LIFAdExRefrac` /
 * `LIFAdExRefracRecurrent` run a sequence.
 */
import {
  lifAdExRefracFeedForwardInitialState, lifAdExRefracFeedForwardStep, lifAdExRefracInitialState, lifAdExRefracParameters, lifAdExRefracStep,
  type LIFAdExRefracFeedForwardState, type LIFAdExRefracParameters, type LIFAdExRefracState, type LIFAdExRefracParametersInput,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LIFAdExRefrac model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_ADEX_REFRAC_MODEL: FeedForwardModel<LIFAdExRefracParameters, LIFAdExRefracFeedForwardState> = Object.freeze({
  name: 'LIFAdExRefrac',
  parameters: (p: Partial<LIFAdExRefracParameters> | undefined, fn: string) => lifAdExRefracParameters(p as LIFAdExRefracParametersInput, fn),
  initialState: (shape: readonly number[], p: LIFAdExRefracParameters) => lifAdExRefracFeedForwardInitialState(shape, p),
  step: lifAdExRefracFeedForwardStep,
});

/** The LIFAdExRefrac model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_ADEX_REFRAC_RECURRENT_MODEL: RecurrentModel<LIFAdExRefracParameters, LIFAdExRefracState> = Object.freeze({
  name: 'LIFAdExRefrac',
  parameters: (p: Partial<LIFAdExRefracParameters> | undefined, fn: string) => lifAdExRefracParameters(p as LIFAdExRefracParametersInput, fn),
  initialState: (batch: number, hidden: number, p: LIFAdExRefracParameters) => lifAdExRefracInitialState(batch, hidden, p),
  step: lifAdExRefracStep,
});

/** One LIFAdExRefrac step: `new LIFAdExRefracCell({ lifAdEx: { adaptationSpike: 0.1 }, rhoReset: 3 }).forward(current, state?) → [spikes, state]`. */
export class LIFAdExRefracCell extends FeedForwardCell<LIFAdExRefracParameters, LIFAdExRefracFeedForwardState> {
  constructor(p: LIFAdExRefracParametersInput = {}, options: CellOptions<LIFAdExRefracParameters> = {}) {
    super(LIF_ADEX_REFRAC_MODEL, p as Partial<LIFAdExRefracParameters>, options);
  }
}

/** One recurrent LIFAdExRefrac step with its own input [hidden, input] and recurrent [hidden, hidden] weights. */
export class LIFAdExRefracRecurrentCell extends RecurrentCell<LIFAdExRefracParameters, LIFAdExRefracState> {
  constructor(inputSize: number, hiddenSize: number, p: LIFAdExRefracParametersInput = {}, options: RecurrentCellOptions<LIFAdExRefracParameters> = {}) {
    super(LIF_ADEX_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFAdExRefracParameters>, options);
  }
}

/** LIFAdExRefrac neurons over a sequence [T, B, ...]: `new LIFAdExRefrac().forward(input) → [spikes, state]`. */
export class LIFAdExRefrac extends FeedForwardSequence<LIFAdExRefracParameters, LIFAdExRefracFeedForwardState> {
  constructor(p: LIFAdExRefracParametersInput = {}, options: CellOptions<LIFAdExRefracParameters> & SequenceOptions = {}) {
    super(LIF_ADEX_REFRAC_MODEL, p as Partial<LIFAdExRefracParameters>, options);
  }
}

/** Recurrent LIFAdExRefrac neurons over a sequence [T, B, inputSize]. */
export class LIFAdExRefracRecurrent extends RecurrentSequence<LIFAdExRefracParameters, LIFAdExRefracState> {
  constructor(inputSize: number, hiddenSize: number, p: LIFAdExRefracParametersInput = {}, options: RecurrentCellOptions<LIFAdExRefracParameters> & SequenceOptions = {}) {
    super(LIF_ADEX_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFAdExRefracParameters>, options);
  }
}
