/**
 * LSNN modules (Bellec et al. 2018): LIF neurons whose threshold b adapts — each spike raises it by β
 * and it relaxes back to v_th slowly — giving a recurrent network a memory of seconds
 * (@snn/functional's `lsnn*Step`). The input enters the current after the voltage update:
 *
 *     v' = v + dt·τ_mem⁻¹·((v_leak − v) + i);   i' = i − dt·τ_syn⁻¹·i;   b' = b + dt·τ_adapt⁻¹·(v_th − b)
 *     z = Θ(v' − b');   v'' = (1 − z)·v' + z·v_reset;   i'' = i' + x;   b'' = b' + z·β
 *
 * (x: the input, or x·W_inᵀ + z·W_recᵀ when recurrent). The resting state has b = v_th.
 * `LSNNCell` / `LSNNRecurrentCell` take one step, `LSNN` / `LSNNRecurrent` run a sequence.
 *
 * Also the adaptive LIF (Norse's `ada_lif_step`, recurrent only): the same slow variable b is an
 * adaptation current that decays to 0 and is subtracted from the drive, the threshold is fixed and
 * the reset subtracts it — `AdaLIFRecurrentCell` and `AdaLIFRecurrent`, resting state b = 0:
 *
 *     v' = v + dt·τ_mem⁻¹·(((v_leak − v) + i) − b);   b' = b − dt·τ_adapt⁻¹·b;   z = Θ(v' − v_th);   v'' = v' − z·v_th
 */
import {
  adaLIFRecurrentIntegral, lsnnRecurrentIntegral,
  lsnnFeedForwardIntegral,
  adaLIFInitialState, adaLIFStep, lsnnFeedForwardInitialState, lsnnFeedForwardStep, lsnnInitialState, lsnnParameters, lsnnStep,
  type LSNNFeedForwardState, type LSNNParameters, type LSNNState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LSNN model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LSNN_MODEL: FeedForwardModel<LSNNParameters, LSNNFeedForwardState> = Object.freeze({
  name: 'LSNN',
  parameters: (p: Partial<LSNNParameters> | undefined, fn: string) => lsnnParameters(p, fn),
  initialState: (shape: readonly number[], p: LSNNParameters) => lsnnFeedForwardInitialState(shape, p),
  step: lsnnFeedForwardStep,
  integral: lsnnFeedForwardIntegral,
});

/** The LSNN model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LSNN_RECURRENT_MODEL: RecurrentModel<LSNNParameters, LSNNState> = Object.freeze({
  name: 'LSNN',
  parameters: (p: Partial<LSNNParameters> | undefined, fn: string) => lsnnParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LSNNParameters) => lsnnInitialState(batch, hidden, p),
  step: lsnnStep,
  integral: lsnnRecurrentIntegral,
});

/** The adaptive LIF model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const ADA_LIF_RECURRENT_MODEL: RecurrentModel<LSNNParameters, LSNNState> = Object.freeze({
  name: 'AdaLIF',
  parameters: (p: Partial<LSNNParameters> | undefined, fn: string) => lsnnParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LSNNParameters) => adaLIFInitialState(batch, hidden, p),
  step: adaLIFStep,
  integral: adaLIFRecurrentIntegral,
});

/**
 * One LSNN step: `new LSNNCell({ beta: 1.2 }).forward(current, state?) → [spikes, state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `LSNNFeedForwardState` (v, i, b) of the same shape; without `state` the cell starts from rest. Step it over time
 * with `Lift`.
 */
export class LSNNCell extends FeedForwardCell<LSNNParameters, LSNNFeedForwardState> {
  /**
   * @param p the LSNN parameters (`Partial<LSNNParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LSNN_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 1 / 800, vLeak: 0, vTh: 1, vReset:
   *   0, beta: 1.8, method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time
   *   constant). A field may be a tensor (one value per neuron); those named in `options.trainable` become variables
   *   and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: Partial<LSNNParameters> = {}, options: CellOptions<LSNNParameters> = {}) {
    super(LSNN_MODEL, p, options);
  }
}

/**
 * One recurrent LSNN step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LSNNState` (v, i, b, z) of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class LSNNRecurrentCell extends RecurrentCell<LSNNParameters, LSNNState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LSNN parameters (`Partial<LSNNParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LSNN_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 1 / 800, vLeak: 0, vTh: 1, vReset:
   *   0, beta: 1.8, method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time
   *   constant). A field may be a tensor (one value per neuron); those named in `options.trainable` become variables
   *   and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LSNNParameters> = {}, options: RecurrentCellOptions<LSNNParameters> = {}) {
    super(LSNN_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * LSNN neurons over a sequence [T, B, ...]: `new LSNN().forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `LSNNFeedForwardState` (v, i, b) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. The whole loop runs as one fused kernel where the
 * backend has one (see `Lift`).
 */
export class LSNN extends FeedForwardSequence<LSNNParameters, LSNNFeedForwardState> {
  /**
   * @param p the LSNN parameters (`Partial<LSNNParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LSNN_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 1 / 800, vLeak: 0, vTh: 1, vReset:
   *   0, beta: 1.8, method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time
   *   constant). A field may be a tensor (one value per neuron); those named in `options.trainable` become variables
   *   and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: Partial<LSNNParameters> = {}, options: CellOptions<LSNNParameters> & SequenceOptions = {}) {
    super(LSNN_MODEL, p, options);
  }
}

/**
 * Recurrent LSNN neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LSNNState` (v, i, b, z) with [B, …] fields (every step's, stacked, with `recordStates`);
 * without `state` the layer starts from rest. The whole loop runs as one fused kernel where the backend has one (see
 * `Lift`).
 */
export class LSNNRecurrent extends RecurrentSequence<LSNNParameters, LSNNState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LSNN parameters (`Partial<LSNNParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LSNN_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 1 / 800, vLeak: 0, vTh: 1, vReset:
   *   0, beta: 1.8, method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time
   *   constant). A field may be a tensor (one value per neuron); those named in `options.trainable` become variables
   *   and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LSNNParameters> = {}, options: RecurrentCellOptions<LSNNParameters> & SequenceOptions = {}) {
    super(LSNN_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * One recurrent adaptive-LIF step (the LSNN parameters and state; `vReset` unused).
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LSNNState` (v, i, b, z) of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class AdaLIFRecurrentCell extends RecurrentCell<LSNNParameters, LSNNState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LSNN parameters (`Partial<LSNNParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LSNN_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 1 / 800, vLeak: 0, vTh: 1, vReset:
   *   0, beta: 1.8, method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time
   *   constant). A field may be a tensor (one value per neuron); those named in `options.trainable` become variables
   *   and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LSNNParameters> = {}, options: RecurrentCellOptions<LSNNParameters> = {}) {
    super(ADA_LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * Recurrent adaptive-LIF neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LSNNState` (v, i, b, z) with [B, …] fields (every step's, stacked, with `recordStates`);
 * without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class AdaLIFRecurrent extends RecurrentSequence<LSNNParameters, LSNNState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LSNN parameters (`Partial<LSNNParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LSNN_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 1 / 800, vLeak: 0, vTh: 1, vReset:
   *   0, beta: 1.8, method: 'super', alpha: 100 }`. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time
   *   constant). A field may be a tensor (one value per neuron); those named in `options.trainable` become variables
   *   and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LSNNParameters> = {}, options: RecurrentCellOptions<LSNNParameters> & SequenceOptions = {}) {
    super(ADA_LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
