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
  lifRefracFeedForwardInitialState, lifRefracFeedForwardStep, lifRefracInitialState, lifRefracParameters, lifRefracStep,
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
});

/** The LIFRefrac model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_REFRAC_RECURRENT_MODEL: RecurrentModel<LIFRefracParameters, LIFRefracState> = Object.freeze({
  name: 'LIFRefrac',
  parameters: (p: Partial<LIFRefracParameters> | undefined, fn: string) => lifRefracParameters(p as LIFRefracParametersInput, fn),
  initialState: (batch: number, hidden: number, p: LIFRefracParameters) => lifRefracInitialState(batch, hidden, p),
  step: lifRefracStep,
});

/**
 * One LIFRefrac step: `new LIFRefracCell({ lif: { tauMemInv: 200 }, rhoReset: 3 }).forward(current, state?) →
 * [spikes, state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `LIFRefracFeedForwardState` (lif, rho) of the same shape; without `state` the cell starts from rest. Step it over
 * time with `Lift`.
 */
export class LIFRefracCell extends FeedForwardCell<LIFRefracParameters, LIFRefracFeedForwardState> {
  /**
   * @param p the LIFRefrac parameters (`Partial<LIFRefracParameters>`): a field left out keeps its default — the
   *   defaults are `DEFAULT_LIF_REFRAC_PARAMETERS` = `{ lif: DEFAULT_LIF_PARAMETERS, rhoReset: 5 }`. A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: LIFRefracParametersInput = {}, options: CellOptions<LIFRefracParameters> = {}) {
    super(LIF_REFRAC_MODEL, p as Partial<LIFRefracParameters>, options);
  }
}

/**
 * One recurrent LIFRefrac step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LIFRefracState` (lif, rho) of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class LIFRefracRecurrentCell extends RecurrentCell<LIFRefracParameters, LIFRefracState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFRefrac parameters (`Partial<LIFRefracParameters>`): a field left out keeps its default — the
   *   defaults are `DEFAULT_LIF_REFRAC_PARAMETERS` = `{ lif: DEFAULT_LIF_PARAMETERS, rhoReset: 5 }`. A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: LIFRefracParametersInput = {}, options: RecurrentCellOptions<LIFRefracParameters> = {}) {
    super(LIF_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFRefracParameters>, options);
  }
}

/**
 * LIFRefrac neurons over a sequence [T, B, ...]: `new LIFRefrac().forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `LIFRefracFeedForwardState` (lif, rho) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFRefrac extends FeedForwardSequence<LIFRefracParameters, LIFRefracFeedForwardState> {
  /**
   * @param p the LIFRefrac parameters (`Partial<LIFRefracParameters>`): a field left out keeps its default — the
   *   defaults are `DEFAULT_LIF_REFRAC_PARAMETERS` = `{ lif: DEFAULT_LIF_PARAMETERS, rhoReset: 5 }`. A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: LIFRefracParametersInput = {}, options: CellOptions<LIFRefracParameters> & SequenceOptions = {}) {
    super(LIF_REFRAC_MODEL, p as Partial<LIFRefracParameters>, options);
  }
}

/**
 * Recurrent LIFRefrac neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LIFRefracState` (lif, rho) with [B, …] fields (every step's, stacked, with `recordStates`);
 * without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFRefracRecurrent extends RecurrentSequence<LIFRefracParameters, LIFRefracState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFRefrac parameters (`Partial<LIFRefracParameters>`): a field left out keeps its default — the
   *   defaults are `DEFAULT_LIF_REFRAC_PARAMETERS` = `{ lif: DEFAULT_LIF_PARAMETERS, rhoReset: 5 }`. A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: LIFRefracParametersInput = {}, options: RecurrentCellOptions<LIFRefracParameters> & SequenceOptions = {}) {
    super(LIF_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFRefracParameters>, options);
  }
}
