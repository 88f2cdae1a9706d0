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

/** One LI step: `new LICell({ tauMemInv: 50 }).forward(current, state?) → [voltage, state]`. */
export class LICell extends FeedForwardCell<LIParameters, LIState> {
  constructor(p: Partial<LIParameters> = {}, options: CellOptions<LIParameters> = {}) {
    super(LI_MODEL, p, options);
  }
}

/** One LI step behind a bias-free linear layer: `new LILinearCell(input, hidden).forward(spikes [..., input]) → [voltage [..., hidden], state]`. */
export class LILinearCell extends InputWeightedCell<LIParameters, LIState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIParameters> = {}, options: InputWeightedCellOptions<LIParameters> = {}) {
    super(LI_LINEAR_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** Leaky integrators over a sequence [T, B, ...]: `new LI().forward(input) → [voltages, state]`. */
export class LI extends FeedForwardSequence<LIParameters, LIState> {
  constructor(p: Partial<LIParameters> = {}, options: CellOptions<LIParameters> & SequenceOptions = {}) {
    super(LI_MODEL, p, options);
  }
}
