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

/** One multi-compartment refractory LIF step over `size` compartments. */
export class LIFMCRefracCell extends CoupledFeedForwardCell<LIFMCRefracParameters, LIFMCRefracFeedForwardState> {
  constructor(size: number, p: LIFMCRefracParametersInput = {}, options: CoupledCellOptions<LIFMCRefracParameters> = {}) {
    super(LIF_MC_REFRAC_MODEL, size, p as Partial<LIFMCRefracParameters>, options);
  }
}

/** One recurrent multi-compartment refractory LIF step with input, recurrent and coupling weights. */
export class LIFMCRefracRecurrentCell extends CoupledRecurrentCell<LIFMCRefracParameters, LIFMCRefracState> {
  constructor(
    inputSize: number, hiddenSize: number, p: LIFMCRefracParametersInput = {}, options: CoupledRecurrentCellOptions<LIFMCRefracParameters> = {},
  ) {
    super(LIF_MC_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFMCRefracParameters>, options);
  }
}

/** Multi-compartment refractory LIF neurons over a sequence [T, B, ..., size]. */
export class LIFMCRefrac extends CoupledFeedForwardSequence<LIFMCRefracParameters, LIFMCRefracFeedForwardState> {
  constructor(size: number, p: LIFMCRefracParametersInput = {}, options: CoupledCellOptions<LIFMCRefracParameters> & SequenceOptions = {}) {
    super(LIF_MC_REFRAC_MODEL, size, p as Partial<LIFMCRefracParameters>, options);
  }
}

/** Recurrent multi-compartment refractory LIF neurons over a sequence [T, B, inputSize]. */
export class LIFMCRefracRecurrent extends CoupledRecurrentSequence<LIFMCRefracParameters, LIFMCRefracState> {
  constructor(
    inputSize: number, hiddenSize: number, p: LIFMCRefracParametersInput = {},
    options: CoupledRecurrentCellOptions<LIFMCRefracParameters> & SequenceOptions = {},
  ) {
    super(LIF_MC_REFRAC_RECURRENT_MODEL, inputSize, hiddenSize, p as Partial<LIFMCRefracParameters>, options);
  }
}
