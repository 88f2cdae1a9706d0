/**
 * Both paths of a built-in model's public functions, from its spec alone: the composite step (the
 * spec's expressions as tfjs ops, `compositeStep`) and the time loop — one fused kernel generated from
 * the spec where it can run (`fusedSpecIntegral`), else the composite step loop. A model file merges
 * and checks its parameters and maps its (possibly nested) state onto the spec's states; it writes no
 * arithmetic of its own, so each equation lives in its spec file only.
 *
 * Parameters are the model's merged parameters named as the spec's. A model without a spike (LI,
 * LIBox) has no `method`/`alpha`: the spec's defaults stand in (they only name its kernel).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import type { ParameterValue } from '@snn/tensor';
import type { Seed, SurrogateMethod } from '@snn/surrogate';
import { integrate } from '../../sequence.js';
import type { NeuronSpec } from '../define.js';
import { evaluateCoefficients } from '../coefficients.js';
import { compositeStep } from '../composite.js';
import { fusedSpecIntegral } from './fused-integral.js';

/** One step's result: the outputs in `spec.outputNames` order and the next state by name. */
export interface SpecStepResult<S extends string> {
  /** Every output of the step, in the spec's order (the first one is what a cell returns). */
  readonly outputs: Tensor[];
  /** The state after the step, one tensor per spec state. */
  readonly state: Record<S, Tensor>;
}

/** `q` with the spec's surrogate where the model has none (a model without a spike). */
function withSurrogate(spec: NeuronSpec, q: object): object {
  return (q as { method?: unknown }).method === undefined ? { ...q, method: spec.defaults.method, alpha: spec.defaults.alpha } : q;
}

/**
 * One composite step of `model` from `inputs` (in `spec.inputNames` order) and `state` (by spec state
 * name) with merged parameters `q`: the coefficients by their float32 recipe, then the step's
 * expressions op by op. Allocates; call inside a tidy.
 */
export function specStep<P extends string, S extends string, I extends string, O extends string>(model: NeuronSpec<P, S, I, O>, inputs: readonly Tensor[], state: Readonly<Record<S, Tensor>>, q: object, dt: number): SpecStepResult<S> {
  const spec = model as unknown as NeuronSpec; // parameters and coefficients are looked up by name
  const p = withSurrogate(spec, q) as Readonly<Record<string, ParameterValue>> & { readonly method: SurrogateMethod; readonly alpha: number; readonly seed?: Seed };
  const run = compositeStep(spec, inputs, spec.stateNames.map((s) => state[s as S]), {
    p, coefficients: evaluateCoefficients(spec, p, dt), method: p.method, alpha: p.alpha, seed: p.seed,
  });
  return { outputs: run.outputs, state: Object.fromEntries(spec.stateNames.map((s, k) => [s, run.states[k]!])) as Record<S, Tensor> };
}

/**
 * `model` over the leading time axis of `input` [T, ...] from `state`: `[first output [T, ...], final
 * state]` — one kernel generated from the spec where it can run (number parameters, a deterministic
 * surrogate, a kernel for the backend), else the composite step loop (each step tidied). One-input
 * specs. The caller checks arguments.
 */
export function specIntegral<P extends string, S extends string, I extends string, O extends string>(model: NeuronSpec<P, S, I, O>, input: Tensor, state: Readonly<Record<S, Tensor>>, q: object, dt: number): [Tensor, Record<S, Tensor>] {
  const spec = model as unknown as NeuronSpec;
  const fused = fusedSpecIntegral(model, input, state, withSurrogate(spec, q), dt);
  if (fused) return fused;
  return integrate(input, state as Record<S, Tensor>, (x, s) => {
    const run = specStep(model, [x], s, q, dt);
    return [run.outputs[0]!, run.state];
  });
}

/**
 * One step of `model` as its integral with T = 1 where the spec's kernel can run (the fused step of a
 * model behind a linear layer: `liStep`, `liBoxStep`), else the composite step: `[first output,
 * next state]`. One-input specs. Allocates; call inside a tidy.
 */
export function specFusedStep<P extends string, S extends string, I extends string, O extends string>(model: NeuronSpec<P, S, I, O>, input: Tensor, state: Readonly<Record<S, Tensor>>, q: object, dt: number): [Tensor, Record<S, Tensor>] {
  const spec = model as unknown as NeuronSpec;
  const fused = fusedSpecIntegral(model, tf.expandDims(input, 0), state, withSurrogate(spec, q), dt);
  if (fused) return [tf.squeeze(fused[0], [0]), fused[1]];
  const run = specStep(model, [input], state, q, dt);
  return [run.outputs[0]!, run.state];
}
