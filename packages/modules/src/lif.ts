/**
 * LIF modules: `LIFCell` (one step), `LIFRecurrentCell` (one step with input and recurrent weights),
 * `LIF` and `LIFRecurrent` (the same over a sequence). The dynamics are @snn/functional's `lif*Step`.
 */
import {
  lifFeedForwardIntegral, lifRecurrentIntegral,
  lifFeedForwardInitialState, lifFeedForwardStep, lifInitialState, lifParameters, lifStep, type LIFFeedForwardState,
  type LIFParameters, type LIFState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LIF model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_MODEL: FeedForwardModel<LIFParameters, LIFFeedForwardState> = Object.freeze({
  name: 'LIF',
  parameters: (p: Partial<LIFParameters> | undefined, fn: string) => lifParameters(p, fn),
  initialState: (shape: readonly number[], p: LIFParameters) => lifFeedForwardInitialState(shape, p),
  step: lifFeedForwardStep,
  integral: lifFeedForwardIntegral,
});

/** The LIF model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_RECURRENT_MODEL: RecurrentModel<LIFParameters, LIFState> = Object.freeze({
  name: 'LIF',
  parameters: (p: Partial<LIFParameters> | undefined, fn: string) => lifParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFParameters) => lifInitialState(batch, hidden, p),
  step: lifStep,
  integral: lifRecurrentIntegral,
});

/**
 * One LIF step: `new LIFCell({ tauMemInv: 200 }).forward(current, state?) → [spikes, state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `LIFFeedForwardState` (v, i) of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class LIFCell extends FeedForwardCell<LIFParameters, LIFFeedForwardState> {
  /**
   * @param p the LIF parameters (`Partial<LIFParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LIF_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super',
   *   alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: Partial<LIFParameters> = {}, options: CellOptions<LIFParameters> = {}) {
    super(LIF_MODEL, p, options);
  }
}

/**
 * One recurrent LIF step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LIFState` (v, i, z) of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LIFRecurrentCell extends RecurrentCell<LIFParameters, LIFState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIF parameters (`Partial<LIFParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LIF_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super',
   *   alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFParameters> = {}, options: RecurrentCellOptions<LIFParameters> = {}) {
    super(LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * LIF neurons over a sequence [T, B, ...]: `new LIF().forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `LIFFeedForwardState` (v, i) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. The whole loop runs as one fused kernel where the
 * backend has one (see `Lift`).
 */
export class LIF extends FeedForwardSequence<LIFParameters, LIFFeedForwardState> {
  /**
   * @param p the LIF parameters (`Partial<LIFParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LIF_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super',
   *   alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: Partial<LIFParameters> = {}, options: CellOptions<LIFParameters> & SequenceOptions = {}) {
    super(LIF_MODEL, p, options);
  }
}

/**
 * Recurrent LIF neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LIFState` (v, i, z) with [B, …] fields (every step's, stacked, with `recordStates`); without
 * `state` the layer starts from rest. The whole loop runs as one fused kernel where the backend has one (see `Lift`).
 */
export class LIFRecurrent extends RecurrentSequence<LIFParameters, LIFState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIF parameters (`Partial<LIFParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LIF_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super',
   *   alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a
   *   tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFParameters> = {}, options: RecurrentCellOptions<LIFParameters> & SequenceOptions = {}) {
    super(LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
