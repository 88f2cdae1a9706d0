/**
 * Multi-compartment LIF neurons with a refractory period: the voltage coupling of lif-mc.ts and the
 * refractory counter ρ of lif-refrac.ts, in the form Norse gives this model.
 *
 * While a compartment is refractory (m = Θ(ρ) = 1) its own membrane dynamics — leak and synaptic
 * drive — stop, but its neighbours still pull on it through the coupling, and the synaptic current
 * keeps decaying and receiving input. The input enters the current at the end of the step, so it
 * drives the voltage from the next step on. One Euler step, input x [..., N] or x·W_inᵀ + z_old·W_recᵀ:
 *
 *     m   = Θ(ρ)                                   (surrogate gradient in the backward pass)
 *     v'  = v + (1 − m)·(dt·τ_mem⁻¹)·((v_leak − v) + i) + dt·(v·gᵀ)
 *     i'  = i + (−dt·τ_syn⁻¹)·i
 *     z   = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset
 *     i'' = i' + x                          (feed-forward)
 *     i'' = (i' + x·W_inᵀ) + z_old·W_recᵀ     (recurrent)
 *     ρ'  = (1 − z)·relu(ρ − m) + z·ρ_reset
 *
 * Correction of Norse (DESIGN.md, "Fidelity"): Norse v1.1.0 adds the coupling as v·gᵀ, without the
 * factor dt that its plain multi-compartment LIF (lif_mc) applies — in both the feed-forward and the
 * recurrent step — so that the coupling acts 1/dt times too strongly and its effect depends on the
 * step size. Here the coupling is the Euler increment dt·(v·gᵀ) as in lif-mc.ts; with the same
 * `gCoupling` the outputs therefore differ from Norse's (golden/lif-mc-refrac.golden.ts explains how
 * they are checked).
 *
 * As in Norse, the spikes are not masked by m here (unlike lif-refrac.ts, the voltage is not held
 * either): a refractory compartment pulled over the threshold by its neighbours spikes and restarts
 * its refractory period. The feed-forward step lets the gradient flow through z in the reset, the
 * recurrent step detaches it there (the conventions of lif.ts).
 *
 * State and parameters are those of lif-refrac.ts: `{ lif: { v, i } | { z, v, i }, rho }` and
 * `{ lif: LIFParameters, rhoReset }`; `gCoupling` is [N, N].
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { pmul, pneg, stopGradient, tidy, assertShape, assertSize } from '@snn/tensor';
import { threshold } from '@snn/surrogate';
import { integrate } from './sequence.js';
import { assertLIFMCCoupling, lifMCCouplingTerm } from './lif-mc.js';
import {
  checkRefracFeedForward, checkRefracRecurrent, checkRefracSequence, lifRefracFeedForwardInitialState, lifRefracInitialState,
  lifRefracParameters, type LIFRefracFeedForwardState, type LIFRefracParameters, type LIFRefracParametersInput,
  type LIFRefracState,
} from './lif-refrac.js';
import { recurrentJump } from './synapse.js';

/** Multi-compartment refractory LIF uses the LIFRefrac parameters unchanged. */
export type LIFMCRefracParameters = LIFRefracParameters;
/** The parameters as a caller gives them (nested LIF parameters may be partial). */
export type LIFMCRefracParametersInput = LIFRefracParametersInput;
/** State of a feed-forward population: `{ lif: { v, i }, rho }`. */
export type LIFMCRefracFeedForwardState = LIFRefracFeedForwardState;
/** State of a recurrent population: `{ lif: { z, v, i }, rho }`. */
export type LIFMCRefracState = LIFRefracState;

/** The resting state for inputs of `shape` ([..., N]): v = v_leak, i = 0, ρ = 0. */
export function lifMCRefracFeedForwardInitialState(shape: readonly number[], p: LIFMCRefracParametersInput = {}): LIFMCRefracFeedForwardState {
  assertShape('lifMCRefracFeedForwardInitialState', 'shape', shape);
  return lifRefracFeedForwardInitialState(shape, p);
}

/** The resting recurrent state for `batch` × `hidden` compartments: z = 0, v = v_leak, i = 0, ρ = 0. */
export function lifMCRefracInitialState(batch: number, hidden: number, p: LIFMCRefracParametersInput = {}): LIFMCRefracState {
  assertSize('lifMCRefracInitialState', 'batch', batch);
  assertSize('lifMCRefracInitialState', 'hidden', hidden);
  return lifRefracInitialState(batch, hidden, p);
}

/**
 * The step on checked arguments; `jump` adds the input to the decayed current (it differs between
 * the feed-forward and the recurrent step). Allocates; call inside a tidy.
 */
