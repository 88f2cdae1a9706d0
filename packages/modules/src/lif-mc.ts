/**
 * Multi-compartment LIF modules: LIF neurons whose voltages are coupled linearly through a trainable
 * matrix `gCoupling` [N, N] owned by the cell (@snn/functional's `lifMC*Step`; see coupled-cell.ts
 * for its initialisation). With the coupling increment c(v) = dt·(v·gᵀ):
 *
 *     feed-forward:  v_c = v + c(v), then one LIF step from (v_c, i) with input x
 *     recurrent:     one LIF step with input x·W_inᵀ + z·W_recᵀ, then v'' = v' + c(v')
 *
 * `LIFMCCell(size)` / `LIFMCRecurrentCell(input, hidden)` take one step, `LIFMC(size)` /
 * `LIFMCRecurrent(input, hidden)` run a sequence.
 */
import {
  lifMCFeedForwardInitialState, lifMCFeedForwardStep, lifMCInitialState, lifMCStep, lifParameters,
  type LIFMCFeedForwardState, type LIFMCParameters, type LIFMCState,
} from '@snn/functional';
import {
  CoupledFeedForwardCell, CoupledFeedForwardSequence, CoupledRecurrentCell, CoupledRecurrentSequence, type CoupledCellOptions,
  type CoupledFeedForwardModel, type CoupledRecurrentCellOptions, type CoupledRecurrentModel,
} from './coupled-cell.js';
import type { SequenceOptions } from './sequence.js';

/** The LIFMC model in the form the coupled multi-compartment cell and sequence (`CoupledFeedForwardCell`, `CoupledFeedForwardSequence`) take: its parameter merging, resting state and step. */
export const LIF_MC_MODEL: CoupledFeedForwardModel<LIFMCParameters, LIFMCFeedForwardState> = Object.freeze({
  name: 'LIFMC',
  parameters: (p: Partial<LIFMCParameters> | undefined, fn: string) => lifParameters(p, fn),
  initialState: (shape: readonly number[], p: LIFMCParameters) => lifMCFeedForwardInitialState(shape, p),
  step: lifMCFeedForwardStep,
});

/** The LIFMC model in the form the coupled multi-compartment recurrent cell and sequence (`CoupledRecurrentCell`, `CoupledRecurrentSequence`) take: its parameter merging, resting state and step. */
export const LIF_MC_RECURRENT_MODEL: CoupledRecurrentModel<LIFMCParameters, LIFMCState> = Object.freeze({
  name: 'LIFMC',
  parameters: (p: Partial<LIFMCParameters> | undefined, fn: string) => lifParameters(p, fn),
  initialState: (batch: number, hidden: number, p: LIFMCParameters) => lifMCInitialState(batch, hidden, p),
  step: lifMCStep,
});

/** One multi-compartment LIF step over `size` compartments: `new LIFMCCell(4).forward(current [..., 4], state?)`. */
export class LIFMCCell extends CoupledFeedForwardCell<LIFMCParameters, LIFMCFeedForwardState> {
  constructor(size: number, p: Partial<LIFMCParameters> = {}, options: CoupledCellOptions<LIFMCParameters> = {}) {
    super(LIF_MC_MODEL, size, p, options);
  }
}

/** One recurrent multi-compartment LIF step with input, recurrent and coupling weights. */
export class LIFMCRecurrentCell extends CoupledRecurrentCell<LIFMCParameters, LIFMCState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LIFMCParameters> = {}, options: CoupledRecurrentCellOptions<LIFMCParameters> = {}) {
    super(LIF_MC_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** Multi-compartment LIF neurons over a sequence [T, B, ..., size]. */
export class LIFMC extends CoupledFeedForwardSequence<LIFMCParameters, LIFMCFeedForwardState> {
  constructor(size: number, p: Partial<LIFMCParameters> = {}, options: CoupledCellOptions<LIFMCParameters> & SequenceOptions = {}) {
    super(LIF_MC_MODEL, size, p, options);
  }
}

/** Recurrent multi-compartment LIF neurons over a sequence [T, B, inputSize]. */
export class LIFMCRecurrent extends CoupledRecurrentSequence<LIFMCParameters, LIFMCState> {
  constructor(
    inputSize: number, hiddenSize: number, p: Partial<LIFMCParameters> = {}, options: CoupledRecurrentCellOptions<LIFMCParameters> & SequenceOptions = {},
  ) {
    super(LIF_MC_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
