/**
 * LIFBox modules: leaky integrate-and-fire neurons without a synaptic current — the input acts on
 * the membrane for one step only (@snn/functional's `lifBox*Step`):
 *
 *     v' = v + dt·τ_mem⁻¹·((x + v_leak) − v);   z = Θ(v' − v_th);   v'' = reset(z, v')
 *
 * (x: the input, or x·W_inᵀ + z·W_recᵀ when recurrent; `resetMethod` 'value' or 'subtract').
 * `LIFBoxCell` / `LIFBoxRecurrentCell` take one step, `LIFBox` / `LIFBoxRecurrent` run a sequence.
 */
import {
  lifBoxRecurrentIntegral,
  lifBoxFeedForwardIntegral,
  lifBoxFeedForwardInitialState, lifBoxFeedForwardStep, lifBoxInitialState, lifBoxParameters, lifBoxStep,
  type LIFBoxFeedForwardState, type LIFBoxParameters, type LIFBoxState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LIFBox model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_BOX_MODEL: FeedForwardModel<LIFBoxParameters, LIFBoxFeedForwardState> = Object.freeze({
  name: 'LIFBox',
  parameters: (p: Partial<LIFBoxParameters> | undefined, fn: string) => lifBoxParameters(p, fn),
  initialState: (shape: readonly number[], p: LIFBoxParameters) => lifBoxFeedForwardInitialState(shape, p),
  step: lifBoxFeedForwardStep,
  integral: lifBoxFeedForwardIntegral,
});

/** The LIFBox model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_BOX_RECURRENT_MODEL: RecurrentModel<LIFBoxParameters, LIFBoxState> = Object.freeze({
  name: 'LIFBox',
  parameters: (p: Partial<LIFBoxParameters> | undefined, fn: string) => lifBoxParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFBoxParameters) => lifBoxInitialState(batch, hidden, p),
  step: lifBoxStep,
  integral: lifBoxRecurrentIntegral,
});

/**
 * One LIFBox step: `new LIFBoxCell({ tauMemInv: 200 }).forward(current, state?) → [spikes, state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `LIFBoxFeedForwardState` (v) of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class LIFBoxCell extends FeedForwardCell<LIFBoxParameters, LIFBoxFeedForwardState> {
  /**
   * @param p the LIFBox parameters (`Partial<LIFBoxParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_LIF_BOX_PARAMETERS` = `{ tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100,
   *   resetMethod: 'value' }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may
   *   be a tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: Partial<LIFBoxParameters> = {}, options: CellOptions<LIFBoxParameters> = {}) {
    super(LIF_BOX_MODEL, p, options);
  }
}

/**
 * One recurrent LIFBox step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LIFBoxState` (v, z) of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LIFBoxRecurrentCell extends RecurrentCell<LIFBoxParameters, LIFBoxState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFBox parameters (`Partial<LIFBoxParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_LIF_BOX_PARAMETERS` = `{ tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100,
   *   resetMethod: 'value' }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may
   *   be a tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFBoxParameters> = {}, options: RecurrentCellOptions<LIFBoxParameters> = {}) {
    super(LIF_BOX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * LIFBox neurons over a sequence [T, B, ...]: `new LIFBox().forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `LIFBoxFeedForwardState` (v) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. The whole loop runs as one fused kernel where the
 * backend has one (see `Lift`).
 */
export class LIFBox extends FeedForwardSequence<LIFBoxParameters, LIFBoxFeedForwardState> {
  /**
   * @param p the LIFBox parameters (`Partial<LIFBoxParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_LIF_BOX_PARAMETERS` = `{ tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100,
   *   resetMethod: 'value' }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may
   *   be a tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: Partial<LIFBoxParameters> = {}, options: CellOptions<LIFBoxParameters> & SequenceOptions = {}) {
    super(LIF_BOX_MODEL, p, options);
  }
}

/**
 * Recurrent LIFBox neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LIFBoxState` (v, z) with [B, …] fields (every step's, stacked, with `recordStates`); without
 * `state` the layer starts from rest. The whole loop runs as one fused kernel where the backend has one (see `Lift`).
 */
export class LIFBoxRecurrent extends RecurrentSequence<LIFBoxParameters, LIFBoxState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFBox parameters (`Partial<LIFBoxParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_LIF_BOX_PARAMETERS` = `{ tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100,
   *   resetMethod: 'value' }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may
   *   be a tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFBoxParameters> = {}, options: RecurrentCellOptions<LIFBoxParameters> & SequenceOptions = {}) {
    super(LIF_BOX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
