/**
 * The fused path of a built-in model from its spec: one kernel (forward, and the derived adjoint for
 * the gradient) over the whole sequence when every parameter is a number, the surrogate is
 * deterministic and the active backend has the spec's kernels (registered, or generated on first use
 * by its plan compiler — its recurrent plan compiler for a recurrent spec). Otherwise these answer
 * `undefined` and the model runs its composite step loop — the specification, which the spec
 * reproduces bit for bit.
 *
 * - `fusedSpecIntegral`: a feed-forward integral (the plan's integral kernel).
 * - `fusedSpecRecurrentIntegral`: a recurrent layer's sequence after its input product (the recurrent
 *   sequence kernel: the recurrent product z·wᵀ inside the kernel).
 * - `fusedSpecRecurrentStep`: one recurrent step, as that kernel with T = 1.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { hasTensorParameters, markSpikesLike, tidy } from '@snn/tensor';
import { isFusableSurrogate } from '../../fused/surrogate-codes.js';
import type { NeuronSpec } from '../define.js';
import { prepareSpecKernels, specFusedOp } from '../kernels-on-demand.js';
import { lowerSpec, specKernelAttrs } from '../lower.js';
import type { NeuronPlan } from '../plan.js';

/** The spec's plan when the fused path can run with parameters `q` on the active backend (kernels prepared), else undefined. */
function fusablePlan(spec: NeuronSpec, q: object): NeuronPlan | undefined {
  const method = (q as { method?: unknown }).method;
  if (hasTensorParameters(q) || typeof method !== 'string' || !isFusableSurrogate(method)) return undefined;
  const plan = lowerSpec(spec, method);
  return prepareSpecKernels(spec, plan) ? plan : undefined;
}

/**
 * Runs `spec` over `input` [T, ...] from `state` (one tensor per spec state, by name) with merged,
 * checked parameters `q` (named as the spec's); returns `[first output [T, ...], final state]`, or
 * `undefined` when the fused path cannot run (see the module comment). The caller checks arguments.
 */
export function fusedSpecIntegral<P extends string, S extends string, I extends string, O extends string>(
  model: NeuronSpec<P, S, I, O>, input: Tensor, state: Readonly<Record<S, Tensor>>, q: object, dt: number,
): [Tensor, Record<S, Tensor>] | undefined {
  const spec = model as unknown as NeuronSpec<string, S>; // the plan and the attributes are untyped data
  const plan = fusablePlan(spec as NeuronSpec, q);
  if (!plan) return undefined;
  return tidy(() => {
    const named: Record<string, Tensor> = { [spec.inputNames[0]!]: input };
    for (const s of spec.stateNames) named[`${s}0`] = state[s];
    const list = specFusedOp(spec as NeuronSpec, plan).run(named, specKernelAttrs(spec, q, dt));
    const nOut = spec.outputNames.length;
    const final = Object.fromEntries(spec.stateNames.map((s, k) => [s, list[nOut + k]!])) as Record<S, Tensor>;
    return [list[0]!, final] as [Tensor, Record<S, Tensor>];
  });
}

/** The recurrent kernel's outputs (the plan's outputs [T, B, H], then the final states) for `fusedSpecRecurrent*`. */
function runRecurrent(spec: NeuronSpec, plan: NeuronPlan, inputCurrent: Tensor, state: Readonly<Record<string, Tensor>>, w: Tensor, q: object, dt: number): Tensor[] {
  const rec = spec.recurrent!;
  const named: Record<string, Tensor> = { [spec.inputNames.find((n) => n !== rec.input)!]: inputCurrent, [`${rec.output}0`]: state[rec.output]!, w };
  for (const s of spec.stateNames) named[`${s}0`] = state[s]!;
  return specFusedOp(spec, plan).run(named, specKernelAttrs(spec, q, dt));
}

/** The recurrent spec's plan when its fused path can run (see `fusablePlan`); throws for a spec without recurrent wiring. */
function fusableRecurrentPlan(fn: string, spec: NeuronSpec, q: object): NeuronPlan | undefined {
  if (!spec.recurrent) throw new Error(`${fn}: the spec '${spec.name}' is not recurrent (no recurrent wiring)`);
  return fusablePlan(spec, q);
}

