/**
 * The recurrent LIFBox layer over a whole sequence: `lifBoxRecurrentIntegral` runs `lifBoxStep` over the
 * time axis, as one fused kernel (fused/recurrent-kernels.ts, `LIF_BOX_RECURRENT_INTEGRAL`) where the
 * backend has it, and as the step loop (its specification) elsewhere.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { defineFusedOp, tidy } from '@snn/tensor';
import { checkRecurrentSequence } from './checks.js';
import { integrate } from './sequence.js';
import { lifBoxDynamics, lifBoxParameters, lifBoxStep, type LIFBoxParameters, type LIFBoxState } from './lif-box.js';
import { LIF_BOX_RECURRENT_INTEGRAL } from './fused/recurrent-kernels.js';
import { lifBoxKernelAttrs, lifBoxParametersFromAttrs, type LIFBoxKernelAttrs } from './fused/attrs.js';
import { canFuse } from './fused/dispatch.js';
import { inputCurrents, lastStep } from './recurrent-sequence.js';

/**
 * Runs `lifBoxStep` over the leading time axis of `input` [T, B, nIn] from `state` ({ z, v } [B, H]);
 * weights as `lifBoxStep`'s. Returns the spikes [T, B, H] and the final state. With the backend's
 * kernel registered and every parameter a number, one input product and one kernel; else step by step.
 */
export function lifBoxRecurrentIntegral(
  input: Tensor, state: LIFBoxState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LIFBoxParameters> = {}, dt = 1e-3,
): [Tensor, LIFBoxState] {
  const fn = 'lifBoxRecurrentIntegral';
  const q = lifBoxParameters(p, fn);
  checkRecurrentSequence(fn, input, state, ['z', 'v'], inputWeights, recurrentWeights, q, dt);
  if (!canFuse(lifBoxRecurrentIntegralOp, q)) return integrate(input, state, (x, s) => lifBoxStep(x, s, inputWeights, recurrentWeights, q, dt));
  return tidy(() => {
    const x = inputCurrents(input, inputWeights);
    const [z, v] = lifBoxRecurrentIntegralOp.run({ x, z0: state.z, v0: state.v, w: recurrentWeights }, lifBoxKernelAttrs(q, dt)) as [Tensor, Tensor];
    return [z, { z: lastStep(z), v }] as [Tensor, LIFBoxState];
  });
}

/** The recurrent LIFBox time loop as one kernel; the composite steps `lifBoxStep`'s equations on the input current. */
const lifBoxRecurrentIntegralOp = defineFusedOp({
  ...LIF_BOX_RECURRENT_INTEGRAL,
  composite: ({ x, z0, v0, w }, a: LIFBoxKernelAttrs) => {
    const p = lifBoxParametersFromAttrs(a);
    const [z, s] = integrate(x, { z: z0, v: v0 }, (xt, st) => {
      const r = lifBoxDynamics(tf.add(xt, tf.matMul(st.z, w, false, true)), st.v, p, a.dt, true);
      return [r.z, { z: r.z, v: r.v }];
    });
    return [z, s.v];
  },
});
