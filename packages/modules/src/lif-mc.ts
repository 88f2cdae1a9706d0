/**
 * Multi-compartment LIF modules: LIF neurons whose voltages are coupled linearly through a trainable
 * matrix `gCoupling` [N, N] owned by the cell (@snn/functional's `lifMC*Step`; see coupled-cell.ts
 * for its initialisation). With the coupling increment c(v) = dt·(v·gᵀ):
 *
 *     feed-forward:  v_c = v + c(v), then one LIF step from (v_c, i) with input x
 *     recurrent:     one LIF step with input x·W_inᵀ + z·W_recᵀ, then v'' = v' + c(v')
 *
 * `LIFMCCell(size)` / `LIFMCRecurrentCell(input, hidden)` take one step, `LIFMC(size)` /
 * `LIFMCRecurrent(input, hidden)` run a sequence.
 */
import {
  lifMCFeedForwardInitialState, lifMCFeedForwardStep, lifMCInitialState, lifMCStep, lifParameters,
  type LIFMCFeedForwardState, type LIFMCParameters, type LIFMCState,
} from '@snn/functional';
import {
  CoupledFeedForwardCell, CoupledFeedForwardSequence, CoupledRecurrentCell, CoupledRecurrentSequence, type CoupledCellOptions,
  type CoupledFeedForwardModel, type CoupledRecurrentCellOptions, type CoupledRecurrentModel,
} from './coupled-cell.js';
import type { SequenceOptions } from './sequence.js';

/** The LIFMC model in the form the coupled multi-compartment cell and sequence (`CoupledFeedForwardCell`, `CoupledFeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_MC_MODEL: CoupledFeedForwardModel<LIFMCParameters, LIFMCFeedForwardState> = Object.freeze({
  name: 'LIFMC',
  parameters: (p: Partial<LIFMCParameters> | undefined, fn: string) => lifParameters(p, fn),
  initialState: (shape: readonly number[], p: LIFMCParameters) => lifMCFeedForwardInitialState(shape, p),
  step: lifMCFeedForwardStep,
});

/** The LIFMC model in the form the coupled multi-compartment recurrent cell and sequence (`CoupledRecurrentCell`, `CoupledRecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_MC_RECURRENT_MODEL: CoupledRecurrentModel<LIFMCParameters, LIFMCState> = Object.freeze({
  name: 'LIFMC',
  parameters: (p: Partial<LIFMCParameters> | undefined, fn: string) => lifParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFMCParameters) => lifMCInitialState(batch, hidden, p),
  step: lifMCStep,
});

/**
 * One multi-compartment LIF step over `size` compartments: `new LIFMCCell(4).forward(current [..., 4], state?)`.
 *
 * `forward(input [B, size], state?) → [z, state]`: the spikes (0 or 1) [B, size], and the new state, a
 * `LIFMCFeedForwardState` of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class LIFMCCell extends CoupledFeedForwardCell<LIFMCParameters, LIFMCFeedForwardState> {
  /**
   * @param size compartments (neurons) of the layer: input, output and every state field are [B, size]; the coupling
   *   is [size, size]
   * @param p the LIFMC parameters (`Partial<LIFMCParameters>`): a field left out keeps its default — the others keep
   *   their defaults. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `gCoupling`, the initial coupling [size, size] between compartments in 1/s (default N(0, 1/size)); `seed`, of
   *   the random initialisations
   */
  constructor(size: number, p: Partial<LIFMCParameters> = {}, options: CoupledCellOptions<LIFMCParameters> = {}) {
    super(LIF_MC_MODEL, size, p, options);
  }
}

/**
 * One recurrent multi-compartment LIF step with input, recurrent and coupling weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LIFMCState` of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LIFMCRecurrentCell extends CoupledRecurrentCell<LIFMCParameters, LIFMCState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFMC parameters (`Partial<LIFMCParameters>`): a field left out keeps its default — the others keep
   *   their defaults. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `gCoupling`, the initial coupling [size, size] between compartments in
   *   1/s (default N(0, 1/size)); `seed`, of the random initialisations
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFMCParameters> = {}, options: CoupledRecurrentCellOptions<LIFMCParameters> = {}) {
    super(LIF_MC_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * Multi-compartment LIF neurons over a sequence [T, B, ..., size].
 *
 * `forward(input [T, B, size], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, size], and the final
 * state, a `LIFMCFeedForwardState` with [B, …] fields (every step's, stacked, with `recordStates`); without `state`
 * the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFMC extends CoupledFeedForwardSequence<LIFMCParameters, LIFMCFeedForwardState> {
  /**
   * @param size compartments (neurons) of the layer: input, output and every state field are [B, size]; the coupling
   *   is [size, size]
   * @param p the LIFMC parameters (`Partial<LIFMCParameters>`): a field left out keeps its default — the others keep
   *   their defaults. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `gCoupling`, the initial coupling [size, size] between compartments in 1/s (default N(0, 1/size)); `seed`, of
   *   the random initialisations; `recordStates`, return every step's state stacked over time [T, …] instead of the
   *   final one (default false)
   */
  constructor(size: number, p: Partial<LIFMCParameters> = {}, options: CoupledCellOptions<LIFMCParameters> & SequenceOptions = {}) {
    super(LIF_MC_MODEL, size, p, options);
  }
}

/**
 * Recurrent multi-compartment LIF neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LIFMCState` with [B, …] fields (every step's, stacked, with `recordStates`); without `state`
 * the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFMCRecurrent extends CoupledRecurrentSequence<LIFMCParameters, LIFMCState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFMC parameters (`Partial<LIFMCParameters>`): a field left out keeps its default — the others keep
   *   their defaults. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `gCoupling`, the initial coupling [size, size] between compartments in
   *   1/s (default N(0, 1/size)); `seed`, of the random initialisations; `recordStates`, return every step's state
   *   stacked over time [T, …] instead of the final one (default false)
   */
  constructor(
    inputSize: number, hiddenSize: number, p: Partial<LIFMCParameters> = {}, options: CoupledRecurrentCellOptions<LIFMCParameters> & SequenceOptions = {},
  ) {
    super(LIF_MC_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
