/**
 * CobaLIF modules: conductance-based LIF neurons — input opens an excitatory or an inhibitory
 * conductance that pulls the membrane towards its reversal potential (@snn/functional's `cobaLIF*Step`):
 *
 *     g_e⁺ = g_e + relu(x);   g_i⁺ = g_i + relu(−x)           (recurrent: by the sign of each weight)
 *     g_e' = g_e⁺ − dt·τ_e⁻¹·g_e⁺;   g_i' = g_i⁺ − dt·τ_i⁻¹·g_i⁺
 *     v' = v + dt·c_m⁻¹·(g_l·(v_rest − v) + g_e'·(E_e − v) + g_i'·(E_i − v))
 *     z = Θ(v' − v_thresh);   v'' = v' − z·(v' − v_reset)
 *
 * The resting state is v = v_rest. Norse's `CobaLIFCell` is the recurrent cell (here
 * `CobaLIFRecurrentCell`, whose step keeps the input conductance jump Norse v1.1.0 drops); its weights
 * follow the recurrent cells' convention N(0, 2/hidden), where Norse's draws N(0, 1/input) and N(0, 1/hidden).
 * `CobaLIFCell` / `CobaLIFRecurrentCell` take one step, `CobaLIF` / `CobaLIFRecurrent` run a sequence.
 */
import {
  cobaLIFFeedForwardInitialState, cobaLIFFeedForwardStep, cobaLIFInitialState, cobaLIFParameters, cobaLIFStep,
  type CobaLIFFeedForwardState, type CobaLIFParameters, type CobaLIFState,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The CobaLIF model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const COBA_LIF_MODEL: FeedForwardModel<CobaLIFParameters, CobaLIFFeedForwardState> = Object.freeze({
  name: 'CobaLIF',
  parameters: (p: Partial<CobaLIFParameters> | undefined, fn: string) => cobaLIFParameters(p, fn),
  initialState: (shape: readonly number[], p: CobaLIFParameters) => cobaLIFFeedForwardInitialState(shape, p),
  step: cobaLIFFeedForwardStep,
});

/** The CobaLIF model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const COBA_LIF_RECURRENT_MODEL: RecurrentModel<CobaLIFParameters, CobaLIFState> = Object.freeze({
  name: 'CobaLIF',
  parameters: (p: Partial<CobaLIFParameters> | undefined, fn: string) => cobaLIFParameters(p, fn),
  initialState: (batch: number, hidden: number, p: CobaLIFParameters) => cobaLIFInitialState(batch, hidden, p),
  step: cobaLIFStep,
});

/**
 * One CobaLIF step: `new CobaLIFCell({ gL: 0.5 }).forward(current, state?) → [spikes, state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `CobaLIFFeedForwardState` (v, gE, gI) of the same shape; without `state` the cell starts from rest. Step it over
 * time with `Lift`.
 */
export class CobaLIFCell extends FeedForwardCell<CobaLIFParameters, CobaLIFFeedForwardState> {
  /**
   * @param p the CobaLIF parameters (`Partial<CobaLIFParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_COBA_LIF_PARAMETERS` = `{ tauSynExcInv: 1 / 5, tauSynInhInv: 1 / 5, cMInv: 1 / 0.2, gL: 0.25,
   *   eRevI: -100, eRevE: 60, vRest: -20, vReset: -70, vThresh: -10, method: 'super', alpha: 100 }`. Inverse time
   *   constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron);
   *   those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: Partial<CobaLIFParameters> = {}, options: CellOptions<CobaLIFParameters> = {}) {
    super(COBA_LIF_MODEL, p, options);
  }
}

/**
 * One recurrent CobaLIF step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `CobaLIFState` (v, gE, gI, z) of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class CobaLIFRecurrentCell extends RecurrentCell<CobaLIFParameters, CobaLIFState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the CobaLIF parameters (`Partial<CobaLIFParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_COBA_LIF_PARAMETERS` = `{ tauSynExcInv: 1 / 5, tauSynInhInv: 1 / 5, cMInv: 1 / 0.2, gL: 0.25,
   *   eRevI: -100, eRevE: 60, vRest: -20, vReset: -70, vThresh: -10, method: 'super', alpha: 100 }`. Inverse time
   *   constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron);
   *   those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<CobaLIFParameters> = {}, options: RecurrentCellOptions<CobaLIFParameters> = {}) {
    super(COBA_LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * CobaLIF neurons over a sequence [T, B, ...]: `new CobaLIF().forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `CobaLIFFeedForwardState` (v, gE, gI) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class CobaLIF extends FeedForwardSequence<CobaLIFParameters, CobaLIFFeedForwardState> {
  /**
   * @param p the CobaLIF parameters (`Partial<CobaLIFParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_COBA_LIF_PARAMETERS` = `{ tauSynExcInv: 1 / 5, tauSynInhInv: 1 / 5, cMInv: 1 / 0.2, gL: 0.25,
   *   eRevI: -100, eRevE: 60, vRest: -20, vReset: -70, vThresh: -10, method: 'super', alpha: 100 }`. Inverse time
   *   constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron);
   *   those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: Partial<CobaLIFParameters> = {}, options: CellOptions<CobaLIFParameters> & SequenceOptions = {}) {
    super(COBA_LIF_MODEL, p, options);
  }
}

/**
 * Recurrent CobaLIF neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `CobaLIFState` (v, gE, gI, z) with [B, …] fields (every step's, stacked, with `recordStates`);
 * without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class CobaLIFRecurrent extends RecurrentSequence<CobaLIFParameters, CobaLIFState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the CobaLIF parameters (`Partial<CobaLIFParameters>`): a field left out keeps its default — the defaults
   *   are `DEFAULT_COBA_LIF_PARAMETERS` = `{ tauSynExcInv: 1 / 5, tauSynInhInv: 1 / 5, cMInv: 1 / 0.2, gL: 0.25,
   *   eRevI: -100, eRevE: 60, vRest: -20, vReset: -70, vThresh: -10, method: 'super', alpha: 100 }`. Inverse time
   *   constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron);
   *   those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<CobaLIFParameters> = {}, options: RecurrentCellOptions<CobaLIFParameters> & SequenceOptions = {}) {
    super(COBA_LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
