/**
 * Multi-compartment LIF neurons: LIF neurons whose membrane voltages are coupled linearly.
 *
 * The N neurons of a layer are read as N compartments; a coupling matrix `gCoupling` [N, N] lets the
 * voltage of each compartment pull on the others (`gCoupling[j, k]` is the rate, in 1/s, at which
 * compartment k drives compartment j). The coupling is one explicit Euler step of
 *
 *     dv/dt = v · gᵀ        (per batch row: dv_j/dt = Σ_k g[j, k]·v_k)
 *
 * added to the ordinary LIF dynamics (see lif.ts, which does all the rest):
 *
 * feed-forward — couple first, then one LIF step from the coupled voltage:
 *
 *     v_c = v + dt·(v·gᵀ);   [z, (v', i')] = lifFeedForwardStep(x, (v_c, i))
 *
 * recurrent — one LIF step, then couple the voltage after the reset (as Norse does):
 *
 *     [z, (z, v', i')] = lifStep(x, (z, v, i), W_in, W_rec);   v'' = v' + dt·(v'·gᵀ)
 *
 * The recurrent voltage is therefore coupled after the threshold: a compartment that just spiked
 * leaves the step at v_reset plus whatever its neighbours pulled in.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { assertTensor, tidy, assertShape, assertSize } from '@snn/tensor';
import { checkFeedForward, checkRecurrent, checkSequence } from './checks.js';
import {
  integrate, lifFeedForwardInitialState, lifFeedForwardStep, lifInitialState, lifParameters, lifStep,
  type LIFFeedForwardState, type LIFParameters, type LIFState,
} from './lif.js';

/** Multi-compartment LIF uses the LIF parameters unchanged. */
export type LIFMCParameters = LIFParameters;
/** State of a feed-forward multi-compartment LIF population (that of LIF). */
export type LIFMCFeedForwardState = LIFFeedForwardState;
/** State of a recurrent multi-compartment LIF population (that of LIF). */
export type LIFMCState = LIFState;

/** The resting state for inputs of `shape` ([..., N]): v = v_leak, i = 0. */
export function lifMCFeedForwardInitialState(shape: readonly number[], p: Partial<LIFMCParameters> = {}): LIFMCFeedForwardState {
  assertShape('lifMCFeedForwardInitialState', 'shape', shape);
  return lifFeedForwardInitialState(shape, p);
}

/** The resting recurrent state for `batch` × `hidden` compartments: z = 0, v = v_leak, i = 0. */
export function lifMCInitialState(batch: number, hidden: number, p: Partial<LIFMCParameters> = {}): LIFMCState {
  assertSize('lifMCInitialState', 'batch', batch);
  assertSize('lifMCInitialState', 'hidden', hidden);
  return lifInitialState(batch, hidden, p);
}

/** Checks that `gCoupling` is a float32 [n, n] matrix for `n` compartments. */
export function assertLIFMCCoupling(fn: string, gCoupling: unknown, n: number, name = 'gCoupling'): asserts gCoupling is Tensor {
  assertTensor(fn, name, gCoupling, { shape: [n, n] });
}

/**
 * The coupling's Euler increment dt·(v·gᵀ). `v` has any shape [..., N]; the leading axes are
 * flattened for the product. Allocates; call inside a tidy.
 */
export function lifMCCouplingTerm(v: Tensor, gCoupling: Tensor, dt: number): Tensor {
  const n = v.shape[v.rank - 1]!;
  const flat = v.rank === 2 ? v : tf.reshape(v, [-1, n]);
  const product = tf.matMul(flat, gCoupling, false, true);
  return tf.mul(Math.fround(dt), v.rank === 2 ? product : tf.reshape(product, v.shape));
}

/** v + dt·(v·gᵀ). */
function couple(v: Tensor, gCoupling: Tensor, dt: number): Tensor {
  return tf.add(v, lifMCCouplingTerm(v, gCoupling, dt));
}

/**
 * One feed-forward multi-compartment LIF step: the voltage is coupled (v + dt·v·gᵀ), then one
 * `lifFeedForwardStep`. `input` [..., N] is the input current, state fields have its shape and
 * `gCoupling` is [N, N]. Returns `[spikes, newState]`.
 */
export function lifMCFeedForwardStep(
  input: Tensor, state: LIFMCFeedForwardState, gCoupling: Tensor, p: Partial<LIFMCParameters> = {}, dt = 1e-3,
): [Tensor, LIFMCFeedForwardState] {
  const fn = 'lifMCFeedForwardStep';
  const q = lifParameters(p, fn);
  checkFeedForward(fn, input, state, ['v', 'i'], q, dt);
  assertLIFMCCoupling(fn, gCoupling, input.shape[input.rank - 1]!);
  return tidy(() => lifFeedForwardStep(input, { v: couple(state.v, gCoupling, dt), i: state.i }, q, dt));
}

/**
 * One recurrent multi-compartment LIF step: one `lifStep` (the current jumps by
 * `input @ inputWeightsᵀ + z @ recurrentWeightsᵀ`), then the voltage after the reset is coupled
 * (v + dt·v·gᵀ). `input` [B, nIn], state fields [B, N], weights [out, in], `gCoupling` [N, N].
 */
export function lifMCStep(
  input: Tensor, state: LIFMCState, inputWeights: Tensor, recurrentWeights: Tensor, gCoupling: Tensor,
  p: Partial<LIFMCParameters> = {}, dt = 1e-3,
): [Tensor, LIFMCState] {
  const fn = 'lifMCStep';
  const q = lifParameters(p, fn);
  checkRecurrent(fn, input, state, ['z', 'v', 'i'], inputWeights, recurrentWeights, q, dt);
  assertLIFMCCoupling(fn, gCoupling, inputWeights.shape[0]!);
  return tidy(() => {
    const [z, s] = lifStep(input, state, inputWeights, recurrentWeights, q, dt);
    return [z, { z, v: couple(s.v, gCoupling, dt), i: s.i }] as [Tensor, LIFMCState];
  });
}

/**
 * Runs `lifMCFeedForwardStep` over the leading time axis of `input` [T, ..., N]; returns the spikes
 * [T, ..., N] and the final state. Each step is tidied.
 */
export function lifMCFeedForwardIntegral(
  input: Tensor, state: LIFMCFeedForwardState, gCoupling: Tensor, p: Partial<LIFMCParameters> = {}, dt = 1e-3,
): [Tensor, LIFMCFeedForwardState] {
  const fn = 'lifMCFeedForwardIntegral';
  const q = lifParameters(p, fn);
  checkSequence(fn, input, state, ['v', 'i'], q, dt);
  assertLIFMCCoupling(fn, gCoupling, input.shape[input.rank - 1]!);
  return integrate(input, state, (x, s) => lifMCFeedForwardStep(x, s, gCoupling, q, dt));
}
