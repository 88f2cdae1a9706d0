/**
 * The recurrent LSNN and adaptive-LIF layers over a whole sequence: `lsnnRecurrentIntegral` and
 * `adaLIFRecurrentIntegral` run `lsnnStep` / `adaLIFStep` over the time axis, from their recurrent
 * specs (spec/models/lsnn.ts): as one kernel generated from the spec (the recurrent sequence kernel of
 * spec/plan.ts: the recurrent product inside, event-driven over the spikes) where the backend has it,
 * and as the spec's composite recurrent loop — their specification — elsewhere.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { tidy } from '@snn/tensor';
import { checkRecurrentSequence } from './checks.js';
import { lsnnParameters, type LSNNParameters, type LSNNState } from './lsnn.js';
import { inputCurrents, lastStep } from './recurrent-sequence.js';
import { compositeRecurrentIntegral, specCompositeParameters } from './spec/composite.js';
import { fusedSpecRecurrentIntegral } from './spec/models/fused-integral.js';
import type { NeuronSpec } from './spec/define.js';
import { ADA_LIF_RECURRENT_SPEC, LSNN_RECURRENT_SPEC } from './spec/models/lsnn.js';

/**
 * A recurrent sequence of `spec`: the input product for all steps at once, then the spec's recurrent
 * kernel, or its composite recurrent loop (r = z(t−1)·wᵀ, `compositeRecurrentIntegral`).
 */
function run<P extends string>(
  fn: string, spec: NeuronSpec<P, 'v' | 'i' | 'b', 'x' | 'r', 'z'>,
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters>, dt: number,
): [Tensor, LSNNState] {
  const q = lsnnParameters(p, fn);
  checkRecurrentSequence(fn, input, state, ['z', 'v', 'i', 'b'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const x = inputCurrents(input, inputWeights);
    const fused = fusedSpecRecurrentIntegral(spec, x, state, recurrentWeights, q, dt);
    if (fused) return fused as [Tensor, LSNNState];
    const composite = compositeRecurrentIntegral(spec, [x], state.z, [state.v, state.i, state.b], recurrentWeights, specCompositeParameters(spec, q, dt));
    const [z] = composite.outputs as [Tensor];
    const [v, i, b] = composite.states as [Tensor, Tensor, Tensor];
    return [z, { z: lastStep(z), v, i, b }] as [Tensor, LSNNState];
  });
}

/**
 * Runs `lsnnStep` over the leading time axis of `input` [T, B, nIn] from `state` ([B, H] fields);
 * weights as `lsnnStep`'s. Returns the spikes [T, B, H] and the final state. With the backend's
 * kernel and every parameter a number, one input product and one kernel; else the spec's composite recurrent loop.
 */
export function lsnnRecurrentIntegral(
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNState] {
  return run('lsnnRecurrentIntegral', LSNN_RECURRENT_SPEC, input, state, inputWeights, recurrentWeights, p, dt);
}

/** `adaLIFStep` over the leading time axis of `input` [T, B, nIn], as `lsnnRecurrentIntegral` runs `lsnnStep`. */
export function adaLIFRecurrentIntegral(
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNState] {
  return run('adaLIFRecurrentIntegral', ADA_LIF_RECURRENT_SPEC, input, state, inputWeights, recurrentWeights, p, dt);
}
