/**
 * Modules for any neuron spec (`defineNeuron` in @snn/functional): `NeuronCell` (one step) and
 * `NeuronSequence` (the same over [T, B, ...], through the spec's integral, fused where a kernel is
 * generated). A user-defined model needs no module code of its own: `new NeuronCell(QIF)`.
 */
import {
  assertNeuronSpec, neuronInitialState, neuronIntegral, neuronParameters, neuronStep, type NeuronParameters, type NeuronSpec,
  type NeuronState,
} from '@snn/functional';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError } from '@snn/tensor';
import { FeedForwardCell, type CellOptions, type FeedForwardModel } from './cell.js';
import { FeedForwardSequence, type SequenceOptions } from './sequence.js';

const models = new WeakMap<NeuronSpec, FeedForwardModel<NeuronParameters, NeuronState>>();

/** A spec in the form the generic feed-forward cell and sequence take (one per spec; one-input specs only). */
export function neuronModel<P extends string, S extends string>(spec: NeuronSpec<P, S>, fn = 'neuronModel'): FeedForwardModel<NeuronParameters<P>, NeuronState<S>> {
  assertNeuronSpec(fn, spec);
  if (spec.inputNames.length !== 1) throw argumentError(fn, 'spec', `a model with one input (a cell takes one tensor); '${spec.name}' has ${spec.inputNames.join(', ')}`, spec.name, true);
  const known = models.get(spec as unknown as NeuronSpec);
  if (known) return known as unknown as FeedForwardModel<NeuronParameters<P>, NeuronState<S>>;
  const model: FeedForwardModel<NeuronParameters<P>, NeuronState<S>> = Object.freeze<FeedForwardModel<NeuronParameters<P>, NeuronState<S>>>({
    name: spec.name,
    parameters: (p: Partial<NeuronParameters<P>> | undefined, where: string) => neuronParameters(spec, p, where),
    initialState: (shape: readonly number[], p: NeuronParameters<P>) => neuronInitialState(spec, shape, p),
    step: (x: Tensor, s: NeuronState<S>, p: NeuronParameters<P>, dt: number) => neuronStep(spec, x, s, p, dt),
    integral: (x: Tensor, s: NeuronState<S>, p: NeuronParameters<P>, dt: number) => neuronIntegral(spec, x, s, p, dt),
  });
  models.set(spec as unknown as NeuronSpec, model as unknown as FeedForwardModel<NeuronParameters, NeuronState>);
  return model;
}

/**
 * One step of a spec'd model: `new NeuronCell(QIF, { vTh: 0.9 }).forward(current, state?) → [output, state]`.
 *
 * `forward(input [B, …], state?) → [output, state]`: the spec's first output [B, …] (spikes, for a spiking
 * model) and the new state (one tensor per state variable, the input's shape); without `state` the cell
 * starts from the spec's resting state. Step it over time with `Lift`, or use `NeuronSequence`.
 */
export class NeuronCell<P extends string, S extends string> extends FeedForwardCell<NeuronParameters<P>, NeuronState<S>> {
  /**
   * @param spec     the neuron model (`defineNeuron`); one input
   * @param p        its parameters (partial: the others keep the spec's defaults)
   * @param options  time step, trainable parameters, name
   */
  constructor(spec: NeuronSpec<P, S>, p: Partial<NeuronParameters<P>> = {}, options: CellOptions<NeuronParameters<P>> = {}) {
    super(neuronModel(spec, 'NeuronCell'), p, options);
  }
}

/**
 * A spec'd model over a sequence: `new NeuronSequence(QIF).forward(input) → [outputs, state]`.
 *
 * `forward(input [T, B, …], state?) → [output, state]`: the spec's first output stacked over time [T, B, …] and
 * the final state, through the spec's integral (one fused kernel where one is generated for the backend).
 */
export class NeuronSequence<P extends string, S extends string> extends FeedForwardSequence<NeuronParameters<P>, NeuronState<S>> {
  /**
   * @param spec     the neuron model (`defineNeuron`); one input
   * @param p        its parameters (partial: the others keep the spec's defaults)
   * @param options  time step, trainable parameters, name, recordStates
   */
  constructor(spec: NeuronSpec<P, S>, p: Partial<NeuronParameters<P>> = {}, options: CellOptions<NeuronParameters<P>> & SequenceOptions = {}) {
    super(neuronModel(spec, 'NeuronSequence'), p, options);
  }
}
