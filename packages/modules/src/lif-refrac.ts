/**
 * LIFRefrac modules: LIF neurons with an absolute refractory period of `rhoReset` steps
 * (@snn/functional's `lifRefrac*Step`): one LIF step, then
 *
 *     m = Θ(ρ);   v'' = (1 − m)·v' + m·v;   z'' = (1 − m)·z;   ρ' = (1 − z'')·relu(ρ − m) + z''·ρ_reset
 *
 * Parameters and state nest those of LIF: `{ lif: LIFParameters, rhoReset }`, `{ lif: { v, i }, rho }`
 * (recurrent: `{ lif: { z, v, i }, rho }`). Only top-level numeric parameters can be made trainable
 * (`trainable: ['rhoReset']`); the nested LIF ones stay fixed.
 * `LIFRefracCell` / `LIFRefracRecurrentCell` take one step, `LIFRefrac` / `LIFRefracRecurrent` run a sequence.
 */
import {
  lifRefracFeedForwardInitialState, lifRefracFeedForwardStep, lifRefracFeedForwardIntegral, lifRefracInitialState, lifRefracParameters, lifRefracStep,
  type LIFRefracFeedForwardState, type LIFRefracParameters, type LIFRefracState, type LIFRefracParametersInput,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LIFRefrac model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_REFRAC_MODEL: FeedForwardModel<LIFRefracParameters, LIFRefracFeedForwardState> = Object.freeze({
  name: 'LIFRefrac',
  parameters: (p: Partial<LIFRefracParameters> | undefined, fn: string) => lifRefracParameters(p as LIFRefracParametersInput, fn),
  initialState: (shape: readonly number[], p: LIFRefracParameters) => lifRefracFeedForwardInitialState(shape, p),
  step: lifRefracFeedForwardStep,
  integral: lifRefracFeedForwardIntegral,
});

/** The LIFRefrac model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_REFRAC_RECURRENT_MODEL: RecurrentModel<LIFRefracParameters, LIFRefracState> = Object.freeze({
  name: 'LIFRefrac',
  parameters: (p: Partial<LIFRefracParameters> | undefined, fn: string) => lifRefracParameters(p as LIFRefracParametersInput, fn),
  initialState: (batch: number, hidden: number, p: LIFRefracParameters) => lifRefracInitialState(batch, hidden, p),
  step: lifRefracStep,
});

/** One LIFRefrac step: `new LIFRefracCell({ lif: { tauMemInv: 200 }, rhoReset: 3 }).forward(current, state?) → [spikes, state]`. */
export class LIFRefracCell extends FeedForwardCell<LIFRefracParameters, LIFRefracFeedForwardState> {
  constructor(p: LIFRefracParametersInput = {}, options: CellOptions<LIFRefracParameters> = {}) {
    super(LIF_REFRAC_MODEL, p as Partial<LIFRefracParameters>, options);
  }
}

/** One recurrent LIFRefrac step with its own input [hidden, input] and recurrent [hidden, hidden] weights. */
export class LIFRefracRecurrentCell extends RecurrentCell<LIFRefracParameters, LIFRefracState> {
  constructor(inputSize: number, hiddenSize: number, p: LIFRefracParametersInput = {}, options: RecurrentCellOptions<LIFRefracParameters> = {}) {
    super(LIF_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFRefracParameters>, options);
  }
}

/** LIFRefrac neurons over a sequence [T, B, ...]: `new LIFRefrac().forward(input) → [spikes, state]`. */
export class LIFRefrac extends FeedForwardSequence<LIFRefracParameters, LIFRefracFeedForwardState> {
  constructor(p: LIFRefracParametersInput = {}, options: CellOptions<LIFRefracParameters> & SequenceOptions = {}) {
    super(LIF_REFRAC_MODEL, p as Partial<LIFRefracParameters>, options);
  }
}

/** Recurrent LIFRefrac neurons over a sequence [T, B, inputSize]. */
export class LIFRefracRecurrent extends RecurrentSequence<LIFRefracParameters, LIFRefracState> {
  constructor(inputSize: number, hiddenSize: number, p: LIFRefracParametersInput = {}, options: RecurrentCellOptions<LIFRefracParameters> & SequenceOptions = {}) {
    super(LIF_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFRefracParameters>, options);
  }
}
