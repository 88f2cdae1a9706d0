/**
 * `Lift`: runs anything that maps one time step over the leading time axis of a sequence [T, ...].
 *
 * What it lifts: a stateful snn-ts module (a cell: `forward(x, s?) → [y, s]`), a stateless one
 * (`forward(x) → y`), a tfjs-layers layer (`layer.apply(x)`), or a plain function of a tensor. The
 * time loop tidies every step, so memory stays flat over any number of steps.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertTensor, describeValue, tidy } from '@snn/tensor';
import { integrate, stateTensors, type RecordedStates } from '@snn/functional';
import { isStateful, type StatefulModule } from './cell.js';
import { isLayer, Module } from './module.js';

/** A tfjs-layers layer (anything with `apply(tensor) → tensor`). */
export interface LayerLike {
  /** Runs the layer on one step's input. */
  apply(input: Tensor): Tensor | Tensor[] | unknown;
  /** The layer's name, for error messages. */
  readonly name?: string;
}

/**
 * A stateful module that can also run a whole sequence [T, ...] in one call (undefined when it cannot
 * for this input); `Lift` prefers it to stepping.
 */
export interface SequenceCapable {
  /** The outputs [T, ...] and the final state, or undefined to be stepped instead. */
  forwardSequence(input: Tensor, state?: unknown): [Tensor, unknown] | undefined;
}

/** A module whose forward maps one tensor to one tensor. */
export interface StatelessModule {
  /** The output for one step's input. */
  forward(input: Tensor): Tensor;
}

/** Everything `Lift` and `SequentialState` can drive. */
export type Steppable = StatefulModule | StatelessModule | LayerLike | ((input: Tensor) => Tensor);

/** A uniform view of a steppable: a step function with an optional state. */
export function asStep(what: Steppable, owner: string, argName: string): (x: Tensor, s: unknown) => [Tensor, unknown] {
  if (isStateful(what)) {
    return (x, s) => {
      const result = what.forward(x, s as never) as unknown;
      if (!Array.isArray(result) || result.length !== 2) {
        throw new Error(`${owner}: ${nameOf(what, 'the module')}.forward returned ${describeValue(result)}; expected a pair [output, state] (a stateful module's step)`);
      }
      if (!(result[0] instanceof tf.Tensor)) throw new Error(`${owner}: ${nameOf(what, 'the module')} returned ${Array.isArray(result[0]) ? 'several tensors (a SequentialState with returnHidden?)' : describeValue(result[0])} as its output; expected one tensor per step`);
      return result as [Tensor, unknown];
    };
  }
  if (what instanceof Module || (typeof what === 'object' && what !== null && typeof (what as StatelessModule).forward === 'function')) {
    return (x) => [oneTensor(owner, argName, `${nameOf(what, 'the module')}.forward`, (what as StatelessModule).forward(x)), undefined];
  }
  if (typeof what === 'object' && what !== null && typeof (what as LayerLike).apply === 'function') {
    return (x) => {
      const y = (what as LayerLike).apply(x);
      if (!(y instanceof tf.Tensor)) throw new Error(`${owner}: the layer ${(what as LayerLike).name ?? ''} returned ${Array.isArray(y) ? 'several tensors' : 'no tensor'}; expected one tensor per step`);
      return [y, undefined];
    };
  }
  if (typeof what === 'function') return (x) => [oneTensor(owner, argName, `the function ${what.name || '(anonymous)'}`, (what as (x: Tensor) => Tensor)(x)), undefined];
  throw argumentError(owner, argName, 'an snn-ts module, a tfjs-layers layer or a function of a tensor', what);
}

/** The name of a steppable for messages (`fallback` when it has none, or is not an object). */
function nameOf(what: unknown, fallback: string): string {
  const name = typeof what === 'object' && what !== null ? (what as { name?: unknown }).name : typeof what === 'function' ? what.name : undefined;
  return typeof name === 'string' && name.length > 0 ? name : fallback;
}

/** What one step returned must be one tensor. */
function oneTensor(owner: string, argName: string, what: string, y: unknown): Tensor {
  if (!(y instanceof tf.Tensor)) throw new Error(`${owner}: ${argName} returned ${Array.isArray(y) ? 'several values' : describeValue(y)}; expected a tensor, one per step (${what})`);
  return y;
}

/** Disposes whatever the tensors of a (possibly nested) state are. */
export function disposeState(state: unknown): void {
  if (state instanceof tf.Tensor) state.dispose();
  else if (typeof state === 'object' && state !== null) tf.dispose(stateTensors(state));
}

/** Options of `Lift` (and of every sequence layer). */
export interface LiftOptions {
  /** Also return every step's state, each field stacked over time (stateful modules only). */
  readonly recordStates?: boolean;
}

/**
 * `new Lift(new LIFCell()).forward(input)` with input [T, B, ...] returns `[outputs [T, B, ...], finalState]`
 * (`finalState` is undefined for stateless modules); with `recordStates`, `[outputs, states]` where each
 * state field is stacked over time. A module or tfjs-layers layer given to Lift is owned by it: its weights are listed among
 * Lift's variables (a layer's once it is built) and `lift.dispose()` disposes it.
 *
 * Shapes: the input [T, B, …] is cut along its first axis; each step's output [B, …] is stacked back into [T, B, …].
 * Where the inner module has a sequence path (a cell of a model with an integral, a `SequentialState` of such cells
 * and stateless layers), the whole sequence runs at once — one fused kernel per cell where the backend has one — with
 * the same outputs and gradients as stepping it.
 */
