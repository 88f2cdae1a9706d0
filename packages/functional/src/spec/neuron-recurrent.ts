/**
 * Recurrent layers of any recurrent neuron spec — a spec defined with
 * `inputs: ['x', 'r'], recurrent: { input: 'r', output: 'z' }` (see `defineNeuron`): the layer owns
 * input weights W_in [H, nIn] and recurrent weights W_rec [H, H] ([out, in]); at each step the spec's
 * input x is the input current input·W_inᵀ and r is the recurrent current z_prev·W_recᵀ, where z_prev
 * is the fed-back output of the step before (part of the state, like a built-in recurrent model's `z`).
 *
 * `f(spec, input, state, inputWeights, recurrentWeights, p?, dt = 0.001) → [first output, state]`, like
 * `lifStep` / `lifRecurrentIntegral`. The sequence runs as ONE fused kernel where it can — every
 * parameter a number, a deterministic surrogate, a backend with a recurrent plan compiler: the input
 * product once for all steps, then the recurrent product (event-driven over the spikes) and the
 * dynamics inside the kernel, its derived adjoint for the gradient. Elsewhere the composite path runs
 * step by step with the same numbers.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertSize, spikeMatMul, tidy } from '@snn/tensor';
import { checkRecurrent, checkRecurrentSequence } from '../checks.js';
import { inputCurrents } from '../recurrent-sequence.js';
import { assertNeuronSpec, type NeuronSpec } from './define.js';
import { compositeRecurrentIntegral, compositeStep, specCompositeParameters } from './composite.js';
import { fusedSpecRecurrentIntegral, fusedSpecRecurrentStep } from './models/fused-integral.js';
import { neuronInitialState, neuronParameters, type NeuronParameters, type NeuronState } from './neuron.js';

/** The spec's recurrent wiring, checked: a recurrent spec with exactly one input besides r. */
function wiring(fn: string, spec: NeuronSpec): { input: string; output: string; current: string } {
  assertNeuronSpec(fn, spec);
  const rec = spec.recurrent;
  if (!rec) {
    throw argumentError(fn, 'spec', "a recurrent spec (defineNeuron with inputs: ['x', 'r'] and recurrent: { input: 'r', output: 'z' })", spec.name, true);
  }
  if (spec.inputNames.length !== 2) {
    throw argumentError(fn, 'spec', `a recurrent spec with one input besides '${rec.input}' (the layer's input current); '${spec.name}' has ${spec.inputNames.join(', ')}`, spec.name, true);
  }
  return { input: rec.input, output: rec.output, current: spec.inputNames.find((n) => n !== rec.input)! };
}

/** The state fields of a recurrent spec's layer: the fed-back output, then the spec's states. */
function fields(spec: NeuronSpec, output: string): string[] {
  return [output, ...spec.stateNames];
}

/**
 * The resting state of `batch` × `hidden` neurons of a recurrent spec: every state at its initial value
 * and the fed-back output 0.
 */
export function neuronRecurrentInitialState<P extends string, S extends string, I extends string, O extends string>(
  spec: NeuronSpec<P, S, I, O>, batch: number, hidden: number, p: Partial<NeuronParameters<P>> = {},
): NeuronState<S | O> {
  const fn = 'neuronRecurrentInitialState';
  const { output } = wiring(fn, spec as unknown as NeuronSpec);
  assertSize(fn, 'batch', batch);
  assertSize(fn, 'hidden', hidden);
  const states = neuronInitialState(spec, [batch, hidden], p);
  return { ...states, [output]: tf.zeros([batch, hidden]) } as NeuronState<S | O>;
}

/** The spec's inputs in its order: the input current and r. */
function ordered(spec: NeuronSpec, current: string, x: Tensor, r: Tensor): Tensor[] {
  return spec.inputNames.map((n) => (n === current ? x : r));
}

/**
 * One recurrent step: `input` [B, nIn], `state` [B, H] fields (the fed-back output and the spec's
 * states), `inputWeights` [H, nIn], `recurrentWeights` [H, H]. Returns the spec's first output [B, H]
 * and the new state (its fed-back output is this step's).
 */
export function neuronRecurrentStep<P extends string, S extends string, I extends string, O extends string>(
  spec: NeuronSpec<P, S, I, O>, input: Tensor, state: NeuronState<S | O>, inputWeights: Tensor, recurrentWeights: Tensor,
  p: Partial<NeuronParameters<P>> = {}, dt = 1e-3,
): [Tensor, NeuronState<S | O>] {
  const fn = 'neuronRecurrentStep';
  const model = spec as unknown as NeuronSpec;
  const { output, current } = wiring(fn, model);
  const q = neuronParameters(spec, p, fn);
  checkRecurrent(fn, input, state, fields(model, output), inputWeights, recurrentWeights, q, dt);
  const given = state as Readonly<Record<string, Tensor>>;
  return tidy(() => {
    const x = spikeMatMul(input, inputWeights, true, { name: 'input' });
    const fused = fusedSpecRecurrentStep(model, x, given, recurrentWeights, q, dt);
    if (fused) return fused as [Tensor, NeuronState<S | O>];
    const r = tf.matMul(given[output]!, recurrentWeights, false, true);
    const run = compositeStep(model, ordered(model, current, x, r), model.stateNames.map((s) => given[s]!), specCompositeParameters(model, q, dt));
    const next: Record<string, Tensor> = { [output]: run.outputs[model.outputNames.indexOf(output)]! };
    model.stateNames.forEach((s, k) => { next[s] = run.states[k]!; });
    return [run.outputs[0]!, next] as [Tensor, NeuronState<S | O>];
  });
}

/**
 * The recurrent layer over a sequence `input` [T, B, nIn] (T ≥ 1), weights and state as
 * `neuronRecurrentStep`'s. Returns the spec's first output over time [T, B, H] and the final state (its
 * fed-back output is the last step's) — one fused kernel where it can (see the module comment).
 */
export function neuronRecurrentIntegral<P extends string, S extends string, I extends string, O extends string>(
  spec: NeuronSpec<P, S, I, O>, input: Tensor, state: NeuronState<S | O>, inputWeights: Tensor, recurrentWeights: Tensor,
  p: Partial<NeuronParameters<P>> = {}, dt = 1e-3,
): [Tensor, NeuronState<S | O>] {
  const fn = 'neuronRecurrentIntegral';
  const model = spec as unknown as NeuronSpec;
  const { output } = wiring(fn, model);
  const q = neuronParameters(spec, p, fn);
  checkRecurrentSequence(fn, input, state, fields(model, output), inputWeights, recurrentWeights, q, dt);
  const given = state as Readonly<Record<string, Tensor>>;
  return tidy(() => {
    const x = inputCurrents(input, inputWeights);
    const fused = fusedSpecRecurrentIntegral(model, x, given, recurrentWeights, q, dt);
    if (fused) return fused as [Tensor, NeuronState<S | O>];
    const run = compositeRecurrentIntegral(model, [x], given[output]!, model.stateNames.map((s) => given[s]!), recurrentWeights, specCompositeParameters(model, q, dt));
    const fed = run.outputs[model.outputNames.indexOf(output)]!;
    const next: Record<string, Tensor> = { [output]: tf.squeeze(tf.slice(fed, fed.shape[0]! - 1, 1), [0]) };
    model.stateNames.forEach((s, k) => { next[s] = run.states[k]!; });
    return [run.outputs[0]!, next] as [Tensor, NeuronState<S | O>];
  });
}
