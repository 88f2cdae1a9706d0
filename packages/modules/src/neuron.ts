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

/** One step of a spec'd model: `new NeuronCell(QIF, { vTh: 0.9 }).forward(current, state?) → [output, state]`. */
export class NeuronCell<P extends string, S extends string> extends FeedForwardCell<NeuronParameters<P>, NeuronState<S>> {
  constructor(spec: NeuronSpec<P, S>, p: Partial<NeuronParameters<P>> = {}, options: CellOptions<NeuronParameters<P>> = {}) {
    super(neuronModel(spec, 'NeuronCell'), p, options);
  }
}

/** A spec'd model over a sequence [T, B, ...]: `new NeuronSequence(QIF).forward(input) → [outputs, state]`. */
export class NeuronSequence<P extends string, S extends string> extends FeedForwardSequence<NeuronParameters<P>, NeuronState<S>> {
  constructor(spec: NeuronSpec<P, S>, p: Partial<NeuronParameters<P>> = {}, options: CellOptions<NeuronParameters<P>> & SequenceOptions = {}) {
    super(neuronModel(spec, 'NeuronSequence'), p, options);
  }
}
