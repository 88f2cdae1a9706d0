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

/** One LSNN step: `new LSNNCell({ beta: 1.2 }).forward(current, state?) → [spikes, state]`. */
export class LSNNCell extends FeedForwardCell<LSNNParameters, LSNNFeedForwardState> {
  constructor(p: Partial<LSNNParameters> = {}, options: CellOptions<LSNNParameters> = {}) {
    super(LSNN_MODEL, p, options);
  }
}

/** One recurrent LSNN step with its own input [hidden, input] and recurrent [hidden, hidden] weights. */
export class LSNNRecurrentCell extends RecurrentCell<LSNNParameters, LSNNState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LSNNParameters> = {}, options: RecurrentCellOptions<LSNNParameters> = {}) {
    super(LSNN_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** LSNN neurons over a sequence [T, B, ...]: `new LSNN().forward(input) → [spikes, state]`. */
export class LSNN extends FeedForwardSequence<LSNNParameters, LSNNFeedForwardState> {
  constructor(p: Partial<LSNNParameters> = {}, options: CellOptions<LSNNParameters> & SequenceOptions = {}) {
    super(LSNN_MODEL, p, options);
  }
}

/** Recurrent LSNN neurons over a sequence [T, B, inputSize]. */
export class LSNNRecurrent extends RecurrentSequence<LSNNParameters, LSNNState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LSNNParameters> = {}, options: RecurrentCellOptions<LSNNParameters> & SequenceOptions = {}) {
    super(LSNN_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** One recurrent adaptive-LIF step (the LSNN parameters and state; `vReset` unused). */
export class AdaLIFRecurrentCell extends RecurrentCell<LSNNParameters, LSNNState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LSNNParameters> = {}, options: RecurrentCellOptions<LSNNParameters> = {}) {
    super(ADA_LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** Recurrent adaptive-LIF neurons over a sequence [T, B, inputSize]. */
export class AdaLIFRecurrent extends RecurrentSequence<LSNNParameters, LSNNState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<LSNNParameters> = {}, options: RecurrentCellOptions<LSNNParameters> & SequenceOptions = {}) {
    super(ADA_LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
