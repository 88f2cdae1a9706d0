/**
 * The public functions of a spec'd neuron model (`defineNeuron`): its parameters, resting state, one
 * step and the time loop — `f(spec, input, state, p?, dt = 0.001) → [output, state]` like every
 * built-in model.
 *
 * The integral runs as ONE fused kernel (forward, and its derived adjoint for the gradient) where it
 * can: every parameter a number, a deterministic surrogate, and a kernel for the active backend —
 * registered, or generated from the spec's plan on first use by the backend's plan compiler
 * (kernels-on-demand.ts). Elsewhere — tensor (per-neuron or trainable) parameters, a stochastic
 * surrogate, a backend without a compiler — the composite path runs: the same numbers (the
 * specification), step by step.
 */
import type { Tensor } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import {
  argumentError, assertSameShape, assertShape, assertTensor, hasTensorParameters, isTensor, tidy,
  type ParameterValue, type StabilityOption,
} from '@snn/tensor';
import type { StochasticOption, SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkSequence, resolveParameters } from '../checks.js';
import { isFusableSurrogate } from '../fused/surrogate-codes.js';
import { assertNeuronSpec, type NeuronSpec } from './define.js';
import { compositeIntegral, compositeStep, specCompositeParameters } from './composite.js';
import { prepareSpecKernels, specFusedOp } from './kernels-on-demand.js';
import { lowerSpec, specKernelAttrs } from './lower.js';

/** The parameters of a spec'd model: its own (numbers or tensors), the surrogate, and the usual options. */
export type NeuronParameters<P extends string = string> = { readonly [K in P]: ParameterValue } & {
  /** Surrogate gradient method of the spike. */
  readonly method: SurrogateMethod;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
} & StabilityOption & StochasticOption;

/** The state of a spec'd model: one tensor per state variable. */
export type NeuronState<S extends string = string> = { readonly [K in S]: Tensor };

/** The input of a step or a sequence: a tensor for a one-input model, else one tensor per input name. */
export type NeuronInput<I extends string = string> = Tensor | { readonly [K in I]: Tensor };

/** What `neuronStepOutputs` and `neuronIntegralOutputs` return. */
export interface NeuronOutputs<S extends string = string, O extends string = string> {
  /** Every output of the model, by name (one step's, or stacked over time [T, ...]). */
  readonly outputs: { readonly [K in O]: Tensor };
  /** The state after the step (or the last step). */
  readonly state: NeuronState<S>;
}


/** Merges and checks a spec'd model's parameters (unknown names, non-finite values, `positive` > 0, `nonNegative` ≥ 0). */
export function neuronParameters<P extends string>(spec: NeuronSpec<P>, p: Partial<NeuronParameters<P>> = {}, fn = 'neuronParameters'): NeuronParameters<P> {
  assertNeuronSpec(fn, spec);
  return resolveParameters(fn, spec.defaults as unknown as NeuronParameters<P>, p, { positive: spec.positive, nonNegative: spec.nonNegative });
}

/** The resting state for inputs of `shape`: each state at its initial value (a number or a parameter). */
export function neuronInitialState<P extends string, S extends string>(spec: NeuronSpec<P, S>, shape: readonly number[], p: Partial<NeuronParameters<P>> = {}): NeuronState<S> {
  const fn = 'neuronInitialState';
  assertNeuronSpec(fn, spec);
  assertShape(fn, 'shape', shape);
  const q = neuronParameters(spec, p, fn);
  return tidy(() => Object.fromEntries(spec.stateNames.map((s) => {
    const init: number | string = spec.initial[s];
    const value = typeof init === 'number' ? init : (q as Record<string, ParameterValue>)[init]!;
    return [s, typeof value === 'number' ? tf.fill([...shape], value) : tf.mul(tf.ones([...shape]), value)];
  })) as NeuronState<S>);
}

function inputList(fn: string, spec: NeuronSpec, input: unknown): { tensors: Tensor[]; first: string } {
  if (isTensor(input)) {
    if (spec.inputNames.length !== 1) throw argumentError(fn, 'input', `an object with the tensors ${spec.inputNames.join(', ')} (the inputs of '${spec.name}')`, input);
    return { tensors: [input], first: 'input' };
  }
  if (typeof input !== 'object' || input === null) throw argumentError(fn, 'input', `a tensor or an object with the tensors ${spec.inputNames.join(', ')}`, input);
  const unknown = Object.keys(input).find((k) => !(spec.inputNames as readonly string[]).includes(k));
  if (unknown) throw argumentError(fn, `input.${unknown}`, `one of the inputs of '${spec.name}' (${spec.inputNames.join(', ')})`, (input as Record<string, unknown>)[unknown]);
  const tensors = spec.inputNames.map((n) => {
    const t = (input as Record<string, unknown>)[n];
    assertTensor(fn, `input.${n}`, t);
    return t;
  });
  return { tensors, first: `input.${spec.inputNames[0]}` };
}


