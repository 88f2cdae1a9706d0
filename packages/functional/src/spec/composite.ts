/**
 * The composite path of a spec: one Euler step as tfjs ops (each expression one op, in the spec's
 * order; the spike through `@snn/surrogate`'s `threshold`, so its gradient is the surrogate;
 * `detach` as `stopGradient`), and the time loop over it. It is the specification every generated
 * kernel must reproduce, and the fallback wherever none runs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import type { ParameterValue } from '@snn/tensor';
import { threshold, type Seed, type SurrogateMethod } from '@snn/surrogate';
import { integrate } from '../sequence.js';
import type { NeuronSpec } from './define.js';
import { evaluateCoefficients } from './coefficients.js';
import { evaluate } from './evaluate.js';
import type { Expr } from './expr.js';

/** A spec of any names: the composite path reads its names as data. */
type AnySpec = NeuronSpec<any, any, any, any>;

/** Each spec's step roots (outputs, then next states): one array, so that its evaluation order is computed once. */
const stepRoots = new WeakMap<AnySpec, readonly Expr[]>();

/** What one composite step needs besides the tensors: parameters, their coefficients, the surrogate. */
export interface CompositeParameters {
  /** Every parameter (numbers or tensors), by name. */
  readonly p: Readonly<Record<string, ParameterValue>>;
  /** Every coefficient, in `spec.coefficientNames` order. */
  readonly coefficients: readonly ParameterValue[];
  /** The surrogate of the spike. */
  readonly method: SurrogateMethod;
  /** Its width. */
  readonly alpha: number;
  /** The seed of a stochastic method. */
  readonly seed?: Seed;
}

/**
 * The composite parameters of merged, checked model parameters `q` (numbers or tensors, named as the
 * spec's, with `method`, `alpha` and `seed`) at time step `dt`: the coefficients by their float32 recipe.
 */
export function specCompositeParameters(spec: AnySpec, q: object, dt: number): CompositeParameters {
  const p = q as Readonly<Record<string, ParameterValue>> & { readonly method: SurrogateMethod; readonly alpha: number; readonly seed?: Seed };
  return { p, coefficients: evaluateCoefficients(spec, p, dt), method: p.method, alpha: p.alpha, seed: p.seed };
}

/** One step: the outputs (in `spec.outputNames` order) and the next states (in `spec.stateNames` order). Run it in a tidy. */
export function compositeStep(spec: AnySpec, inputs: readonly Tensor[], states: readonly Tensor[], q: CompositeParameters): { outputs: Tensor[]; states: Tensor[] } {
  let roots = stepRoots.get(spec);
  if (!roots) stepRoots.set(spec, (roots = Object.freeze([...spec.outputs, ...spec.next])));
  const values = evaluate(roots, {
    leaf: (e) => {
      switch (e.op) {
        case 'param': return q.p[e.name]!;
        case 'coef': return q.coefficients[spec.coefficientNames.indexOf(e.name)]!;
        case 'state': return states[spec.stateNames.indexOf(e.name)]!;
        case 'input': return inputs[spec.inputNames.indexOf(e.name)]!;
        default: throw new Error(`composite step of '${spec.name}': unexpected leaf ${e}`);
      }
    },
    spike: (x) => threshold(x, q.method, q.alpha, q.seed),
  });
  // A value that reads no state or input (a constant output, say) is a number: give it the neurons' shape.
  const shape = (states[0] ?? inputs[0])!.shape;
  const tensors = values.map((v) => (typeof v === 'number' ? tf.fill(shape, v) : v.shape.length === shape.length ? v : tf.broadcastTo(v, shape)));
  return { outputs: tensors.slice(0, spec.outputs.length), states: tensors.slice(spec.outputs.length) };
}

/**
 * The time loop over sequences `inputs` (each [T, ...S]) from `states` (each [...S]): each step tidied.
 * Returns each output stacked over time and the final states. Several inputs or outputs travel
 * stacked on axis 1 through `integrate` (copies: the numbers are the step's).
 */
export function compositeIntegral(spec: AnySpec, inputs: readonly Tensor[], states: readonly Tensor[], q: CompositeParameters): { outputs: Tensor[]; states: Tensor[] } {
  return tf.tidy(() => {
    const packed = inputs.length === 1 ? inputs[0]! : tf.stack(inputs as Tensor[], 1);
    const initial = Object.fromEntries(spec.stateNames.map((s, k) => [s, states[k]!])) as Record<string, Tensor>;
    const [out, final] = integrate(packed, initial, (x, s) => {
      const step = compositeStep(spec, inputs.length === 1 ? [x] : tf.unstack(x), spec.stateNames.map((n) => s[n]!), q);
      const next = Object.fromEntries(spec.stateNames.map((n, k) => [n, step.states[k]!])) as Record<string, Tensor>;
      return [step.outputs.length === 1 ? step.outputs[0]! : tf.stack(step.outputs), next];
    });
    const outputs = spec.outputs.length === 1 ? [out] : tf.unstack(out, 1);
    return { outputs, states: spec.stateNames.map((n) => final[n]!) };
  });
}

/**
 * The recurrent time loop of a recurrent spec (see plan.ts, "The recurrent sequence kernel"): at each
 * step the recurrent input r = zPrev·wᵀ (`tf.matMul(zPrev, w, false, true)`, zPrev = `fedBack0` at
 * the first step, else the fed-back output of the step before), then `compositeStep` with the other
 * inputs (`inputs`, each [T, B, H], in `spec.inputNames` order without r). Returns each output
 * stacked over time and the final states (in `spec.stateNames` order) — the specification of the
 * recurrent kernel and its gradient (tfjs autodiff). Call inside a tidy.
 */
export function compositeRecurrentIntegral(
  spec: AnySpec, inputs: readonly Tensor[], fedBack0: Tensor, states: readonly Tensor[], w: Tensor, q: CompositeParameters,
): { outputs: Tensor[]; states: Tensor[] } {
  const rec = spec.recurrent;
  if (!rec) throw new Error(`compositeRecurrentIntegral: the spec '${spec.name}' is not recurrent (no recurrent wiring)`);
  const rIndex = spec.inputNames.indexOf(rec.input);
  const fedIndex = spec.outputNames.indexOf(rec.output);
  return tf.tidy(() => {
    const packed = inputs.length === 1 ? inputs[0]! : tf.stack(inputs as Tensor[], 1);
    type Carry = { fed: Tensor; states: Tensor[] };
    const [out, final] = integrate<Carry>(packed, { fed: fedBack0, states: [...states] }, (x, s) => {
      const given = inputs.length === 1 ? [x] : tf.unstack(x);
      given.splice(rIndex, 0, tf.matMul(s.fed, w, false, true));
      const step = compositeStep(spec, given, s.states, q);
      const fed = step.outputs[fedIndex]!;
      return [step.outputs.length === 1 ? fed : tf.stack(step.outputs), { fed, states: step.states }];
    });
    const outputs = spec.outputs.length === 1 ? [out] : tf.unstack(out, 1);
    return { outputs, states: final.states };
  });
}
