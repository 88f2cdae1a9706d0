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
  iafFeedForwardInitialState, iafFeedForwardStep, iafInitialState, iafParameters, iafStep,
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
});

/** The IAF model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const IAF_RECURRENT_MODEL: RecurrentModel<IAFParameters, IAFState> = Object.freeze({
  name: 'IAF',
  parameters: (p: Partial<IAFParameters> | undefined, fn: string) => iafParameters(p, fn),
  initialState: (batch: number, hidden: number, p: IAFParameters) => iafInitialState(batch, hidden),
  step: iafStep,
});

/**
 * One IAF step: `new IAFCell({ vTh: 0.5 }).forward(current, state?) → [spikes, state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `IAFFeedForwardState` (v) of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class IAFCell extends FeedForwardCell<IAFParameters, IAFFeedForwardState> {
  /**
   * @param p the IAF parameters (`Partial<IAFParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_IAF_PARAMETERS` = `{ vTh: 1, vReset: 0, method: 'super', alpha: 100 }`. A field may be a tensor (one
   *   value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: Partial<IAFParameters> = {}, options: CellOptions<IAFParameters> = {}) {
    super(IAF_MODEL, p, options);
  }
}

/**
 * One recurrent IAF step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `IAFState` (v, z) of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class IAFRecurrentCell extends RecurrentCell<IAFParameters, IAFState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the IAF parameters (`Partial<IAFParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_IAF_PARAMETERS` = `{ vTh: 1, vReset: 0, method: 'super', alpha: 100 }`. A field may be a tensor (one
   *   value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<IAFParameters> = {}, options: RecurrentCellOptions<IAFParameters> = {}) {
    super(IAF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * IAF neurons over a sequence [T, B, ...]: `new IAF().forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `IAFFeedForwardState` (v) with [B, …] fields (every step's, stacked, with `recordStates`);
 * without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class IAF extends FeedForwardSequence<IAFParameters, IAFFeedForwardState> {
  /**
   * @param p the IAF parameters (`Partial<IAFParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_IAF_PARAMETERS` = `{ vTh: 1, vReset: 0, method: 'super', alpha: 100 }`. A field may be a tensor (one
   *   value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: Partial<IAFParameters> = {}, options: CellOptions<IAFParameters> & SequenceOptions = {}) {
    super(IAF_MODEL, p, options);
  }
}

/**
 * Recurrent IAF neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `IAFState` (v, z) with [B, …] fields (every step's, stacked, with `recordStates`); without
 * `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class IAFRecurrent extends RecurrentSequence<IAFParameters, IAFState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the IAF parameters (`Partial<IAFParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_IAF_PARAMETERS` = `{ vTh: 1, vReset: 0, method: 'super', alpha: 100 }`. A field may be a tensor (one
   *   value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<IAFParameters> = {}, options: RecurrentCellOptions<IAFParameters> & SequenceOptions = {}) {
    super(IAF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