function mcRefracDynamics(
  v: Tensor, i: Tensor, rho: Tensor, gCoupling: Tensor, q: LIFMCRefracParameters, dt: number, detachReset: boolean,
  jump: (iDecayed: Tensor) => Tensor,
): { z: Tensor; v: Tensor; i: Tensor; rho: Tensor } {
  const p = q.lif;
  const m = threshold(rho, p.method, p.alpha, p.seed);
  const drive = tf.mul(tf.mul(tf.sub(1, m), pmul(dt, p.tauMemInv)), tf.add(tf.sub(p.vLeak, v), i));
  const vDecayed = tf.add(v, tf.add(drive, lifMCCouplingTerm(v, gCoupling, dt)));
  const iDecayed = tf.add(i, tf.mul(pmul(pneg(dt), p.tauSynInv), i));
  const z = threshold(tf.sub(vDecayed, p.vTh), p.method, p.alpha, p.seed);
  const zr = detachReset ? stopGradient(z) : z;
  const vNew = tf.add(tf.mul(tf.sub(1, zr), vDecayed), tf.mul(zr, p.vReset));
  const rhoNew = tf.add(tf.mul(tf.sub(1, z), tf.relu(tf.sub(rho, m))), tf.mul(z, q.rhoReset));
  return { z, v: vNew, i: jump(iDecayed), rho: rhoNew };
}

/**
 * One feed-forward multi-compartment refractory LIF step. `input` [..., N] is the input current,
 * the state fields (`lif.v`, `lif.i`, `rho`) have its shape, `gCoupling` is [N, N].
 * Returns `[spikes, newState]`.
 */
export function lifMCRefracFeedForwardStep(
  input: Tensor, state: LIFMCRefracFeedForwardState, gCoupling: Tensor, p: LIFMCRefracParametersInput = {}, dt = 1e-3,
): [Tensor, LIFMCRefracFeedForwardState] {
  const fn = 'lifMCRefracFeedForwardStep';
  const q = lifRefracParameters(p, fn);
  checkRefracFeedForward(fn, input, state, 'lif', ['v', 'i'], q, dt);
  assertLIFMCCoupling(fn, gCoupling, input.shape[input.rank - 1]!);
  return tidy(() => {
    const r = mcRefracDynamics(state.lif.v, state.lif.i, state.rho, gCoupling, q, dt, false, (i) => tf.add(i, input));
    return [r.z, { lif: { v: r.v, i: r.i }, rho: r.rho }] as [Tensor, LIFMCRefracFeedForwardState];
  });
}

/**
 * One recurrent multi-compartment refractory LIF step: `input` [B, nIn], state fields [B, N],
 * `inputWeights` [N, nIn], `recurrentWeights` [N, N] (weights are [out, in]), `gCoupling` [N, N].
 * The current receives `input @ inputWeightsᵀ + z_old @ recurrentWeightsᵀ` at the end of the step.
 */
export function lifMCRefracStep(
  input: Tensor, state: LIFMCRefracState, inputWeights: Tensor, recurrentWeights: Tensor, gCoupling: Tensor,
  p: LIFMCRefracParametersInput = {}, dt = 1e-3,
): [Tensor, LIFMCRefracState] {
  const fn = 'lifMCRefracStep';
  const q = lifRefracParameters(p, fn);
  checkRefracRecurrent(fn, input, state, 'lif', ['z', 'v', 'i'], inputWeights, recurrentWeights, q, dt);
  assertLIFMCCoupling(fn, gCoupling, inputWeights.shape[0]!);
  return tidy(() => {
    const s = state.lif;
    const r = mcRefracDynamics(s.v, s.i, state.rho, gCoupling, q, dt, true, (i) => recurrentJump(i, input, inputWeights, s.z, recurrentWeights));
    return [r.z, { lif: { z: r.z, v: r.v, i: r.i }, rho: r.rho }] as [Tensor, LIFMCRefracState];
  });
}

/**
 * Runs `lifMCRefracFeedForwardStep` over the leading time axis of `input` [T, ..., N]; returns the
 * spikes [T, ..., N] and the final state. Each step is tidied.
 */
export function lifMCRefracFeedForwardIntegral(
  input: Tensor, state: LIFMCRefracFeedForwardState, gCoupling: Tensor, p: LIFMCRefracParametersInput = {}, dt = 1e-3,
): [Tensor, LIFMCRefracFeedForwardState] {
  const fn = 'lifMCRefracFeedForwardIntegral';
  const q = lifRefracParameters(p, fn);
  checkRefracSequence(fn, input, state, 'lif', ['v', 'i'], q, dt);
  assertLIFMCCoupling(fn, gCoupling, input.shape[input.rank - 1]!);
  return integrate(input, state, (x, s) => lifMCRefracFeedForwardStep(x, s, gCoupling, q, dt));
}