const record = <K extends string>(names: readonly K[], values: readonly Tensor[]): { [N in K]: Tensor } =>
  Object.fromEntries(names.map((n, k) => [n, values[k]!])) as { [N in K]: Tensor };

/**
 * One Euler step of a spec'd model (the composite path): every output by name, and the new state.
 * `input` [..., N] (any batch shape; a tensor, or one per input name), state fields of the same shape.
 */
export function neuronStepOutputs<P extends string, S extends string, I extends string, O extends string>(
  spec: NeuronSpec<P, S, I, O>, input: NeuronInput<I>, state: NeuronState<S>, p: Partial<NeuronParameters<P>> = {}, dt = 1e-3,
): NeuronOutputs<S, O> {
  const fn = 'neuronStep';
  assertNeuronSpec(fn, spec);
  const q = neuronParameters(spec, p, fn);
  const { tensors, first } = inputList(fn, spec, input);
  checkFeedForward(fn, tensors[0], state, spec.stateNames, q, dt, first);
  tensors.forEach((t, k) => assertSameShape(fn, `input.${spec.inputNames[k]}`, t, first, tensors[0]!));
  return tidy(() => {
    const run = compositeStep(spec, tensors, spec.stateNames.map((s) => state[s]), specCompositeParameters(spec, q, dt));
    return { outputs: record(spec.outputNames, run.outputs), state: record(spec.stateNames, run.states) };
  });
}

/** One Euler step of a spec'd model: `[first output, new state]` (see `neuronStepOutputs`). */
export function neuronStep<P extends string, S extends string, I extends string, O extends string>(
  spec: NeuronSpec<P, S, I, O>, input: NeuronInput<I>, state: NeuronState<S>, p: Partial<NeuronParameters<P>> = {}, dt = 1e-3,
): [Tensor, NeuronState<S>] {
  return firstOutput(spec, neuronStepOutputs(spec, input, state, p, dt));
}

/**
 * A spec'd model over the leading time axis of `input` [T, ...] (T ≥ 1): every output stacked over
 * time [T, ...] by name, and the final state — one fused kernel where it can (see the module comment;
 * a recurrent spec, whose recurrent input is given here, runs its composite path).
 */
export function neuronIntegralOutputs<P extends string, S extends string, I extends string, O extends string>(
  spec: NeuronSpec<P, S, I, O>, input: NeuronInput<I>, state: NeuronState<S>, p: Partial<NeuronParameters<P>> = {}, dt = 1e-3,
): NeuronOutputs<S, O> {
  const fn = 'neuronIntegral';
  assertNeuronSpec(fn, spec);
  const q = neuronParameters(spec, p, fn);
  const { tensors, first } = inputList(fn, spec, input);
  checkSequence(fn, tensors[0], state, spec.stateNames, q, dt, first);
  tensors.forEach((t, k) => assertSameShape(fn, `input.${spec.inputNames[k]}`, t, first, tensors[0]!));
  const states = spec.stateNames.map((s) => state[s]);
  const nOut = spec.outputNames.length;
  return tidy(() => {
    let list: Tensor[];
    // A recurrent spec's kernel computes r from its fed-back output (the recurrent layout); given r, its composite runs.
    if (!spec.recurrent && !hasTensorParameters(q) && isFusableSurrogate(q.method)) {
      const plan = lowerSpec(spec, q.method);
      prepareSpecKernels(spec, plan);
      const named = Object.fromEntries([...spec.inputNames.map((n, k) => [n, tensors[k]!]), ...spec.stateNames.map((s, k) => [`${s}0`, states[k]!])]);
      list = specFusedOp(spec, plan).run(named, specKernelAttrs(spec, q, dt));
    } else {
      const run = compositeIntegral(spec, tensors, states, specCompositeParameters(spec, q, dt));
      list = [...run.outputs, ...run.states];
    }
    return { outputs: record(spec.outputNames, list.slice(0, nOut)), state: record(spec.stateNames, list.slice(nOut)) };
  });
}

/** A spec'd model over a sequence: `[first output [T, ...], final state]` (see `neuronIntegralOutputs`). */
export function neuronIntegral<P extends string, S extends string, I extends string, O extends string>(
  spec: NeuronSpec<P, S, I, O>, input: NeuronInput<I>, state: NeuronState<S>, p: Partial<NeuronParameters<P>> = {}, dt = 1e-3,
): [Tensor, NeuronState<S>] {
  return firstOutput(spec, neuronIntegralOutputs(spec, input, state, p, dt));
}

/** The first output and the state; the other outputs are freed. */
function firstOutput<S extends string, O extends string>(spec: NeuronSpec<string, S, string, O>, run: NeuronOutputs<S, O>): [Tensor, NeuronState<S>] {
  const [primary, ...rest] = spec.outputNames;
  tf.dispose(rest.map((o) => run.outputs[o]));
  return [run.outputs[primary!], run.state];
}
