/**
 * LIF-correlation modules (recurrent only): recurrent LIF neurons with correlation sensors on their
 * input and recurrent synapses, for a learning rule to read (@snn/functional's `lifCorrelationStep`):
 *
 *     [z', lif'] = lifStep(x, lif, W_in, W_rec)
 *     inputCorrelation'     = sensor(pre = x,     post = z', inputCorrelation)       [B, input, hidden]
 *     recurrentCorrelation' = sensor(pre = z_old, post = z', recurrentCorrelation)   [B, hidden, hidden]
 *
 * Norse's `LIFCorrelation` module takes the weights as arguments of each step; here the cell owns
 * them (N(0, 2/hidden), autapses masked), as every recurrent cell does. The parameters are all
 * nested (`{ lifParameters, inputCorrelationParameters, recurrentCorrelationParameters }`), so none
 * can be made trainable; the weights are.
 */
import {
  lifCorrelationInitialState, lifCorrelationParameters, lifCorrelationStep, type LIFCorrelationParameters,
  type LIFCorrelationParametersInput, type LIFCorrelationState,
} from '@snn/functional';
import { RecurrentCell, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { RecurrentSequence, type SequenceOptions } from './sequence.js';

/** The descriptor for `inputSize` input features (the input sensors' state needs it). */
export function lifCorrelationModel(inputSize: number): RecurrentModel<LIFCorrelationParameters, LIFCorrelationState> {
  return Object.freeze({
    name: 'LIFCorrelation',
    parameters: (p: Partial<LIFCorrelationParameters> | undefined, fn: string) => lifCorrelationParameters(p as LIFCorrelationParametersInput, fn),
    initialState: (batch: number, hidden: number, p: LIFCorrelationParameters) => lifCorrelationInitialState(batch, inputSize, hidden, p),
    step: lifCorrelationStep,
  });
}

/**
 * One step of recurrent LIF neurons and their correlation sensors: `forward(spikes [B, input], state?) → [spikes,
 * state]`.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `LIFCorrelationState` (lifState, inputCorrelationState, recurrentCorrelationState) of the same shape; without
 * `state` the cell starts from rest. Step it over time with `Lift`.
 */
export class LIFCorrelationRecurrentCell extends RecurrentCell<LIFCorrelationParameters, LIFCorrelationState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFCorrelation parameters (`Partial<LIFCorrelationParameters>`): a field left out keeps its default
   *   — the defaults are `DEFAULT_LIF_CORRELATION_PARAMETERS` = `{ lifParameters: DEFAULT_LIF_PARAMETERS,
   *   inputCorrelationParameters: DEFAULT_CORRELATION_SENSOR_PARAMETERS, recurrentCorrelationParameters:
   *   DEFAULT_CORRELATION_SENSOR_PARAMETERS }`. A field may be a tensor (one value per neuron); those named in
   *   `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(
    inputSize: number, hiddenSize: number, p: LIFCorrelationParametersInput = {}, options: RecurrentCellOptions<LIFCorrelationParameters> = {},
  ) {
    super(lifCorrelationModel(inputSize), inputSize, hiddenSize, p as Partial<LIFCorrelationParameters>, options);
  }
}

/**
 * Recurrent LIF neurons with correlation sensors over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `LIFCorrelationState` (lifState, inputCorrelationState, recurrentCorrelationState) with [B, …]
 * fields (every step's, stacked, with `recordStates`); without `state` the layer starts from rest. It steps the cell
 * over time (see `Lift`).
 */
export class LIFCorrelationRecurrent extends RecurrentSequence<LIFCorrelationParameters, LIFCorrelationState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param p the LIFCorrelation parameters (`Partial<LIFCorrelationParameters>`): a field left out keeps its default
   *   — the defaults are `DEFAULT_LIF_CORRELATION_PARAMETERS` = `{ lifParameters: DEFAULT_LIF_PARAMETERS,
   *   inputCorrelationParameters: DEFAULT_CORRELATION_SENSOR_PARAMETERS, recurrentCorrelationParameters:
   *   DEFAULT_CORRELATION_SENSOR_PARAMETERS }`. A field may be a tensor (one value per neuron); those named in
   *   `options.trainable` become variables and are learnt.
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(
    inputSize: number, hiddenSize: number, p: LIFCorrelationParametersInput = {},
    options: RecurrentCellOptions<LIFCorrelationParameters> & SequenceOptions = {},
  ) {
    super(lifCorrelationModel(inputSize), inputSize, hiddenSize, p as Partial<LIFCorrelationParameters>, options);
  }
}
