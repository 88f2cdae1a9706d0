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
  cobaLIFFeedForwardInitialState, cobaLIFFeedForwardStep, cobaLIFFeedForwardIntegral, cobaLIFInitialState, cobaLIFParameters, cobaLIFStep,
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
  integral: cobaLIFFeedForwardIntegral,
});

/** The CobaLIF model in the form the generic recurrent cell and sequence (`RecurrentCell`, `RecurrentSequence`) take: its parameter merging, resting state and step. */
export const COBA_LIF_RECURRENT_MODEL: RecurrentModel<CobaLIFParameters, CobaLIFState> = Object.freeze({
  name: 'CobaLIF',
  parameters: (p: Partial<CobaLIFParameters> | undefined, fn: string) => cobaLIFParameters(p, fn),
  initialState: (batch: number, hidden: number, p: CobaLIFParameters) => cobaLIFInitialState(batch, hidden, p),
  step: cobaLIFStep,
});

/** One CobaLIF step: `new CobaLIFCell({ gL: 0.5 }).forward(current, state?) → [spikes, state]`. */
export class CobaLIFCell extends FeedForwardCell<CobaLIFParameters, CobaLIFFeedForwardState> {
  constructor(p: Partial<CobaLIFParameters> = {}, options: CellOptions<CobaLIFParameters> = {}) {
    super(COBA_LIF_MODEL, p, options);
  }
}

/** One recurrent CobaLIF step with its own input [hidden, input] and recurrent [hidden, hidden] weights. */
export class CobaLIFRecurrentCell extends RecurrentCell<CobaLIFParameters, CobaLIFState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<CobaLIFParameters> = {}, options: RecurrentCellOptions<CobaLIFParameters> = {}) {
    super(COBA_LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}

/** CobaLIF neurons over a sequence [T, B, ...]: `new CobaLIF().forward(input) → [spikes, state]`. */
export class CobaLIF extends FeedForwardSequence<CobaLIFParameters, CobaLIFFeedForwardState> {
  constructor(p: Partial<CobaLIFParameters> = {}, options: CellOptions<CobaLIFParameters> & SequenceOptions = {}) {
    super(COBA_LIF_MODEL, p, options);
  }
}

/** Recurrent CobaLIF neurons over a sequence [T, B, inputSize]. */
export class CobaLIFRecurrent extends RecurrentSequence<CobaLIFParameters, CobaLIFState> {
  constructor(inputSize: number, hiddenSize: number, p: Partial<CobaLIFParameters> = {}, options: RecurrentCellOptions<CobaLIFParameters> & SequenceOptions = {}) {
    super(COBA_LIF_RECURRENT_MODEL, inputSize, hiddenSize, p, options);
  }
}
