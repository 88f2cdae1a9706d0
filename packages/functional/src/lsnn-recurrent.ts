/**
 * The recurrent LSNN and adaptive-LIF layers over a whole sequence: `lsnnRecurrentIntegral` and
 * `adaLIFRecurrentIntegral` run `lsnnStep` / `adaLIFStep` over the time axis, as one fused kernel
 * (fused/recurrent-kernels.ts) where the backend has it — the recurrent product inside, event-driven
 * over the spikes — and as the step loop (their specification) elsewhere.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { defineFusedOp, tidy, type FusedOp } from '@snn/tensor';
import { checkRecurrentSequence } from './checks.js';
import { integrate } from './sequence.js';
import {
  adaLIFDynamics, adaLIFStep, lsnnDynamics, lsnnParameters, lsnnStep, type LSNNFeedForwardState, type LSNNParameters, type LSNNState,
} from './lsnn.js';
import { ADA_LIF_RECURRENT_INTEGRAL, LSNN_RECURRENT_INTEGRAL } from './fused/recurrent-kernels.js';
import { adaLIFKernelAttrs, adaLIFParametersFromAttrs, lsnnKernelAttrs, lsnnParametersFromAttrs, type AdaLIFKernelAttrs, type LSNNKernelAttrs } from './fused/attrs.js';
import { canFuse } from './fused/dispatch.js';
import { inputCurrents, jumpWithCurrent, lastStep } from './recurrent-sequence.js';

type Dynamics = (state: LSNNFeedForwardState, p: LSNNParameters, dt: number) => { z: Tensor; v: Tensor; iDecayed: Tensor; b: Tensor };
type Inputs = 'x' | 'z0' | 'v0' | 'i0' | 'b0' | 'w';
type Outputs = 'z' | 'v' | 'i' | 'b';

/** The composite of a recurrent LSNN-like sequence: the dynamics, then the jump by the input current and z(t−1)·wᵀ. */
function composite(dynamics: Dynamics, p: LSNNParameters, dt: number, { x, z0, v0, i0, b0, w }: Readonly<Record<Inputs, Tensor>>): Tensor[] {
  const [z, s] = integrate(x, { z: z0, v: v0, i: i0, b: b0 }, (xt, st) => {
    const r = dynamics(st, p, dt);
    return [r.z, { z: r.z, v: r.v, i: jumpWithCurrent(r.iDecayed, xt, st.z, w), b: r.b }];
  });
  return [z, s.v, s.i, s.b];
}

const lsnnRecurrentIntegralOp = defineFusedOp({
  ...LSNN_RECURRENT_INTEGRAL,
  composite: (inputs, a: LSNNKernelAttrs) => composite(lsnnDynamics, lsnnParametersFromAttrs(a), a.dt, inputs),
});

const adaLIFRecurrentIntegralOp = defineFusedOp({
  ...ADA_LIF_RECURRENT_INTEGRAL,
  composite: (inputs, a: AdaLIFKernelAttrs) => composite(adaLIFDynamics, adaLIFParametersFromAttrs(a), a.dt, inputs),
});

type Step = (input: Tensor, state: LSNNState, wIn: Tensor, wRec: Tensor, p: LSNNParameters, dt: number) => [Tensor, LSNNState];

function run(
  fn: string, op: FusedOp<Inputs, Outputs, object>, attrs: (p: LSNNParameters, dt: number) => object, step: Step,
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters>, dt: number,
): [Tensor, LSNNState] {
  const q = lsnnParameters(p, fn);
  checkRecurrentSequence(fn, input, state, ['z', 'v', 'i', 'b'], inputWeights, recurrentWeights, q, dt);
  if (!canFuse(op, q)) return integrate(input, state, (x, s) => step(x, s, inputWeights, recurrentWeights, q, dt));
  return tidy(() => {
    const x = inputCurrents(input, inputWeights);
    const [z, v, i, b] = op.run({ x, z0: state.z, v0: state.v, i0: state.i, b0: state.b, w: recurrentWeights }, attrs(q, dt)) as [Tensor, Tensor, Tensor, Tensor];
    return [z, { z: lastStep(z), v, i, b }] as [Tensor, LSNNState];
  });
}

/**
 * Runs `lsnnStep` over the leading time axis of `input` [T, B, nIn] from `state` ([B, H] fields);
 * weights as `lsnnStep`'s. Returns the spikes [T, B, H] and the final state. With the backend's
 * kernel registered and every parameter a number, one input product and one kernel; else step by step.
 */
export function lsnnRecurrentIntegral(
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNState] {
  return run('lsnnRecurrentIntegral', lsnnRecurrentIntegralOp as FusedOp<Inputs, Outputs, object>, lsnnKernelAttrs, lsnnStep, input, state, inputWeights, recurrentWeights, p, dt);
}

/** `adaLIFStep` over the leading time axis of `input` [T, B, nIn], as `lsnnRecurrentIntegral` runs `lsnnStep`. */
export function adaLIFRecurrentIntegral(
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNState] {
  return run('adaLIFRecurrentIntegral', adaLIFRecurrentIntegralOp as FusedOp<Inputs, Outputs, object>, adaLIFKernelAttrs, adaLIFStep, input, state, inputWeights, recurrentWeights, p, dt);
}
