/**
 * The recurrent LIF layer over a whole sequence: `lifRecurrentIntegral` runs `lifStep` over the time
 * axis, as one fused kernel (fused/recurrent-kernels.ts, `LIF_RECURRENT_INTEGRAL`) where the backend
 * has it — the recurrent product inside the kernel, event-driven over the spikes — and as the step loop
 * (today's path, its specification) elsewhere.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { defineFusedOp, tidy } from '@snn/tensor';
import { checkRecurrentSequence } from './checks.js';
import { lifDynamics, lifParameters, lifStep, type LIFParameters, type LIFState } from './lif.js';
import { integrate } from './sequence.js';
import { LIF_RECURRENT_INTEGRAL } from './fused/recurrent-kernels.js';
import { lifKernelAttrs, lifParametersFromAttrs, type LIFKernelAttrs } from './fused/attrs.js';
import { canFuse } from './fused/dispatch.js';
import { inputCurrents, jumpWithCurrent, lastStep } from './recurrent-sequence.js';

/**
 * Runs `lifStep` over the leading time axis of `input` [T, B, nIn] from `state` ([B, H] fields);
 * weights as `lifStep`'s ([H, nIn] and [H, H], [out, in]). Returns the spikes [T, B, H] and the final
 * state (its `z` is the last step's spikes). With the backend's kernel registered and every parameter a
 * number, the input product runs once for all steps and the time loop as one kernel; else step by step.
 */
export function lifRecurrentIntegral(
  input: Tensor, state: LIFState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LIFParameters> = {}, dt = 1e-3,
): [Tensor, LIFState] {
  const fn = 'lifRecurrentIntegral';
  const q = lifParameters(p, fn);
  checkRecurrentSequence(fn, input, state, ['z', 'v', 'i'], inputWeights, recurrentWeights, q, dt);
  if (!canFuse(lifRecurrentIntegralOp, q)) return integrate(input, state, (x, s) => lifStep(x, s, inputWeights, recurrentWeights, q, dt));
  return tidy(() => {
    const x = inputCurrents(input, inputWeights);
    const [z, v, i] = lifRecurrentIntegralOp.run({ x, z0: state.z, v0: state.v, i0: state.i, w: recurrentWeights }, lifKernelAttrs(q, dt)) as [Tensor, Tensor, Tensor];
    return [z, { z: lastStep(z), v, i }] as [Tensor, LIFState];
  });
}

/** The recurrent LIF time loop as one kernel; the composite steps `lifStep`'s equations on the input current. */
const lifRecurrentIntegralOp = defineFusedOp({
  ...LIF_RECURRENT_INTEGRAL,
  composite: ({ x, z0, v0, i0, w }, a: LIFKernelAttrs) => {
    const p = lifParametersFromAttrs(a);
    const [z, s] = integrate(x, { z: z0, v: v0, i: i0 }, (xt, st) => {
      const r = lifDynamics(jumpWithCurrent(st.i, xt, st.z, w), st.v, p, a.dt, true);
      return [r.z, { z: r.z, v: r.v, i: r.i }];
    });
    return [z, s.v, s.i];
  },
});
