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
  lifExFeedForwardInitialState, lifExFeedForwardStep, lifExInitialState, lifExParameters, lifExStep,
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
});

/** The LIFEx model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_EX_RECURRENT_MODEL: RecurrentModel<LIFExParameters, LIFExState> = Object.freeze({
  name: 'LIFEx',
  parameters: (p: Partial<LIFExParameters> | undefined, fn: string) => lifExParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFExParameters) => lifExInitialState(batch, hidden, p),
  step: lifExStep,
});

/**
 * One LIFEx step: `new LIFExCell({ deltaT: 0.25 }).forward(current, state?) → [spikes, state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `LIFExFeedForwardState` (v, i) of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class LIFExCell extends FeedForwardCell<LIFExParameters, LIFExFeedForwardState> {
  /**
   * @param p the LIFEx parameters (`Partial<LIFExParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LIF_EX_PARAMETERS` = `{ deltaT: 0.5, tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0,
   *   method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A
   *   field may be a tensor (one value per neuron); those named in `options.trainable` become variables and are
   *   learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: Partial<LIFExParameters> = {}, options: CellOptions<LIFExParameters> = {}) {
    super(LIF_EX_MODEL, p, options);
  }
}

/**
 * One recurrent LIFEx step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LIFExState` (v, i, z) of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LIFExRecurrentCell extends RecurrentCell<LIFExParameters, LIFExState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFEx parameters (`Partial<LIFExParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LIF_EX_PARAMETERS` = `{ deltaT: 0.5, tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0,
   *   method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A
   *   field may be a tensor (one value per neuron); those named in `options.trainable` become variables and are
   *   learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFExParameters> = {}, options: RecurrentCellOptions<LIFExParameters> = {}) {
    super(LIF_EX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * LIFEx neurons over a sequence [T, B, ...]: `new LIFEx().forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `LIFExFeedForwardState` (v, i) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFEx extends FeedForwardSequence<LIFExParameters, LIFExFeedForwardState> {
  /**
   * @param p the LIFEx parameters (`Partial<LIFExParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LIF_EX_PARAMETERS` = `{ deltaT: 0.5, tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0,
   *   method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A
   *   field may be a tensor (one value per neuron); those named in `options.trainable` become variables and are
   *   learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: Partial<LIFExParameters> = {}, options: CellOptions<LIFExParameters> & SequenceOptions = {}) {
    super(LIF_EX_MODEL, p, options);
  }
}

/**
 * Recurrent LIFEx neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LIFExState` (v, i, z) with [B, …] fields (every step's, stacked, with `recordStates`); without
 * `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFExRecurrent extends RecurrentSequence<LIFExParameters, LIFExState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFEx parameters (`Partial<LIFExParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LIF_EX_PARAMETERS` = `{ deltaT: 0.5, tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0,
   *   method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A
   *   field may be a tensor (one value per neuron); those named in `options.trainable` become variables and are
   *   learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFExParameters> = {}, options: RecurrentCellOptions<LIFExParameters> & SequenceOptions = {}) {
    super(LIF_EX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
