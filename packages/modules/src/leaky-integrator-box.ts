/**
 * Box leaky-integrator (LIBox) modules: leaky integrators without a synaptic current — the input acts
 * on the membrane for one step only; the output is the voltage (@snn/functional's `liBox*Step`):
 *
 *     v' = v + dt·τ_mem⁻¹·((v_leak − v) + x);   output v'
 *
 * `LIBoxCell` takes one step with x the input, `LIBoxLinearCell` with x = input·Wᵀ through its own
 * input weights [hidden, input] (N(0, 1/input), as `LILinearCell`); `LIBox` runs `LIBoxCell` over a
 * sequence [T, B, ...].
 */
import {
  liBoxLinearIntegral, liBoxFeedForwardIntegral,
  liBoxFeedForwardStep, liBoxInitialState, liBoxParameters, liBoxStep, type LIBoxParameters, type LIBoxState,
} from '@snn/functional';
import { FeedForwardCell, type CellOptions, type FeedForwardModel } from './cell.js';
import { InputWeightedCell, type InputWeightedCellOptions, type InputWeightedModel } from './input-weighted-cell.js';
import { FeedForwardSequence, type SequenceOptions } from './sequence.js';

/** The LIBox model in the form the generic feed-forward cell and sequence (`FeedForwardCell`, `FeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LI_BOX_MODEL: FeedForwardModel<LIBoxParameters, LIBoxState> = Object.freeze({
  name: 'LIBox',
  parameters: (p: Partial<LIBoxParameters> | undefined, fn: string) => liBoxParameters(p, fn),
  initialState: (shape: readonly number[], p: LIBoxParameters) => liBoxInitialState(shape, p),
  step: liBoxFeedForwardStep,
  integral: liBoxFeedForwardIntegral,
});

/** The LIBox model in the form the input-weighted cell (`InputWeightedCell`: a cell with its own input weights) take: its parameter merging, resting state and step. */
export const LI_BOX_LINEAR_MODEL: InputWeightedModel<LIBoxParameters, LIBoxState> = Object.freeze({
  name: 'LIBox',
  parameters: (p: Partial<LIBoxParameters> | undefined, fn: string) => liBoxParameters(p, fn),
  initialState: (shape: readonly number[], p: LIBoxParameters) => liBoxInitialState(shape, p),
  step: liBoxStep,
  integral: liBoxLinearIntegral,
});

/**
 * One LIBox step: `new LIBoxCell({ tauMemInv: 50 }).forward(current, state?) → [voltage, state]`.
 *
 * `forward(input [B, …], state?) → [v, state]`: the voltage [B, …] (the input's shape), and the new state, a
 * `LIBoxState` (v) of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LIBoxCell extends FeedForwardCell<LIBoxParameters, LIBoxState> {
  /**
   * @param p the LIBox parameters (`Partial<LIBoxParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LI_BOX_PARAMETERS` = `{ tauMemInv: 100, vLeak: 0 }`. Inverse time constants (`…Inv`) are in 1/s (100
   *   is a 10 ms time constant). A field may be a tensor (one value per neuron); those named in `options.trainable`
   *   become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(p: Partial<LIBoxParameters> = {}, options: CellOptions<LIBoxParameters> = {}) {
    super(LI_BOX_MODEL, p, options);
  }
}

/**
 * One LIBox step behind a bias-free linear layer: input [..., input] → voltage [..., hidden].
 *
 * `forward(input [B, inputSize], state?) → [v, state]`: the voltage [B, hiddenSize], and the new state, a
 * `LIBoxState` (v) of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LIBoxLinearCell extends InputWeightedCell<LIBoxParameters, LIBoxState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]
   * @param p the LIBox parameters (`Partial<LIBoxParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LI_BOX_PARAMETERS` = `{ tauMemInv: 100, vLeak: 0 }`. Inverse time constants (`…Inv`) are in 1/s (100
   *   is a 10 ms time constant). A field may be a tensor (one value per neuron); those named in `options.trainable`
   *   become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `seed`, of
   *   the input weights' initialisation
   */
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIBoxParameters> = {}, options: InputWeightedCellOptions<LIBoxParameters> = {}) {
    super(LI_BOX_LINEAR_MODEL, inputSize, hiddenSize, p, options);
  }
}

/**
 * Box leaky integrators over a sequence [T, B, ...]: `new LIBox().forward(input) → [voltages, state]`.
 *
 * `forward(input [T, B, …], state?) → [v, state]`: the voltage at every step, [T, B, …] (the input's shape), and the
 * final state, a `LIBoxState` (v) with [B, …] fields (every step's, stacked, with `recordStates`); without `state`
 * the layer starts from rest. The whole loop runs as one fused kernel where the backend has one (see `Lift`).
 */
export class LIBox extends FeedForwardSequence<LIBoxParameters, LIBoxState> {
  /**
   * @param p the LIBox parameters (`Partial<LIBoxParameters>`): a field left out keeps its default — the defaults are
   *   `DEFAULT_LI_BOX_PARAMETERS` = `{ tauMemInv: 100, vLeak: 0 }`. Inverse time constants (`…Inv`) are in 1/s (100
   *   is a 10 ms time constant). A field may be a tensor (one value per neuron); those named in `options.trainable`
   *   become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(p: Partial<LIBoxParameters> = {}, options: CellOptions<LIBoxParameters> & SequenceOptions = {}) {
    super(LI_BOX_MODEL, p, options);
  }
}
