/**
 * Leaky-integrator (LI) modules: LIF neurons that never spike, the usual read-out at the end of a
 * spiking network — the output is the voltage itself (@snn/functional's `li*Step`):
 *
 *     i⁺ = i + x;   v' = v + dt·τ_mem⁻¹·((v_leak − v) + i⁺);   i' = i⁺ − dt·τ_syn⁻¹·i⁺;   output v'
 *
 * `LICell` takes one step with x the input, `LILinearCell` with x = input·Wᵀ through its own input
 * weights [hidden, input] (Norse's `LILinearCell`, weights N(0, 1/input)); `LI` runs `LICell` over a
 * sequence [T, B, ...].
 */
import {
  liLinearIntegral, liFeedForwardIntegral,
  liFeedForwardStep, liInitialState, liParameters, liStep, type LIParameters, type LIState,
} from '@snn/functional';
import { FeedForwardCell, type CellOptions, type FeedForwardModel } from './cell.js';
import { InputWeightedCell, type InputWeightedCellOptions, type InputWeightedModel } from './input-weighted-cell.js';
import { FeedForwardSequence, type SequenceOptions } from './sequence.js';

/** The LI model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LI_MODEL: FeedForwardModel<LIParameters, LIState> = Object.freeze({
  name: 'LI',
  parameters: (p: Partial<LIParameters> | undefined, fn: string) => liParameters(p, fn),
  initialState: (shape: readonly number[], p: LIParameters) => liInitialState(shape, p),
  step: liFeedForwardStep,
  integral: liFeedForwardIntegral,
});

/** The LI model in the form the input-weighted cell (`InputWeightedCell`: a cell with its own input weights) take: its parameter merging, resting state and step. */
export const LI_LINEAR_MODEL: InputWeightedModel<LIParameters, LIState> = Object.freeze({
  name: 'LI',
  parameters: (p: Partial<LIParameters> | undefined, fn: string) => liParameters(p, fn),
  initialState: (shape: readonly number[], p: LIParameters) => liInitialState(shape, p),
  step: liStep,
  integral: liLinearIntegral,
});

/**
 * One LI step: `new LICell({ tauMemInv: 50 }).forward(current, state?) → [voltage, state]`.
 *
 * `forward(input [B, …], state?) → [v, state]`: the voltage [B, …] (the input's shape), and the new state, a
 * `LIState` (v, i) of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LICell extends FeedForwardCell<LIParameters, LIState> {
  /**
   * @param p the LI parameters (`Partial<LIParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LI_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, vLeak: 0 }`. Inverse time constants (`…Inv`) are
   *   in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron); those named in
   *   `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: Partial<LIParameters> = {}, options: CellOptions<LIParameters> = {}) {
    super(LI_MODEL, p, options);
  }
}

/**
 * One LI step behind a bias-free linear layer: `new LILinearCell(input, hidden).forward(spikes [..., input]) →
 * [voltage [..., hidden], state]`.
 *
 * `forward(input [B, inputSize], state?) → [v, state]`: the voltage [B, hiddenSize], and the new state, a `LIState`
 * (v, i) of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LILinearCell extends InputWeightedCell<LIParameters, LIState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]
   * @param p the LI parameters (`Partial<LIParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LI_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, vLeak: 0 }`. Inverse time constants (`…Inv`) are
   *   in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron); those named in
   *   `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `seed`, of
   *   the input weights' initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIParameters> = {}, options: InputWeightedCellOptions<LIParameters> = {}) {
    super(LI_LINEAR_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * Leaky integrators over a sequence [T, B, ...]: `new LI().forward(input) → [voltages, state]`.
 *
 * `forward(input [T, B, …], state?) → [v, state]`: the voltage at every step, [T, B, …] (the input's shape), and the
 * final state, a `LIState` (v, i) with [B, …] fields (every step's, stacked, with `recordStates`); without `state`
 * the layer starts from rest. The whole loop runs as one fused kernel where the backend has one (see `Lift`).
 */
export class LI extends FeedForwardSequence<LIParameters, LIState> {
  /**
   * @param p the LI parameters (`Partial<LIParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LI_PARAMETERS` = `{ tauSynInv: 200, tauMemInv: 100, vLeak: 0 }`. Inverse time constants (`…Inv`) are
   *   in 1/s (100 is a 10 ms time constant). A field may be a tensor (one value per neuron); those named in
   *   `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: Partial<LIParameters> = {}, options: CellOptions<LIParameters> & SequenceOptions = {}) {
    super(LI_MODEL, p, options);
  }
}
