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
import { integrate } from '../lif.js';
import type { NeuronSpec } from './define.js';
import { evaluate } from './evaluate.js';
import type { Expr } from './expr.js';

/** Each spec's step roots (outputs, then next states): one array, so that its evaluation order is computed once. */
const stepRoots = new WeakMap<NeuronSpec, readonly Expr[]>();

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

/** One step: the outputs (in `spec.outputNames` order) and the next states (in `spec.stateNames` order). Run it in a tidy. */
export function compositeStep(spec: NeuronSpec, inputs: readonly Tensor[], states: readonly Tensor[], q: CompositeParameters): { outputs: Tensor[]; states: Tensor[] } {
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
export function compositeIntegral(spec: NeuronSpec, inputs: readonly Tensor[], states: readonly Tensor[], q: CompositeParameters): { outputs: Tensor[]; states: Tensor[] } {
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
