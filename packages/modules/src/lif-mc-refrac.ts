/**
 * Multi-compartment refractory LIF modules: the voltage coupling of lif-mc.ts (a trainable `gCoupling`
 * [N, N] owned by the cell) and a refractory counter ρ (@snn/functional's `lifMCRefrac*Step`):
 *
 *     m = Θ(ρ);   v' = v + (1 − m)·dt·τ_mem⁻¹·((v_leak − v) + i) + dt·(v·gᵀ);   i' = i − dt·τ_syn⁻¹·i
 *     z = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset;   i'' = i' + x;   ρ' = (1 − z)·relu(ρ − m) + z·ρ_reset
 *
 * (x: the input, or x·W_inᵀ + z·W_recᵀ when recurrent). The coupling carries the factor dt that Norse
 * v1.1.0 forgets here (DESIGN.md, "Fidelity"). Parameters and state nest those of LIF:
 * `{ lif: LIFParameters, rhoReset }`, `{ lif: { v, i }, rho }` (recurrent: `{ lif: { z, v, i }, rho }`);
 * only `rhoReset` can be made trainable besides the weights.
 */
import {
  lifMCRefracFeedForwardInitialState, lifMCRefracFeedForwardStep, lifMCRefracInitialState, lifMCRefracStep, lifRefracParameters,
  type LIFMCRefracFeedForwardState, type LIFMCRefracParameters, type LIFMCRefracParametersInput, type LIFMCRefracState,
} from '@snn/functional';
import {
  CoupledFeedForwardCell, CoupledFeedForwardSequence, CoupledRecurrentCell, CoupledRecurrentSequence, type CoupledCellOptions,
  type CoupledFeedForwardModel, type CoupledRecurrentCellOptions, type CoupledRecurrentModel,
} from './coupled-cell.js';
import type { SequenceOptions } from './sequence.js';

/** The LIFMCRefrac model in the form the coupled multi-compartment cell and sequence (`CoupledFeedForwardCell`, `CoupledFeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_MC_REFRAC_MODEL: CoupledFeedForwardModel<LIFMCRefracParameters, LIFMCRefracFeedForwardState> = Object.freeze({
  name: 'LIFMCRefrac',
  parameters: (p: Partial<LIFMCRefracParameters> | undefined, fn: string) => lifRefracParameters(p as LIFMCRefracParametersInput, fn),
  initialState: (shape: readonly number[], p: LIFMCRefracParameters) => lifMCRefracFeedForwardInitialState(shape, p),
  step: lifMCRefracFeedForwardStep,
});

/** The LIFMCRefrac model in the form the coupled multi-compartment recurrent cell and sequence (`CoupledRecurrentCell`, `CoupledRecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_MC_REFRAC_RECURRENT_MODEL: CoupledRecurrentModel<LIFMCRefracParameters, LIFMCRefracState> = Object.freeze({
  name: 'LIFMCRefrac',
  parameters: (p: Partial<LIFMCRefracParameters> | undefined, fn: string) => lifRefracParameters(p as LIFMCRefracParametersInput, fn),
  initialState: (batch: number, hidden: number, p: LIFMCRefracParameters) => lifMCRefracInitialState(batch, hidden, p),
  step: lifMCRefracStep,
});

/**
 * One multi-compartment refractory LIF step over `size` compartments.
 *
 * `forward(input [B, size], state?) → [z, state]`: the spikes (0 or 1) [B, size], and the new state, a
 * `LIFMCRefracFeedForwardState` of the same shape; without `state` the cell starts from rest. Step it over time with
 * `Lift`.
 */
export class LIFMCRefracCell extends CoupledFeedForwardCell<LIFMCRefracParameters, LIFMCRefracFeedForwardState> {
  /**
   * @param size compartments (neurons) of the layer: input, output and every state field are [B, size]; the coupling
   *   is [size, size]
   * @param p the LIFMCRefrac parameters (`Partial<LIFMCRefracParameters>`): a field left out keeps its default — the
   *   others keep their defaults. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field
   *   may be a tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `gCoupling`, the initial coupling [size, size] between compartments in 1/s (default N(0, 1/size)); `seed`, of
   *   the random initialisations
   */
  constructor(size: number, p: LIFMCRefracParametersInput = {}, options: CoupledCellOptions<LIFMCRefracParameters> = {}) {
    super(LIF_MC_REFRAC_MODEL, size, p as Partial<LIFMCRefracParameters>, options);
  }
}

/**
 * One recurrent multi-compartment refractory LIF step with input, recurrent and coupling weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LIFMCRefracState` of the same shape; without `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LIFMCRefracRecurrentCell extends CoupledRecurrentCell<LIFMCRefracParameters, LIFMCRefracState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFMCRefrac parameters (`Partial<LIFMCRefracParameters>`): a field left out keeps its default — the
   *   others keep their defaults. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field
   *   may be a tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `gCoupling`, the initial coupling [size, size] between compartments in
   *   1/s (default N(0, 1/size)); `seed`, of the random initialisations
   */
  constructor(
    inputSize: number, hiddenSize: number, p: LIFMCRefracParametersInput = {}, options: CoupledRecurrentCellOptions<LIFMCRefracParameters> = {},
  ) {
    super(LIF_MC_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFMCRefracParameters>, options);
  }
}

/**
 * Multi-compartment refractory LIF neurons over a sequence [T, B, ..., size].
 *
 * `forward(input [T, B, size], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, size], and the final
 * state, a `LIFMCRefracFeedForwardState` with [B, …] fields (every step's, stacked, with `recordStates`); without
 * `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFMCRefrac extends CoupledFeedForwardSequence<LIFMCRefracParameters, LIFMCRefracFeedForwardState> {
  /**
   * @param size compartments (neurons) of the layer: input, output and every state field are [B, size]; the coupling
   *   is [size, size]
   * @param p the LIFMCRefrac parameters (`Partial<LIFMCRefracParameters>`): a field left out keeps its default — the
   *   others keep their defaults. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field
   *   may be a tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `gCoupling`, the initial coupling [size, size] between compartments in 1/s (default N(0, 1/size)); `seed`, of
   *   the random initialisations; `recordStates`, return every step's state stacked over time [T, …] instead of the
   *   final one (default false)
   */
  constructor(size: number, p: LIFMCRefracParametersInput = {}, options: CoupledCellOptions<LIFMCRefracParameters> & SequenceOptions = {}) {
    super(LIF_MC_REFRAC_MODEL, size, p as Partial<LIFMCRefracParameters>, options);
  }
}

/**
 * Recurrent multi-compartment refractory LIF neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LIFMCRefracState` with [B, …] fields (every step's, stacked, with `recordStates`); without
 * `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class LIFMCRefracRecurrent extends CoupledRecurrentSequence<LIFMCRefracParameters, LIFMCRefracState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFMCRefrac parameters (`Partial<LIFMCRefracParameters>`): a field left out keeps its default — the
   *   others keep their defaults. Inverse time constants (`…Inv`) are in 1/s (100 is a 10 ms time constant). A field
   *   may be a tensor (one value per neuron); those named in `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `gCoupling`, the initial coupling [size, size] between compartments in
   *   1/s (default N(0, 1/size)); `seed`, of the random initialisations; `recordStates`, return every step's state
   *   stacked over time [T, …] instead of the final one (default false)
   */
  constructor(
    inputSize: number, hiddenSize: number, p: LIFMCRefracParametersInput = {},
    options: CoupledRecurrentCellOptions<LIFMCRefracParameters> & SequenceOptions = {},
  ) {
    super(LIF_MC_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFMCRefracParameters>, options);
  }
}