export class Lift<S = unknown> extends Module {
  /** Marks the module as stateful: `forward(input, state?) → [outputs, state]`. */
  readonly stateful = true as const;
  private readonly step: (x: Tensor, s: unknown) => [Tensor, unknown];
  /** What is run at every step (owned: disposed with the Lift). */
  readonly inner: Steppable;
  /** Whether `forward` returns every step's state instead of the final one. */
  readonly recordStates: boolean;

  /**
   * @param inner what runs at every step: a cell (stateful module), a stateless module, a tfjs-layers layer or a
   *   function tensor → tensor; owned by the Lift (disposed with it)
   * @param options `recordStates`: return every step's state, each field stacked over time [T, …], instead of the
   *   final one (default false)
   */
  constructor(inner: Steppable, options: LiftOptions = {}) {
    super(`Lift(${nameOf(inner, 'function')})`);
    this.step = asStep(inner, 'Lift', 'inner');
    if (typeof options !== 'object' || options === null) throw argumentError('Lift', 'options', 'an object { recordStates? }', options);
    if (options.recordStates !== undefined && typeof options.recordStates !== 'boolean') throw argumentError('Lift', 'options.recordStates', 'a boolean', options.recordStates);
    this.inner = inner;
    this.recordStates = options.recordStates ?? false;
    if (inner instanceof Module) this.addModule('inner', inner);
    else if (isLayer(inner)) this.addLayer('inner', inner);
  }

  /** Runs the inner module over the first axis of `input` ([T, ...]); returns the outputs, [T, ...], and the final state (with `recordStates`, every step's). */
  forward(input: Tensor, state?: S): [Tensor, S] {
    this.assertLive();
    assertTensor(`${this.name}.forward`, 'input', input, { minRank: 2 });
    if (input.shape[0] === 0) throw argumentError(`${this.name}.forward`, 'input', 'a sequence [T, ...] with T ≥ 1 time steps', input);
    if (!isStateful(this.inner) && this.recordStates) {
      throw new Error(`${this.name}: recordStates needs a stateful module; ${String((this.inner as { name?: string }).name ?? 'this one')} has no state`);
    }
    return runOverTime(this.inner, this.step, input, state, this.recordStates) as [Tensor, S];
  }
}

/**
 * Runs `inner` (whose step function is `step`, see `asStep`) over the leading time axis of `input`
 * [T, ...]: `[outputs [T, ...], finalState]`, or with `recordStates` every step's state stacked over
 * time. A stateless `inner` returns an undefined state. A stateful module that can run the whole
 * sequence at once (`SequenceCapable`: a neuron cell's integral — one fused kernel where the backend has
 * one — or a SequentialState layer by layer) does so; the others are stepped, each step tidied. What
 * `Lift.forward` runs, and what `SequentialState` runs for each of its stateful entries.
 */
export function runOverTime(
  inner: Steppable, step: (x: Tensor, s: unknown) => [Tensor, unknown], input: Tensor, state: unknown, recordStates = false,
): [Tensor, unknown] {
  if (!isStateful(inner)) {
    const [out] = integrate(input, {}, (x) => [step(x, undefined)[0], {}]);
    return [out, undefined];
  }
  const sequence = (inner as Partial<SequenceCapable>).forwardSequence;
  if (!recordStates && typeof sequence === 'function') {
    const whole = sequence.call(inner, input, state);
    if (whole) return whole;
  }
  // The first step creates the resting state when none is given; integrate then owns nothing of the caller's.
  return tidy(() => {
    const [first, s1] = step(tf.squeeze(tf.slice(input, 0, 1), [0]), state);
    const rest = tf.slice(input, 1);
    if (rest.shape[0] === 0) {
      const out = tf.expandDims(first, 0);
      if (!recordStates) return [out, s1] as [Tensor, unknown];
      return [out, expandState(s1 as object)] as [Tensor, unknown];
    }
    const result = recordStates
      ? integrate(rest, s1 as object, (x, s) => step(x, s) as [Tensor, object], { recordStates: true })
      : integrate(rest, s1 as object, (x, s) => step(x, s) as [Tensor, object]);
    const outputs = tf.concat([tf.expandDims(first, 0), result[0]]);
    if (!recordStates) return [outputs, result[1]] as [Tensor, unknown];
    const recorded = concatStates(expandState(s1 as object), result[2] as object);
    return [outputs, recorded] as [Tensor, unknown];
  });
}

function expandState(state: object): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) out[k] = v instanceof tf.Tensor ? tf.expandDims(v, 0) : expandState(v as object);
  return out;
}

function concatStates(a: object, b: object): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) {
    const w = (b as Record<string, unknown>)[k];
    out[k] = v instanceof tf.Tensor ? tf.concat([v, w as Tensor]) : concatStates(v as object, w as object);
  }
  return out;
}

export type { RecordedStates };