/**
 * True when the fused path of `spec` can run with merged parameters `q` on the active backend (its
 * kernels are there, or were generated now): a recurrent layer asks before it computes its input
 * product for the whole sequence.
 */
export function specFusable(spec: NeuronSpec<string, string, string, string> | object, q: object): boolean {
  return fusablePlan(spec as NeuronSpec, q) !== undefined;
}

/**
 * Runs the recurrent `spec` over its input current `inputCurrent` [T, B, H] (x·W_inᵀ for every step:
 * the spec's one input besides the recurrent r) from `state` — the fed-back output (e.g. `z`, the
 * spikes of the step before) and one tensor per spec state, [B, H] each, by name — with the recurrent
 * weights `w` [H, H] ([out, in]) and merged, checked parameters `q` (named as the spec's). Returns
 * `[first output [T, B, H], final state]` (its fed-back output: the last step's), or `undefined` when
 * the fused path cannot run (see the module comment). The caller checks arguments.
 */
export function fusedSpecRecurrentIntegral<P extends string, S extends string, I extends string, O extends string>(
  model: NeuronSpec<P, S, I, O>, inputCurrent: Tensor, state: Readonly<Record<S | O, Tensor>>, w: Tensor, q: object, dt: number,
): [Tensor, Record<S | O, Tensor>] | undefined {
  const spec = model as unknown as NeuronSpec; // the plan and the attributes are untyped data
  const plan = fusableRecurrentPlan('fusedSpecRecurrentIntegral', spec, q);
  if (!plan) return undefined;
  const given = state as Readonly<Record<string, Tensor>>;
  const rec = spec.recurrent!;
  return tidy(() => {
    const list = runRecurrent(spec, plan, inputCurrent, given, w, q, dt);
    const fed = list[spec.outputNames.indexOf(rec.output)]!;
    const T = inputCurrent.shape[0]!;
    const final: Record<string, Tensor> = { [rec.output]: T === 0 ? tf.clone(given[rec.output]!) : markSpikesLike(tf.squeeze(tf.slice(fed, T - 1, 1), [0]), fed) };
    spec.stateNames.forEach((s, k) => { final[s] = list[spec.outputNames.length + k]!; });
    return [list[0]!, final] as [Tensor, Record<S | O, Tensor>];
  });
}

/**
 * One recurrent step of `spec` as its recurrent sequence kernel with T = 1: `inputCurrent` [B, H] is
 * x·W_inᵀ of this step, `state` and `w` as `fusedSpecRecurrentIntegral`'s (r = z·wᵀ is computed in the
 * kernel from the fed-back output). Returns `[first output [B, H], next state]` (the fed-back output is
 * one tensor, in both places where it is the first output), or `undefined` when the fused path cannot
 * run. The caller checks arguments.
 */
export function fusedSpecRecurrentStep<P extends string, S extends string, I extends string, O extends string>(
  model: NeuronSpec<P, S, I, O>, inputCurrent: Tensor, state: Readonly<Record<S | O, Tensor>>, w: Tensor, q: object, dt: number,
): [Tensor, Record<S | O, Tensor>] | undefined {
  const spec = model as unknown as NeuronSpec;
  const plan = fusableRecurrentPlan('fusedSpecRecurrentStep', spec, q);
  if (!plan) return undefined;
  return tidy(() => {
    const list = runRecurrent(spec, plan, tf.expandDims(inputCurrent, 0), state as Readonly<Record<string, Tensor>>, w, q, dt);
    const outputs = spec.outputNames.map((_, k) => markSpikesLike(tf.squeeze(list[k]!, [0]), list[k]!));
    const next: Record<string, Tensor> = { [spec.recurrent!.output]: outputs[spec.outputNames.indexOf(spec.recurrent!.output)]! };
    spec.stateNames.forEach((s, k) => { next[s] = list[spec.outputNames.length + k]!; });
    return [outputs[0]!, next] as [Tensor, Record<S | O, Tensor>];
  });
}
