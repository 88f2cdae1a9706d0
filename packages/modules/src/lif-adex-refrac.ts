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

/**
 * One LIFAdExRefrac step: `new LIFAdExRefracCell({ lifAdEx: { adaptationSpike: 0.1 }, rhoReset: 3 }).forward(current,
 * state?) → [spikes, state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `LIFAdExRefracFeedForwardState` (lifAdEx, rho) of the same shape; without `state` the cell starts from rest. Step
 * it over time with `Lift`.
 */
export class LIFAdExRefracCell extends FeedForwardCell<LIFAdExRefracParameters, LIFAdExRefracFeedForwardState> {
  /**
   * @param p the LIFAdExRefrac parameters (`Partial<LIFAdExRefracParameters>`): a field left out keeps its default —
   *   the defaults are `DEFAULT_LIF_ADEX_REFRAC_PARAMETERS` = `{ lifAdEx: DEFAULT_LIF_ADEX_PARAMETERS, rhoReset: 5
   *   }`. A field may be a tensor (one value per neuron); those named in `options.trainable` become variables and are
   *   learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: LIFAdExRefracParametersInput = {}, options: CellOptions<LIFAdExRefracParameters> = {}) {
    super(LIF_ADEX_REFRAC_MODEL, p as Partial<LIFAdExRefracParameters>, options);
  }
}

/**
 * One recurrent LIFAdExRefrac step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LIFAdExRefracState` (lifAdEx, rho) of the same shape; without `state` the cell starts from rest. Step it over time
 * with `Lift`.
 */
export class LIFAdExRefracRecurrentCell extends RecurrentCell<LIFAdExRefracParameters, LIFAdExRefracState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFAdExRefrac parameters (`Partial<LIFAdExRefracParameters>`): a field left out keeps its default —
   *   the defaults are `DEFAULT_LIF_ADEX_REFRAC_PARAMETERS` = `{ lifAdEx: DEFAULT_LIF_ADEX_PARAMETERS, rhoReset: 5
   *   }`. A field may be a tensor (one value per neuron); those named in `options.trainable` become variables and are
   *   learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: LIFAdExRefracParametersInput = {}, options: RecurrentCellOptions<LIFAdExRefracParameters> = {}) {
    super(LIF_ADEX_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFAdExRefracParameters>, options);
  }
}

/**
 * LIFAdExRefrac neurons over a sequence [T, B, ...]: `new LIFAdExRefrac().forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `LIFAdExRefracFeedForwardState` (lifAdEx, rho) with [B, …] fields (every step's, stacked,
 * with `recordStates`); without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFAdExRefrac extends FeedForwardSequence<LIFAdExRefracParameters, LIFAdExRefracFeedForwardState> {
  /**
   * @param p the LIFAdExRefrac parameters (`Partial<LIFAdExRefracParameters>`): a field left out keeps its default —
   *   the defaults are `DEFAULT_LIF_ADEX_REFRAC_PARAMETERS` = `{ lifAdEx: DEFAULT_LIF_ADEX_PARAMETERS, rhoReset: 5
   *   }`. A field may be a tensor (one value per neuron); those named in `options.trainable` become variables and are
   *   learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: LIFAdExRefracParametersInput = {}, options: CellOptions<LIFAdExRefracParameters> & SequenceOptions = {}) {
    super(LIF_ADEX_REFRAC_MODEL, p as Partial<LIFAdExRefracParameters>, options);
  }
}

/**
 * Recurrent LIFAdExRefrac neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LIFAdExRefracState` (lifAdEx, rho) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFAdExRefracRecurrent extends RecurrentSequence<LIFAdExRefracParameters, LIFAdExRefracState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFAdExRefrac parameters (`Partial<LIFAdExRefracParameters>`): a field left out keeps its default —
   *   the defaults are `DEFAULT_LIF_ADEX_REFRAC_PARAMETERS` = `{ lifAdEx: DEFAULT_LIF_ADEX_PARAMETERS, rhoReset: 5
   *   }`. A field may be a tensor (one value per neuron); those named in `options.trainable` become variables and are
   *   learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: LIFAdExRefracParametersInput = {}, options: RecurrentCellOptions<LIFAdExRefracParameters> & SequenceOptions = {}) {
    super(LIF_ADEX_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFAdExRefracParameters>, options);
  }
}
