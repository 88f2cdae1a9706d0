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

/** One LIBox step: `new LIBoxCell({ tauMemInv: 50 }).forward(current, state?) → [voltage, state]`. */
export class LIBoxCell extends FeedForwardCell<LIBoxParameters, LIBoxState> {
  constructor(p: Partial<LIBoxParameters> = {}, options: CellOptions<LIBoxParameters> = {}) {
    super(LI_BOX_MODEL, p, options);
  }
}

/** One LIBox step behind a bias-free linear layer: input [..., input] → voltage [..., hidden]. */
export class LIBoxLinearCell extends InputWeightedCell<LIBoxParameters, LIBoxState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIBoxParameters> = {}, options: InputWeightedCellOptions<LIBoxParameters> = {}) {
    super(LI_BOX_LINEAR_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** Box leaky integrators over a sequence [T, B, ...]: `new LIBox().forward(input) → [voltages, state]`. */
export class LIBox extends FeedForwardSequence<LIBoxParameters, LIBoxState> {
  constructor(p: Partial<LIBoxParameters> = {}, options: CellOptions<LIBoxParameters> & SequenceOptions = {}) {
    super(LI_BOX_MODEL, p, options);
  }
}
