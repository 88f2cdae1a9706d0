/**
 * The recurrent LIF layer over a whole sequence: `lifRecurrentIntegral` runs `lifStep` over the time
 * axis, as one fused kernel generated from `LIF_RECURRENT_SPEC` (spec/models/lif.ts) where the backend
 * has a recurrent plan compiler — the recurrent product inside the kernel, event-driven over the spikes
 * — and as the step loop (its specification) elsewhere.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { tidy } from '@snn/tensor';
import { checkRecurrentSequence } from './checks.js';
import { lifParameters, lifStep, type LIFParameters, type LIFState } from './lif.js';
import { integrate } from './sequence.js';
import { LIF_RECURRENT_SPEC } from './spec/models/lif.js';
import { fusedSpecRecurrentIntegral, specFusable } from './spec/models/fused-integral.js';
import { inputCurrents } from './recurrent-sequence.js';

/**
 * Runs `lifStep` over the leading time axis of `input` [T, B, nIn] from `state` ([B, H] fields);
 * weights as `lifStep`'s ([H, nIn] and [H, H], [out, in]). Returns the spikes [T, B, H] and the final
 * state (its `z` is the last step's spikes). With the spec's kernel available and every parameter a
 * number, the input product runs once for all steps and the time loop as one kernel; else step by step.
 */
export function lifRecurrentIntegral(
  input: Tensor, state: LIFState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LIFParameters> = {}, dt = 1e-3,
): [Tensor, LIFState] {
  const fn = 'lifRecurrentIntegral';
  const q = lifParameters(p, fn);
  checkRecurrentSequence(fn, input, state, ['z', 'v', 'i'], inputWeights, recurrentWeights, q, dt);
  if (!specFusable(LIF_RECURRENT_SPEC, q)) return integrate(input, state, (x, s) => lifStep(x, s, inputWeights, recurrentWeights, q, dt));
  return tidy(() => fusedSpecRecurrentIntegral(LIF_RECURRENT_SPEC, inputCurrents(input, inputWeights), state, recurrentWeights, q, dt)! as [Tensor, LIFState]);
}
