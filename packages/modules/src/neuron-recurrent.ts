/**
 * Recurrent modules for any recurrent neuron spec (`defineNeuron` with `recurrent: { input, output }`):
 * `NeuronRecurrentCell` (one step, owning input and recurrent weights) and `NeuronRecurrentSequence`
 * (the same over [T, B, nIn], through the spec's recurrent sequence kernel where one is generated). A
 * user-defined recurrent model needs no module code of its own: `new NeuronRecurrentSequence(MY_SPEC, 4, 16)`.
 */
import {
  assertNeuronSpec, neuronParameters, neuronRecurrentInitialState, neuronRecurrentIntegral, neuronRecurrentStep,
  type NeuronParameters, type NeuronSpec, type NeuronState,
} from '@snn/functional';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError } from '@snn/tensor';
import { RecurrentCell, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { RecurrentSequence, type SequenceOptions } from './sequence.js';

const models = new WeakMap<NeuronSpec, RecurrentModel<NeuronParameters, NeuronState>>();

/** A recurrent spec in the form the generic recurrent cell and sequence take (one per spec). */
export function neuronRecurrentModel<P extends string, S extends string, I extends string, O extends string>(
  spec: NeuronSpec<P, S, I, O>, fn = 'neuronRecurrentModel',
): RecurrentModel<NeuronParameters<P>, NeuronState<S | O>> {
  assertNeuronSpec(fn, spec);
  if (!spec.recurrent) throw argumentError(fn, 'spec', `a recurrent spec (defineNeuron with recurrent: { input, output }); '${spec.name}' is feed-forward — use NeuronCell`, spec.name, true);
  type Model = RecurrentModel<NeuronParameters<P>, NeuronState<S | O>>;
  const known = models.get(spec as unknown as NeuronSpec);
  if (known) return known as unknown as Model;
  const model: Model = Object.freeze<Model>({
    name: spec.name,
    parameters: (p: Partial<NeuronParameters<P>> | undefined, where: string) => neuronParameters(spec, p, where),
    initialState: (batch: number, hidden: number, p: NeuronParameters<P>) => neuronRecurrentInitialState(spec, batch, hidden, p),
    step: (x: Tensor, s: NeuronState<S | O>, wIn: Tensor, wRec: Tensor, p: NeuronParameters<P>, dt: number) => neuronRecurrentStep(spec, x, s, wIn, wRec, p, dt),
    integral: (x: Tensor, s: NeuronState<S | O>, wIn: Tensor, wRec: Tensor, p: NeuronParameters<P>, dt: number) => neuronRecurrentIntegral(spec, x, s, wIn, wRec, p, dt),
  });
  models.set(spec as unknown as NeuronSpec, model as unknown as RecurrentModel<NeuronParameters, NeuronState>);
  return model;
}

/**
 * One recurrent step of a recurrent spec with its own weights:
 * `new NeuronRecurrentCell(SPEC, inputSize, hiddenSize).forward(input, state?) → [output, state]`.
 *
 * `forward(input [B, inputSize], state?) → [output, state]`: the spec's first output [B, hiddenSize] and the new
 * state (the fed-back output and every state variable, [B, hiddenSize] each); without `state` the cell starts
 * from the spec's resting state with no spikes. Step it over time with `Lift`, or use `NeuronRecurrentSequence`.
 */
export class NeuronRecurrentCell<P extends string, S extends string, I extends string, O extends string> extends RecurrentCell<NeuronParameters<P>, NeuronState<S | O>> {
  /**
   * @param spec        the recurrent neuron model (`defineNeuron` with `recurrent`)
   * @param inputSize   input features per step; the input weights are [hiddenSize, inputSize]
   * @param hiddenSize  neurons of the layer; the recurrent weights are [hiddenSize, hiddenSize]
   * @param p           its parameters (partial: the others keep the spec's defaults; a field may be a tensor)
   * @param options     `dt` in seconds (default 0.001), `trainable`, `name`, `autapses` (default false), `seed`
   */
  constructor(spec: NeuronSpec<P, S, I, O>, inputSize: number, hiddenSize: number, p: Partial<NeuronParameters<P>> = {}, options: RecurrentCellOptions<NeuronParameters<P>> = {}) {
    super(neuronRecurrentModel(spec, 'NeuronRecurrentCell'), inputSize, hiddenSize, p, options);
  }
}

/**
 * A recurrent spec's layer over a sequence: `new NeuronRecurrentSequence(SPEC, inputSize, hiddenSize).forward(input)`.
 *
 * `forward(input [T, B, inputSize], state?) → [output, state]`: the spec's first output over time [T, B, hiddenSize]
 * and the final state (every step's with `recordStates`), through the spec's recurrent sequence kernel where one is
 * generated for the backend.
 */
export class NeuronRecurrentSequence<P extends string, S extends string, I extends string, O extends string> extends RecurrentSequence<NeuronParameters<P>, NeuronState<S | O>> {
  /**
   * @param spec        the recurrent neuron model (`defineNeuron` with `recurrent`)
   * @param inputSize   input features per step; the input weights are [hiddenSize, inputSize]
   * @param hiddenSize  neurons of the layer; the recurrent weights are [hiddenSize, hiddenSize]
   * @param p           its parameters (partial: the others keep the spec's defaults; a field may be a tensor)
   * @param options     the cell's options (`dt` in seconds, default 0.001; `trainable`; `name`; `autapses`, default
   *   false; `seed`) and `recordStates` (default false)
   */
  constructor(spec: NeuronSpec<P, S, I, O>, inputSize: number, hiddenSize: number, p: Partial<NeuronParameters<P>> = {}, options: RecurrentCellOptions<NeuronParameters<P>> & SequenceOptions = {}) {
    super(neuronRecurrentModel(spec, 'NeuronRecurrentSequence'), inputSize, hiddenSize, p, options);
  }
}
