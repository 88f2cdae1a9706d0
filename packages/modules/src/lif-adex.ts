/**
 * LIFAdEx modules: adaptive exponential leaky integrate-and-fire neurons — the exponential onset of
 * LIFEx plus an adaptation current `a` that grows with the voltage and jumps at each spike
 * (@snn/functional's `lifAdEx*Step`):
 *
 *     i⁺ = i + x;   v' = v + dt·τ_mem⁻¹·((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T) + i⁺ − a)
 *     i' = i⁺ − dt·τ_syn⁻¹·i⁺;   a' = a + dt·τ_ada⁻¹·(a_c·(v − v_leak) − a)
 *     z = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset;   a'' = a' + z·b
 *
 * (x: the input, or x·W_inᵀ + z·W_recᵀ when recurrent).
 * `LIFAdExCell` / `LIFAdExRecurrentCell` take one step, `LIFAdEx` / `LIFAdExRecurrent` run a sequence.
 */
import {
  lifAdExFeedForwardInitialState, lifAdExFeedForwardStep, lifAdExInitialState, lifAdExParameters, lifAdExStep,
  type LIFAdExFeedForwardState, type LIFAdExParameters, type LIFAdExState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The LIFAdEx model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_ADEX_MODEL: FeedForwardModel<LIFAdExParameters, LIFAdExFeedForwardState> = Object.freeze({
  name: 'LIFAdEx',
  parameters: (p: Partial<LIFAdExParameters> | undefined, fn: string) => lifAdExParameters(p, fn),
  initialState: (shape: readonly number[], p: LIFAdExParameters) => lifAdExFeedForwardInitialState(shape, p),
  step: lifAdExFeedForwardStep,
});

/** The LIFAdEx model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_ADEX_RECURRENT_MODEL: RecurrentModel<LIFAdExParameters, LIFAdExState> = Object.freeze({
  name: 'LIFAdEx',
  parameters: (p: Partial<LIFAdExParameters> | undefined, fn: string) => lifAdExParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFAdExParameters) => lifAdExInitialState(batch, hidden, p),
  step: lifAdExStep,
});

/**
 * One LIFAdEx step: `new LIFAdExCell({ adaptationSpike: 0.1 }).forward(current, state?) → [spikes, state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `LIFAdExFeedForwardState` (v, i, a) of the same shape; without `state` the cell starts from rest. Step it over time
 * with `Lift`.
 */
export class LIFAdExCell extends FeedForwardCell<LIFAdExParameters, LIFAdExFeedForwardState> {
  /**
   * @param p the LIFAdEx parameters (`Partial<LIFAdExParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_LIF_ADEX_PARAMETERS` = `{ adaptationCurrent: 4, adaptationSpike: 0.02, deltaT: 0.5, tauAdaInv: 2,
   *   tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100 }`. Inverse time
   *   constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron);
   *   those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: Partial<LIFAdExParameters> = {}, options: CellOptions<LIFAdExParameters> = {}) {
    super(LIF_ADEX_MODEL, p, options);
  }
}

/**
 * One recurrent LIFAdEx step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LIFAdExState` (v, i, a, z) of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class LIFAdExRecurrentCell extends RecurrentCell<LIFAdExParameters, LIFAdExState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFAdEx parameters (`Partial<LIFAdExParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_LIF_ADEX_PARAMETERS` = `{ adaptationCurrent: 4, adaptationSpike: 0.02, deltaT: 0.5, tauAdaInv: 2,
   *   tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100 }`. Inverse time
   *   constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron);
   *   those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFAdExParameters> = {}, options: RecurrentCellOptions<LIFAdExParameters> = {}) {
    super(LIF_ADEX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * LIFAdEx neurons over a sequence [T, B, ...]: `new LIFAdEx().forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `LIFAdExFeedForwardState` (v, i, a) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFAdEx extends FeedForwardSequence<LIFAdExParameters, LIFAdExFeedForwardState> {
  /**
   * @param p the LIFAdEx parameters (`Partial<LIFAdExParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_LIF_ADEX_PARAMETERS` = `{ adaptationCurrent: 4, adaptationSpike: 0.02, deltaT: 0.5, tauAdaInv: 2,
   *   tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100 }`. Inverse time
   *   constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron);
   *   those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: Partial<LIFAdExParameters> = {}, options: CellOptions<LIFAdExParameters> & SequenceOptions = {}) {
    super(LIF_ADEX_MODEL, p, options);
  }
}

/**
 * Recurrent LIFAdEx neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LIFAdExState` (v, i, a, z) with [B, …] fields (every step's, stacked, with `recordStates`);
 * without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFAdExRecurrent extends RecurrentSequence<LIFAdExParameters, LIFAdExState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFAdEx parameters (`Partial<LIFAdExParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_LIF_ADEX_PARAMETERS` = `{ adaptationCurrent: 4, adaptationSpike: 0.02, deltaT: 0.5, tauAdaInv: 2,
   *   tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100 }`. Inverse time
   *   constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron);
   *   those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFAdExParameters> = {}, options: RecurrentCellOptions<LIFAdExParameters> & SequenceOptions = {}) {
    super(LIF_ADEX_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
