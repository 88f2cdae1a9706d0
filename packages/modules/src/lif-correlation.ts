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

/** One step of recurrent LIF neurons and their correlation sensors: `forward(spikes [B, input], state?) → [spikes, state]`. */
export class LIFCorrelationRecurrentCell extends RecurrentCell<LIFCorrelationParameters, LIFCorrelationState> {
  constructor(
    inputSize: number, hiddenSize: number, p: LIFCorrelationParametersInput = {}, options: RecurrentCellOptions<LIFCorrelationParameters> = {},
  ) {
    super(lifCorrelationModel(inputSize), inputSize, hiddenSize, p as Partial<LIFCorrelationParameters>, options);
  }
}

/** Recurrent LIF neurons with correlation sensors over a sequence [T, B, inputSize]. */
export class LIFCorrelationRecurrent extends RecurrentSequence<LIFCorrelationParameters, LIFCorrelationState> {
  constructor(
    inputSize: number, hiddenSize: number, p: LIFCorrelationParametersInput = {},
    options: RecurrentCellOptions<LIFCorrelationParameters> & SequenceOptions = {},
  ) {
    super(lifCorrelationModel(inputSize), inputSize, hiddenSize, p as Partial<LIFCorrelationParameters>, options);
  }
}
