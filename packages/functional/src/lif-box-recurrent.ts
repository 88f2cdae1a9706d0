/**
 * The recurrent LIFBox layer over a whole sequence: `lifBoxRecurrentIntegral` runs `lifBoxStep` over the
 * time axis, as one fused kernel generated from `LIF_BOX_RECURRENT_SPEC` (spec/models/lif-box.ts) where
 * the backend has a recurrent plan compiler, and as the step loop (its specification) elsewhere.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { tidy } from '@snn/tensor';
import { checkRecurrentSequence } from './checks.js';
import { integrate } from './sequence.js';
import { lifBoxParameters, lifBoxSpecParameters, lifBoxStep, type LIFBoxParameters, type LIFBoxState } from './lif-box.js';
import { LIF_BOX_RECURRENT_SPEC } from './spec/models/lif-box.js';
import { fusedSpecRecurrentIntegral, specFusable } from './spec/models/fused-integral.js';
import { inputCurrents } from './recurrent-sequence.js';

/**
 * Runs `lifBoxStep` over the leading time axis of `input` [T, B, nIn] from `state` ({ z, v } [B, H]);
 * weights as `lifBoxStep`'s. Returns the spikes [T, B, H] and the final state. With the spec's kernel
 * available and every parameter a number, one input product and one kernel; else step by step.
 */
export function lifBoxRecurrentIntegral(
  input: Tensor, state: LIFBoxState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LIFBoxParameters> = {}, dt = 1e-3,
): [Tensor, LIFBoxState] {
  const fn = 'lifBoxRecurrentIntegral';
  const q = lifBoxParameters(p, fn);
  checkRecurrentSequence(fn, input, state, ['z', 'v'], inputWeights, recurrentWeights, q, dt);
  const qs = lifBoxSpecParameters(q);
  if (!specFusable(LIF_BOX_RECURRENT_SPEC, qs)) return integrate(input, state, (x, s) => lifBoxStep(x, s, inputWeights, recurrentWeights, q, dt));
  return tidy(() => fusedSpecRecurrentIntegral(LIF_BOX_RECURRENT_SPEC, inputCurrents(input, inputWeights), state, recurrentWeights, qs, dt)! as [Tensor, LIFBoxState]);
}
